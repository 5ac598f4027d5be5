import SLAFast
import SLAMetrics
import SLAModel

/// Locale-independent number text for every report format.
///
/// Numbers are rounded half away from zero to a fixed number of decimals and printed in their
/// shortest form without an exponent (`0.1 + 0.2` → `0.3`, `24.0` → `24`, `2/3` → `0.6667`).
/// Integer arithmetic does the printing, so no locale, `printf` or Foundation formatter is involved.
enum NumberFormat {
    static let powers: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    static let unitPowers: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `x` rounded to `places` decimals (0...6), shortest text. Non-finite values give "".
    static func decimal(_ x: Double, places: Int = 4) -> String {
        guard x.isFinite else { return "" }
        let p = max(0, min(places, 6))
        let scaled = (x * powers[p]).rounded(.toNearestOrAwayFromZero)
        // Beyond Int64 range fall back to integer text (no fraction digits are left there anyway).
        guard abs(scaled) < 9.2e18 else { return integerText(x.rounded()) }
        var n = Int64(scaled)
        let negative = n < 0
        if negative { n = -n }
        let unit = Int64(powers[p])
        let whole = n / unit
        var frac = n % unit
        var text = String(whole)
        if frac != 0 {
            var digits = p
            while frac % 10 == 0 {
                frac /= 10
                digits -= 1
            }
            let f = String(frac)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return (negative && n != 0 ? "-" : "") + text
    }

    private static func integerText(_ x: Double) -> String {
        if abs(x) < 9.2e18 { return String(Int64(x)) }
        // Astronomical values never occur in reports; keep them finite text without exponent.
        var digits = ""
        var v = abs(x)
        while v >= 1 {
            let d = Int(v.truncatingRemainder(dividingBy: 10))
            digits = String(d) + digits
            v = (v / 10).rounded(.towardZero)
        }
        return (x < 0 ? "-" : "") + digits
    }

    /// An integer with "," every three digits (the same in English and Chinese reports).
    static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A share 0...1 as a percentage with one decimal: 0.93456 → "93.5%".
    static func percent(_ x: Double?) -> String? {
        guard let x, x.isFinite else { return nil }
        return decimal(x * 100, places: 1) + "%"
    }

    /// Change of a share in percentage points, signed, without unit: "+2.5", "−0.4", "±0".
    static func pointsChange(_ now: Double?, _ before: Double?) -> String? {
        guard let now, let before else { return nil }
        let d = decimal((now - before) * 100, places: 1)
        return d.hasPrefix("-") ? "−" + d.dropFirst() : (d == "0" ? "±0" : "+" + d)
    }

    /// Signed change of a count: +3, −2, ±0.
    static func countChange(_ now: Int, _ before: Int) -> String {
        let d = now - before
        if d == 0 { return "±0" }
        return d > 0 ? "+" + grouped(d) : "−" + grouped(-d)
    }

    /// Hours with one decimal: 13.25 → "13.3 h" (the unit is added by the caller's label).
    static func hours(_ x: Double?) -> String? {
        guard let x, x.isFinite else { return nil }
        return decimal(x, places: 1)
    }
}
