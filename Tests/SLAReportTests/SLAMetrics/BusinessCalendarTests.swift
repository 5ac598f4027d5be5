import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// UTC instant of a UTC wall-clock time.
func utcTime(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> Int64 {
    Int64(CivilDate.days(year: y, month: m, day: d)) * 86_400 + Int64(h * 3600 + mi * 60)
}

/// UTC instant of a local wall-clock time in `zone`.
func localTime(_ zone: ZoneRules, _ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> Int64 {
    zone.utc(fromLocal: utcTime(y, m, d, h, mi))
}

func dayNumber(_ s: String) -> Int { CivilDate.parse(s)! }

private let H: Int64 = 3600

@Suite("Metrics: BusinessCalendar")
struct MetricsBusinessCalendarTests {
    /// Default calendar: 09:00-18:00 (9 h), Mon–Fri, no holidays, UTC.
    let cal = BusinessCalendar(CalendarConfig(), zone: .utc)

    @Test func startAtNight() {
        // Tue 2026-11-17 22:00 → Wed 09:00-10:30 = 1.5 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 17, 22), to: utcTime(2026, 11, 18, 10, 30)) == 5400)
        // Before opening: Wed 06:00 → Wed 09:00 = 0.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 18, 6), to: utcTime(2026, 11, 18, 9)) == 0)
    }

    @Test func startOnWeekend() {
        // Sat 2026-11-21 10:00 → Mon 11-23 11:00: Sat 0 + Sun 0 + Mon 09-11 2 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 21, 10), to: utcTime(2026, 11, 23, 11)) == 2 * H)
    }

    @Test func startOnHoliday() {
        var c = CalendarConfig()
        c.holidays = [dayNumber("2026-10-01"), dayNumber("2026-10-02")]  // Thu, Fri
        let cal = BusinessCalendar(c, zone: .utc)
        // Wed 2026-09-30 17:00 → Mon 10-05 10:00: Wed 1 h + Thu 0 + Fri 0 + weekend 0 + Mon 1 h = 2 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 9, 30, 17), to: utcTime(2026, 10, 5, 10)) == 2 * H)
        // Starting on the holiday itself, Thu 10-01 10:00 → Mon 10-05 12:00: Mon 09-12 = 3 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 10, 1, 10), to: utcTime(2026, 10, 5, 12)) == 3 * H)
        // Without the holidays the first span is 1 + 9 + 9 + 1 = 20 h.
        #expect(self.cal.businessSeconds(from: utcTime(2026, 9, 30, 17), to: utcTime(2026, 10, 5, 10)) == 20 * H)
    }

    @Test func makeUpSaturday() {
        var c = CalendarConfig()
        c.extraWorkdays = [dayNumber("2026-10-10")]  // a Saturday worked (调休)
        let cal = BusinessCalendar(c, zone: .utc)
        // Fri 10-09 17:00 → Mon 10-12 10:00: Fri 1 h + Sat 9 h + Sun 0 + Mon 1 h = 11 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 10, 9, 17), to: utcTime(2026, 10, 12, 10)) == 11 * H)
        // Starting on the make-up Saturday at 16:00 → Sat 18:00 = 2 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 10, 10, 16), to: utcTime(2026, 10, 10, 20)) == 2 * H)
        // A date both holiday and extra workday is a holiday: Sat then counts 0 → 1 + 1 = 2 h.
        c.holidays = [dayNumber("2026-10-10")]
        let both = BusinessCalendar(c, zone: .utc)
        #expect(both.businessSeconds(from: utcTime(2026, 10, 9, 17), to: utcTime(2026, 10, 12, 10)) == 2 * H)
    }

    @Test func lunchBreak() {
        var c = CalendarConfig()
        c.businessHours = [
            .init(startMinute: 9 * 60, endMinute: 12 * 60), .init(startMinute: 13 * 60 + 30, endMinute: 18 * 60),
        ]
        let cal = BusinessCalendar(c, zone: .utc)
        #expect(cal.daySeconds == 27_000)  // 3 h + 4.5 h = 7.5 h
        // Mon 2026-11-16 11:00 → 14:00: 11-12 1 h + 13:30-14:00 0.5 h = 1.5 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 16, 11), to: utcTime(2026, 11, 16, 14)) == 5400)
        // Start inside the break, 12:30 → 13:45: only 13:30-13:45 = 15 min.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 16, 12, 30), to: utcTime(2026, 11, 16, 13, 45)) == 900)
        // Mon 17:00 → Tue 09:30: Mon 1 h + Tue 0.5 h = 1.5 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 16, 17), to: utcTime(2026, 11, 17, 9, 30)) == 5400)
        // due: Mon 11:30 + 1 h → 30 min before the break, 30 min after it: 14:00.
        #expect(cal.due(start: utcTime(2026, 11, 16, 11, 30), businessSeconds: H) == utcTime(2026, 11, 16, 14))
    }

    @Test func acrossYearEnd() {
        // Wed 2025-12-31 17:00 → Fri 2026-01-02 10:00: 1 h + Thu 9 h + Fri 1 h = 11 h.
        #expect(cal.businessSeconds(from: utcTime(2025, 12, 31, 17), to: utcTime(2026, 1, 2, 10)) == 11 * H)
        var c = CalendarConfig()
        c.holidays = [dayNumber("2026-01-01")]
        let newYear = BusinessCalendar(c, zone: .utc)
        // With New Year's Day off: 1 h + 0 + 1 h = 2 h.
        #expect(newYear.businessSeconds(from: utcTime(2025, 12, 31, 17), to: utcTime(2026, 1, 2, 10)) == 2 * H)
    }

    @Test func acrossDSTInBerlin() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let cal = BusinessCalendar(CalendarConfig(), zone: berlin)
        // Spring forward on Sun 2026-03-29 02:00 CET → 03:00 CEST.
        // Fri 03-27 17:00 CET (16:00 UTC) → Mon 03-30 10:00 CEST (08:00 UTC): Fri 1 h + Mon 1 h = 2 h,
        // although only 65 − 1 = 64 h of real time passed (65 h of wall-clock time, minus the skipped hour).
        let from = localTime(berlin, 2026, 3, 27, 17)
        let to = localTime(berlin, 2026, 3, 30, 10)
        #expect(from == utcTime(2026, 3, 27, 16))
        #expect(to == utcTime(2026, 3, 30, 8))
        #expect(to - from == 64 * H)
        #expect(cal.businessSeconds(from: from, to: to) == 2 * H)
        // Fall back on Sun 2026-10-25: Fri 10-23 17:00 CEST → Mon 10-26 10:00 CET is again 2 h.
        #expect(
            cal.businessSeconds(from: localTime(berlin, 2026, 10, 23, 17), to: localTime(berlin, 2026, 10, 26, 10)) == 2
                * H)
        // Business hours are local: Mon 03-30 09:00-18:00 CEST is 07:00-16:00 UTC.
        #expect(cal.businessSeconds(from: utcTime(2026, 3, 30, 6), to: utcTime(2026, 3, 30, 8)) == H)
        // A 24-hour calendar counts wall-clock time: the short Sunday 03-29 counts 24 h (a decision:
        // business time is local wall-clock time, SPEC 3).
        var c = CalendarConfig()
        c.businessHours = [.init(startMinute: 0, endMinute: 24 * 60)]
        c.workdays = Set(1...7)
        let allDay = BusinessCalendar(c, zone: berlin)
        let sun = localTime(berlin, 2026, 3, 29)
        let mon = localTime(berlin, 2026, 3, 30)
        #expect(mon - sun == 23 * H)
        #expect(allDay.businessSeconds(from: sun, to: mon) == 24 * H)
    }

    @Test func degenerateSpans() {
        let t = utcTime(2026, 11, 18, 10)
        #expect(cal.businessSeconds(from: t, to: t) == 0)  // start == stop
        #expect(cal.businessSeconds(from: t, to: t - H) == 0)  // stop before start
        #expect(cal.due(start: t, businessSeconds: 0) == t)
    }

    @Test func insideVersusOutsideHours() {
        // Inside: Mon 10:00 → 12:00 = 2 h. Outside: Mon 07:00 → 12:00 counts only 09-12 = 3 h.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 16, 10), to: utcTime(2026, 11, 16, 12)) == 2 * H)
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 16, 7), to: utcTime(2026, 11, 16, 12)) == 3 * H)
        // After closing: Mon 19:00 → 23:00 = 0.
        #expect(cal.businessSeconds(from: utcTime(2026, 11, 16, 19), to: utcTime(2026, 11, 16, 23)) == 0)
    }

    @Test func dueExamples() {
        // Fri 2026-11-20 17:00 + 3bd (27 h): Fri 1 h, Mon 9 h (10), Tue 9 h (19), Wed 8 h → Wed 17:00.
        #expect(cal.due(start: utcTime(2026, 11, 20, 17), businessSeconds: 27 * H) == utcTime(2026, 11, 25, 17))
        // A due time at closing is the closing, not the next opening: Mon 09:00 + 9 h → Mon 18:00.
        #expect(cal.due(start: utcTime(2026, 11, 16, 9), businessSeconds: 9 * H) == utcTime(2026, 11, 16, 18))
        // Starting at night: Sat 23:00 + 1 s → Mon 09:00:01.
        #expect(cal.due(start: utcTime(2026, 11, 21, 23), businessSeconds: 1) == utcTime(2026, 11, 23, 9) + 1)
    }

    /// A plain per-day loop, the definition in code.
    static func reference(_ c: CalendarConfig, _ zone: ZoneRules, _ from: Int64, _ to: Int64) -> Int64 {
        if to <= from { return 0 }
        let lf = zone.local(from)
        let lt = zone.local(to)
        var total: Int64 = 0
        var d = Int(lf / 86_400) - 1
        while Int64(d) * 86_400 < lt {
            let wd = CivilDate.weekday(d)
            let worked = !c.holidays.contains(d) && (c.workdays.contains(wd) || c.extraWorkdays.contains(d))
            if worked {
                for iv in c.businessHours {
                    let a = max(lf, Int64(d) * 86_400 + Int64(iv.startMinute) * 60)
                    let b = min(lt, Int64(d) * 86_400 + Int64(iv.endMinute) * 60)
                    if b > a { total += b - a }
                }
            }
            d += 1
        }
        return total
    }

    @Test func matchesPerDayLoopAndDueIsTheInverse() throws {
        var rng = SplitMix(seed: 7)
        var c = CalendarConfig()
        c.businessHours = [
            .init(startMinute: 9 * 60, endMinute: 12 * 60), .init(startMinute: 13 * 60 + 30, endMinute: 18 * 60),
        ]
        let base = dayNumber("2025-06-01")
        c.holidays = Set((0..<40).map { _ in base + Int(rng.next() % 700) })
        c.extraWorkdays = Set((0..<15).map { _ in base + Int(rng.next() % 700) })
        for zoneName in ["UTC", "Asia/Shanghai", "Europe/Berlin"] {
            let zone = try #require(ZoneRules(identifier: zoneName))
            let cal = BusinessCalendar(c, zone: zone)
            let t0 = Int64(base) * 86_400
            for _ in 0..<400 {
                let from = t0 + Int64(rng.next() % (700 * 86_400))
                let to = from + Int64(rng.next() % (40 * 86_400))
                let b = cal.businessSeconds(from: from, to: to)
                #expect(b == Self.reference(c, zone, from, to), "\(zoneName) \(from) \(to)")
                let s = Int64(1 + rng.next() % (30 * 27_000))
                let due = cal.due(start: from, businessSeconds: s)
                #expect(cal.businessSeconds(from: from, to: due) == s)
                // Earliest: one second earlier is not yet due.
                #expect(cal.businessSeconds(from: from, to: due - 1) < s)
            }
        }
    }

    @Test func multiYearSpanIsFast() {
        var c = CalendarConfig()
        c.holidays = Set((0..<2000).map { dayNumber("2016-01-01") + $0 * 3 })
        let cal = BusinessCalendar(c, zone: .utc)
        let from = utcTime(2016, 1, 1)
        let to = utcTime(2026, 11, 25, 12)
        let clock = ContinuousClock()
        var sum: Int64 = 0
        let elapsed = clock.measure {
            for i in 0..<10_000 { sum &+= cal.businessSeconds(from: from + Int64(i), to: to) }
        }
        #expect(cal.businessSeconds(from: from, to: to) == Self.reference(c, .utc, from, to))
        #expect(sum != 0)
        #expect(elapsed < .seconds(1))  // 10 000 ten-year spans; a per-day loop would take ~40 M steps
    }
}

/// Deterministic random numbers for property tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
