import SLAFast

/// Reads the timestamp forms of SPEC 2.4/2.6 from bytes, without Foundation or `String`:
///
/// - `YYYY-MM-DD HH:MM[:SS[.fff]]`
/// - `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM]`
/// - `YYYY/MM/DD HH:MM[:SS]`
/// - `YYYY-MM-DD` (midnight)
///
/// Month, day and hour may drop a leading zero; year has four digits, minutes, seconds and offset
/// fields two. A fraction has 1–9 digits and is truncated. Without an offset the time is local in
/// `zone` (fold=0, see `ZoneRules.utc(fromLocal:)`); with `Z` or an offset it is that instant.
/// Impossible values (Feb 30, 24:00, minute or second 60, month 13) and years outside
/// `TimestampParser.years` read as nil, as does anything else (trailing text, `N/A`, Excel serials).
public enum TimestampParser {
    /// Years accepted. A `0001-01-01` sentinel would otherwise create two thousand years of
    /// empty report weeks.
    public static let years: ClosedRange<Int> = 1900...2199

    /// Epoch seconds of `p`, or nil when it is not one of the accepted forms.
    @inline(__always)
    public static func parse(_ p: ByteView, zone: ZoneRules) -> Int64? {
        guard let (t, isUTC) = scan(p) else { return nil }
        return isUTC ? t : zone.utc(fromLocal: t)
    }

    /// String convenience (tests, config): same rules as the byte form.
    public static func parse(_ s: String, zone: ZoneRules = .utc) -> Int64? {
        ByteView.of(s) { parse($0, zone: zone) }
    }

    /// The written time as seconds since 1970-01-01 00:00 of the same wall clock, and whether it
    /// carried an offset (then the value is already UTC).
    @inline(__always)
    static func scan(_ b: ByteView) -> (Int64, Bool)? {
        let n = b.count
        // Shortest form: "2026-1-1" (8 bytes).
        guard n >= 8 else { return nil }
        // Fast path: the fixed-width "YYYY-MM-DD HH:MM:SS" that most exports write.
        if n == 19, b[4] == dash, b[7] == dash, b[10] == space, b[13] == colon, b[16] == colon {
            let y0 = b[0] &- zero
            let y1 = b[1] &- zero
            let y2 = b[2] &- zero
            let y3 = b[3] &- zero
            let m0 = b[5] &- zero
            let m1 = b[6] &- zero
            let d0 = b[8] &- zero
            let d1 = b[9] &- zero
            let h0 = b[11] &- zero
            let h1 = b[12] &- zero
            let i0 = b[14] &- zero
            let i1 = b[15] &- zero
            let s0 = b[17] &- zero
            let s1 = b[18] &- zero
            // Each is 0...9 for a digit, >= 10 otherwise (UInt8 wraps below '0').
            if max(max(max(y0, y1), max(y2, y3)), max(max(m0, m1), max(d0, d1))) > 9 { return nil }
            if max(max(max(h0, h1), max(i0, i1)), max(s0, s1)) > 9 { return nil }
            let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
            return civil(
                year: year, month: Int(m0) * 10 + Int(m1), day: Int(d0) * 10 + Int(d1),
                hour: Int(h0) * 10 + Int(h1), minute: Int(i0) * 10 + Int(i1), second: Int(s0) * 10 + Int(s1)
            ).map { ($0, false) }
        }
        return scanGeneral(b, n)
    }

    private static let zero: UInt8 = 0x30
    private static let dash: UInt8 = 0x2D
    private static let slash: UInt8 = 0x2F
    private static let space: UInt8 = 0x20
    private static let colon: UInt8 = 0x3A

