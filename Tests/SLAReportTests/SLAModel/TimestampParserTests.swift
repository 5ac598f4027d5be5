import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

// Day starts in epoch seconds. Day numbers: 2026-01-01 is day 20454 (56 years × 365 + 14 leap
// days 1972…2024); cross-checked with Python's calendar.timegm.
private let h: Int64 = 3600
/// 2026-03-05 00:00Z: day 20454 + 31 (Jan) + 28 (Feb) + 4 = 20517 → × 86400.
private let mar5: Int64 = 1_772_668_800
/// 2026-03-29 00:00Z: day 20517 + 24 = 20541.
private let mar29: Int64 = 1_774_742_400
/// 2026-10-25 00:00Z: day 20454 + 273 (Jan…Sep) + 24 = 20751.
private let oct25: Int64 = 1_792_886_400

@Suite struct TimestampParserTests {
    @Test(
        arguments: [
            // input, expected UTC epoch seconds (zone UTC)
            ("2026-03-05 10:00:00", mar5 + 10 * h),  // fast path
            ("2026-03-05 10:00", mar5 + 10 * h),
            ("2026-03-05 09:07:05.123", mar5 + 9 * h + 7 * 60 + 5),  // fraction truncated
            ("2026-03-05 09:07:05.999999999", mar5 + 9 * h + 7 * 60 + 5),  // 9 digits, still truncated
            ("2026-03-05 09:07:05.5", mar5 + 9 * h + 7 * 60 + 5),
            ("2026-3-5 9:07", mar5 + 9 * h + 7 * 60),  // month, day, hour without leading zero
            ("2026-03-5 09:07:00", mar5 + 9 * h + 7 * 60),
            ("2026-03-05T09:07:05", mar5 + 9 * h + 7 * 60 + 5),
            ("2026-03-05T9:07:05", mar5 + 9 * h + 7 * 60 + 5),
            ("2026-03-05T09:07:05Z", mar5 + 9 * h + 7 * 60 + 5),
            ("2026-03-05T09:07:05.250Z", mar5 + 9 * h + 7 * 60 + 5),
            ("2026-03-05T09:07:05+08:00", mar5 + 9 * h + 7 * 60 + 5 - 8 * h),  // 01:07:05Z
            ("2026-03-05T09:07:05+0800", mar5 + 9 * h + 7 * 60 + 5 - 8 * h),
            ("2026-03-05T09:07:05.1+08:00", mar5 + 9 * h + 7 * 60 + 5 - 8 * h),
            ("2026-03-05T09:07:05-05:30", mar5 + 9 * h + 7 * 60 + 5 + 5 * h + 30 * 60),  // 14:37:05Z
            ("2026-03-05T01:00:00+02:00", mar5 - 1 * h),  // previous day 23:00Z
            ("2026-03-05T09:07:05+00:00", mar5 + 9 * h + 7 * 60 + 5),
            ("2026/03/05 09:07", mar5 + 9 * h + 7 * 60),
            ("2026/3/5 9:07:05", mar5 + 9 * h + 7 * 60 + 5),
            ("2026-03-05", mar5),  // midnight
            ("2026-3-5", mar5),
            ("2000-02-29 12:00", 951_782_400 + 12 * h),  // leap (÷400); 2000-02-29 = day 11016
            ("2028-02-29", 1_835_395_200),  // day 21243
            ("1900-01-01 00:00:00", -2_208_988_800),  // first accepted; 70 y × 365 + 17 leap days = 25567 days before 1970
            ("2199-12-31 23:59:59", 7_258_118_399),  // last accepted; 2200-01-01 = day 84006 = 7_258_118_400
            ("1970-01-01 00:00:00", 0),
        ] as [(String, Int64)])
    func reads(_ input: String, _ expected: Int64) {
        #expect(TimestampParser.parse(input, zone: .utc) == expected)
        var reader = TimestampReader(zone: .utc)
        #expect(input.withUTF8Bytes { reader.parse($0) } == expected)
    }

    @Test(arguments: [
        "",
        "N/A",
        "45123",  // Excel serial
        "45123.5",
        "2026-02-30 10:00",  // no Feb 30
        "2026-02-29",  // 2026 is not a leap year
        "2100-02-29",  // ÷100, not ÷400: not leap
        "2026-13-01",
        "2026-00-10",
        "2026-03-00",
        "2026-04-31",
        "2026-03-05 24:00",
        "2026-03-05 10:60",
        "2026-03-05 10:00:60",
        "2026-03-05 9:7",  // minutes have two digits
        "2026-03-05 09:07:5",  // seconds have two digits
        "2026-03-05 009:07",
        "2026-003-05",
        "26-03-05",
        "20260-03-05",
        "0001-01-01",  // sentinel: outside 1900…2199
        "0001-01-01 00:00:00",
        "1899-12-31 23:59:59",
        "2200-01-01",
        "9999-12-31 23:59:59",
        "2026-03-05 09:07:05.",  // a fraction has 1–9 digits
        "2026-03-05 09:07:05.1234567890",
        "2026-03-05 09:07.5",  // fraction only after seconds
        "2026/03/05 09:07:05.5",  // slash form has no fraction
        "2026/03/05",  // slash form has a time
        "2026-03/05 09:07",  // mixed separators
        "2026/03-05 09:07",
        "2026-03-05T09:07",  // T form has seconds
        "2026-03-05T09:07Z",
        "2026-03-05 09:07:05Z",  // offsets only in the T form
        "2026-03-05 09:07:05+08:00",
        "2026/03/05T09:07:05",
        "2026-03-05T09:07:05+08",
        "2026-03-05T09:07:05+8:00",
        "2026-03-05T09:07:05+08:0",
        "2026-03-05T09:07:05+24:00",
        "2026-03-05T09:07:05+08:60",
        "2026-03-05T09:07:05z",  // upper-case Z and T only
        "2026-03-05t09:07:05",
        "2026-03-05T09:07:05ZZ",
        "2026-03-05 10:00:00x",  // trailing junk
        "2026-03-05 10:00:00 ",  // fields arrive trimmed; anything after is junk
        "2026-03-05  10:00",
        "2026-03-05x",
        "2026-03-05 ",
        "2026-03-05 10",
        "2026-03-05 10:",
        "２０２６-03-05",  // full-width digits
        "2026-03-05 10:00:0０",  // full-width digit: 21 bytes, general path
        "2026-03-05 1a:00:00",  // 19 bytes, fast path, non-digit
        "2026-03-05 10:00:0a",
    ])
    func refuses(_ input: String) {
        #expect(TimestampParser.parse(input, zone: .utc) == nil)
    }

