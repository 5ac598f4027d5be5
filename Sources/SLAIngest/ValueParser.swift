import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Number parsing for the non-timestamp value columns.
public enum ValueParser {
    /// An amount in cents: optional sign, digits, optional `.` and decimals (at least one digit in
    /// all; no thousands separators or currency signs). More than two decimals round half away
    /// from zero at the cent, as a cashier rounds (四舍五入): 1.005 → 101, -1.005 → -101.
    /// nil when unreadable or over 15 integer digits.
    @inline(__always)
    public static func cents(_ b: ByteView) -> Int64? {
        let n = b.count
        guard n >= 1 else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D || b[0] == 0x2B {
            negative = b[0] == 0x2D
            i = 1
        }
        var whole: Int64 = 0
        var intDigits = 0
        while i < n, b[i] &- 0x30 <= 9 {
            whole = whole * 10 + Int64(b[i] &- 0x30)
            intDigits += 1
            i += 1
            if intDigits > 15 { return nil }
        }
        var frac: Int64 = 0  // first two decimals
        var fracDigits = 0
        var roundUp = false
        if i < n, b[i] == 0x2E {
            i += 1
            while i < n, b[i] &- 0x30 <= 9 {
                let d = Int64(b[i] &- 0x30)
                if fracDigits < 2 {
                    frac = frac * 10 + d
                } else if fracDigits == 2 {
                    roundUp = d >= 5
                }
                fracDigits += 1
                i += 1
            }
        }
        guard i == n, intDigits + fracDigits > 0 else { return nil }
        if fracDigits == 1 { frac *= 10 }
        let c = whole * 100 + frac + (roundUp ? 1 : 0)
        return negative ? -c : c
    }

    /// An integer: optional sign and 1–18 ASCII digits, else nil.
    @inline(__always)
    public static func integer(_ p: ByteView) -> Int64? {
        let n = p.count
        guard n >= 1 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B {
            negative = p[0] == 0x2D
            i = 1
        }
        guard i < n, n - i <= 18 else { return nil }
        var v: Int64 = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d <= 9 else { return nil }
            v = v * 10 + Int64(d)
            i += 1
        }
        return negative ? -v : v
    }

    /// A satisfaction score: exactly one ASCII digit 1–5 (SPEC 2.6), else nil.
    @inline(__always)
    public static func score(_ p: ByteView) -> UInt8? {
        guard p.count == 1 else { return nil }
        let d = p[0] &- 0x30
        return d >= 1 && d <= 5 ? d : nil
    }

    public static func cents(_ s: String) -> Int64? { ByteView.of(s) { cents($0) } }
    public static func integer(_ s: String) -> Int64? { ByteView.of(s) { integer($0) } }
    public static func score(_ s: String) -> UInt8? { ByteView.of(s) { score($0) } }
}
