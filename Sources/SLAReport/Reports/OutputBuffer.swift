/// The bytes of one output file under construction: text, integers, decimals and local times are
/// appended as UTF-8 in place, without an intermediate `String` per value.
///
/// The renderers of a year write about 27 MB in some 15 million small pieces; building `String`s
/// for each piece (and joining and copying them) cost more than all the metrics. Every number
/// written here gives exactly the text of the matching `String` formatter (`NumberFormat.decimal`,
/// `String(Int)`, `ZoneRules.localString`), which the tests check on edge cases.
struct OutputBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// (Through `withUTF8`: appending a `String.UTF8View` takes the generic, element-wise path.)
    @inline(__always)
    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(byte b: UInt8) { bytes.append(b) }

    @inline(__always)
    mutating func append(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }

    /// `String(n)`.
    mutating func append(int n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(n.magnitude))
    }

    /// The decimal digits of `v`, no sign, no padding.
    @inline(__always)
    mutating func appendDigits(_ v: UInt64) {
        if v < 10 {
            bytes.append(0x30 + UInt8(truncatingIfNeeded: v))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { tmp in
            var i = 20
            var x = v
            repeat {
                i -= 1
                tmp[i] = 0x30 + UInt8(truncatingIfNeeded: x % 10)
                x /= 10
            } while x > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[i..<20]))
        }
    }

    /// Exactly two digits of 0...99 (clock fields, months, days).
    @inline(__always)
    mutating func append2(_ v: Int) {
        bytes.append(0x30 + UInt8(truncatingIfNeeded: v / 10))
        bytes.append(0x30 + UInt8(truncatingIfNeeded: v % 10))
    }

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