    @Test(
        arguments: [
            // zone, local input, expected UTC (python zoneinfo agrees on every line)
            ("Asia/Shanghai", "2026-03-29 02:30", mar29 + 2 * h + 1800 - 8 * h),  // no DST in China: always +08:00
            ("Asia/Shanghai", "2026-10-25 02:30", oct25 + 2 * h + 1800 - 8 * h),
            ("Asia/Shanghai", "2026-03-05", mar5 - 8 * h),
            ("Asia/Shanghai", "2026-03-05T09:07:05Z", mar5 + 9 * h + 7 * 60 + 5),  // explicit instant ignores zone
            ("Asia/Shanghai", "2026-03-05T09:07:05+08:00", mar5 + 9 * h + 7 * 60 + 5 - 8 * h),
            // Berlin spring forward 2026-03-29 02:00 CET → 03:00 CEST (01:00Z).
            ("Europe/Berlin", "2026-03-29 01:59:59", mar29 + 1 * h - 1),  // +01:00 → 00:59:59Z
            ("Europe/Berlin", "2026-03-29 02:30", mar29 + 1 * h + 1800),  // skipped: offset before (+01:00) → 01:30Z
            ("Europe/Berlin", "2026-03-29 03:00", mar29 + 1 * h),  // +02:00 → 01:00Z
            // Berlin fall back 2026-10-25 03:00 CEST → 02:00 CET (01:00Z).
            ("Europe/Berlin", "2026-10-25 01:59", oct25 - 60),  // +02:00 → 23:59Z the day before
            ("Europe/Berlin", "2026-10-25 02:30", oct25 + 1800),  // repeated: the earlier, +02:00 → 00:30Z
            ("Europe/Berlin", "2026-10-25 02:59:59", oct25 + 1 * h - 1),  // still the earlier → 00:59:59Z
            ("Europe/Berlin", "2026-10-25 03:00", oct25 + 2 * h),  // +01:00 → 02:00Z
            ("Europe/Berlin", "2026-10-25T02:30:00+01:00", oct25 + 1 * h + 1800),  // the later 02:30, by offset
            ("Europe/Berlin", "2026-03-05 10:00", mar5 + 9 * h),  // winter, +01:00
        ] as [(String, String, Int64)])
    func readsLocalTime(_ zoneName: String, _ input: String, _ expected: Int64) throws {
        let zone = try #require(ZoneRules(identifier: zoneName))
        #expect(TimestampParser.parse(input, zone: zone) == expected)
        var reader = TimestampReader(zone: zone)
        #expect(input.withUTF8Bytes { reader.parse($0) } == expected)
    }

    /// The fixed-width fast path and the general scanner agree (same text, T instead of space,
    /// which only the general path reads), and both agree with CivilDate.
    @Test func fastPathMatchesGeneralPath() {
        var x: UInt64 = 7
        func next(_ n: Int) -> Int {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(x >> 33) % n
        }
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: w - String(v).count) + String(v) }
        for _ in 0..<5_000 {
            let (y, mo, d) = (1900 + next(300), 1 + next(12), 1 + next(31))
            let (hh, mm, ss) = (next(25), next(61), next(61))  // includes impossible 24, 60
            let date = "\(y)-\(pad(mo, 2))-\(pad(d, 2))"
            let time = "\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2))"
            let fast = TimestampParser.parse(date + " " + time)
            #expect(fast == TimestampParser.parse(date + "T" + time), "\(date) \(time)")
            let valid = d <= CivilDate.daysInMonth(year: y, month: mo) && hh < 24 && mm < 60 && ss < 60
            let expected = Int64(CivilDate.days(year: y, month: mo, day: d)) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
            #expect(fast == (valid ? expected : nil), "\(date) \(time)")
        }
    }

    /// The cached reader must give what ZoneRules gives, whatever order times come in.
    @Test func readerCacheMatchesZoneRules() throws {
        let zone = try #require(ZoneRules(identifier: "Europe/Berlin"))
        var reader = TimestampReader(zone: zone)
        // 2025-01-01 .. 2028-01-01 local, in a step that lands on both sides of every switch,
        // then jumping around (forward and back) to force cache misses.
        var l = mar5 - 430 * 86_400
        while l < mar5 + 700 * 86_400 {
            #expect(reader.utc(fromLocal: l) == zone.utc(fromLocal: l))
            l += 1799
        }
        var x: UInt64 = 12345
        for _ in 0..<20_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = -2_208_988_800 + Int64(x >> 1) % 9_467_107_200  // 1900…2200
            #expect(reader.utc(fromLocal: t) == zone.utc(fromLocal: t))
        }
    }
}

extension String {
    /// Calls `body` with this string's UTF-8 bytes.
    func withUTF8Bytes<R>(_ body: (ByteView) -> R) -> R { ByteView.of(self, body) }
}
