import SLAFast
import SLAModel

/// The report formats' numbers and times, written straight into the buffer.
extension OutputBuffer {
    /// `NumberFormat.decimal(x, places:)`: rounded half away from zero, shortest text, nothing
    /// for a non-finite value.
    mutating func append(decimal x: Double, places: Int = 4) {
        guard x.isFinite else { return }
        let p = max(0, min(places, 6))
        let scaled = (x * NumberFormat.powers[p]).rounded(.toNearestOrAwayFromZero)
        // Beyond Int64 range the String formatter's integer fallback is used (never in reports).
        guard abs(scaled) < 9.2e18 else {
            append(NumberFormat.decimal(x, places: places))
            return
        }
        var n = Int64(scaled)
        if n < 0 {
            bytes.append(UInt8(ascii: "-"))
            n = -n
        }
        let unit = NumberFormat.unitPowers[p]
        appendDigits(UInt64(n / unit))
        var frac = n % unit
        guard frac != 0 else { return }
        var digits = p
        while frac % 10 == 0 {
            frac /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        // Leading zeros of the fraction: digits minus the digit count of `frac`.
        var width = 1
        var t = frac
        while t >= 10 {
            t /= 10
            width += 1
        }
        for _ in 0..<(digits - width) { bytes.append(0x30) }
        appendDigits(UInt64(frac))
    }

    /// `ZoneRules.localString`: "2026-11-23 08:00:00" local.
    @inline(__always)
    mutating func append(localTime utc: Int64, zone: ZoneRules) {
        zone.appendLocalString(utc, to: &bytes)
    }

    /// `ZoneRules.iso8601`: "2026-11-23T08:00:00+08:00".
    mutating func append(isoTime utc: Int64, zone: ZoneRules) {
        zone.appendLocalString(utc, to: &bytes, iso: true)
    }
}