    /// Every accepted form, one byte at a time.
    private static func scanGeneral(_ b: ByteView, _ n: Int) -> (Int64, Bool)? {
        var i = 0

        // Reads between `least` and `most` digits at i; nil when fewer than `least`.
        @inline(__always) func digits(_ least: Int, _ most: Int) -> Int? {
            var v = 0
            var k = 0
            while k < most, i < n {
                let d = b[i] &- zero
                if d > 9 { break }
                v = v * 10 + Int(d)
                i += 1
                k += 1
            }
            return k >= least ? v : nil
        }
        @inline(__always) func take(_ c: UInt8) -> Bool {
            if i < n, b[i] == c {
                i += 1
                return true
            }
            return false
        }

        guard let year = digits(4, 4), i < n else { return nil }
        let sep = b[i]
        guard sep == dash || sep == slash else { return nil }
        i += 1
        guard let month = digits(1, 2), take(sep), let day = digits(1, 2) else { return nil }
        if i == n {
            // Date only: "YYYY-MM-DD" (the slash form always has a time).
            guard sep == dash else { return nil }
            return civil(year: year, month: month, day: day, hour: 0, minute: 0, second: 0).map { ($0, false) }
        }
        let isT = b[i] == 0x54  // "T"
        guard b[i] == space || (isT && sep == dash) else { return nil }
        i += 1
        guard let hour = digits(1, 2), take(colon), let minute = digits(2, 2) else { return nil }
        var second = 0
        if take(colon) {
            guard let s = digits(2, 2) else { return nil }
            second = s
        } else if isT || i != n {
            return nil  // the T form always has seconds; nothing else may follow HH:MM
        }
        if sep == dash, take(0x2E) {  // "."
            var k = 0
            while i < n, b[i] &- zero <= 9 {
                i += 1
                k += 1
            }
            guard k >= 1, k <= 9 else { return nil }
        }
        var offset = 0
        var isUTC = false
        if isT, i < n {
            if take(0x5A) {  // "Z"
                isUTC = true
            } else {
                let sign = b[i]
                guard sign == 0x2B || sign == dash else { return nil }  // "+" or "-"
                i += 1
                guard let oh = digits(2, 2) else { return nil }
                _ = take(colon)
                guard let om = digits(2, 2), oh <= 23, om <= 59 else { return nil }
                offset = (oh * 3600 + om * 60) * (sign == dash ? -1 : 1)
                isUTC = true
            }
        }
        guard i == n, let local = civil(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return (local - Int64(offset), isUTC)
    }

    /// Wall-clock seconds since 1970-01-01 00:00, or nil for an impossible date or time.
    @inline(__always)
    private static func civil(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard year >= years.lowerBound, year <= years.upperBound, month >= 1, month <= 12, day >= 1,
            day <= CivilDate.daysInMonth(year: year, month: month), hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}

/// `TimestampParser` bound to one zone, remembering the span of local time the last lookup fell
/// in: rows of one export cluster in time, so most local→UTC conversions skip the binary search.
/// Gives exactly what `ZoneRules.utc(fromLocal:)` gives. One per row builder (not shared).
public struct TimestampReader: Sendable {
    public let zone: ZoneRules
    // Local times in lo ..< hi use offset `off` (empty span until the first lookup).
    private var lo: Int64 = 1
    private var hi: Int64 = 0
    private var off: Int64 = 0

    public init(zone: ZoneRules) { self.zone = zone }

    /// Epoch seconds of `p`, or nil (see `TimestampParser`).
    @inline(__always)
    public mutating func parse(_ p: ByteView) -> Int64? {
        guard let (t, isUTC) = TimestampParser.scan(p) else { return nil }
        return isUTC ? t : utc(fromLocal: t)
    }

    /// Same as `zone.utc(fromLocal:)`, cached.
    @inline(__always)
    public mutating func utc(fromLocal l: Int64) -> Int64 {
        if l >= lo && l < hi { return l - off }
        return refill(l)
    }

    private mutating func refill(_ l: Int64) -> Int64 {
        let th = zone.localThresholds
        // Same search as ZoneRules.utc(fromLocal:): k = number of thresholds <= l.
        var a = 0
        var b = th.count
        while a < b {
            let mid = (a + b) >> 1
            if th[mid] <= l { a = mid + 1 } else { b = mid }
        }
        lo = a == 0 ? Int64.min : th[a - 1]
        hi = a == th.count ? Int64.max : th[a]
        off = Int64(zone.offsets[a])
        return l - off
    }
}
