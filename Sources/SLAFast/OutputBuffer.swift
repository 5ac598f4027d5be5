/// The bytes of one output file under construction: text, integers, decimals and local times are
/// appended as UTF-8 in place, without an intermediate `String` per value.
///
/// The renderers of a year write about 27 MB in some 15 million small pieces; building `String`s
/// for each piece (and joining and copying them) cost more than all the metrics. Every number
/// written here gives exactly the text of the matching `String` formatter (`NumberFormat.decimal`,
/// `String(Int)`, `ZoneRules.localString`), which the tests check on edge cases.
public struct OutputBuffer {
    public var bytes: [UInt8] = []

    @inlinable public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inlinable public var count: Int { bytes.count }

    @inlinable @inline(__always)
    public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// (Through `withUTF8`: appending a `String.UTF8View` takes the generic, element-wise path.)
    @inlinable @inline(__always)
    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inlinable @inline(__always)
    public mutating func append(byte b: UInt8) { bytes.append(b) }

    @inlinable @inline(__always)
    public mutating func append(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }

    /// `String(n)`.
    @inlinable public mutating func append(int n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(n.magnitude))
    }

    /// The decimal digits of `v`, no sign, no padding.
    @inlinable @inline(__always)
    public mutating func appendDigits(_ v: UInt64) {
        if v < 10 {
            bytes.append(0x30 + UInt8(truncatingIfNeeded: v))
            return
        }
        // Safe: a UInt64 has at most 20 decimal digits, so i stays in 0..<20.
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
    @inlinable @inline(__always)
    public mutating func append2(_ v: Int) {
        bytes.append(0x30 + UInt8(truncatingIfNeeded: v / 10))
        bytes.append(0x30 + UInt8(truncatingIfNeeded: v % 10))
    }
}
