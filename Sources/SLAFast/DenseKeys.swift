/// `Int64` keys (such as week << 32 | id) numbered 0, 1, 2… in insertion order, for counters kept
/// in plain arrays beside it. Open addressing with a multiplicative hash: `Dictionary` hashes
/// every key with SipHash, which on a million orders cost more than the counting itself.
public struct DenseKeys: Sendable {
    /// The keys by number.
    public var keys: [Int64] { storedKeys }
    @usableFromInline var storedKeys: [Int64] = []
    /// Key number + 1 per slot, 0 = empty. A power of two, at most half full.
    @usableFromInline var slots: [Int32] = [Int32](repeating: 0, count: 16)
    @usableFromInline var shift: UInt64 = 60

    public init() {}

    @inlinable public var count: Int { storedKeys.count }

    @inlinable @inline(__always)
    func home(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The number of `key`, nil when absent.
    @inlinable @inline(__always)
    public func find(_ key: Int64) -> Int? {
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let s = Int(slots[i])
            if s == 0 { return nil }
            if storedKeys[s - 1] == key { return s - 1 }
            i = (i + 1) & mask
        }
    }

    /// The number of `key`, adding it (as `count`) when absent.
    @inlinable @inline(__always)
    public mutating func insert(_ key: Int64) -> (index: Int, inserted: Bool) {
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let s = Int(slots[i])
            if s == 0 { break }
            if storedKeys[s - 1] == key { return (s - 1, false) }
            i = (i + 1) & mask
        }
        let n = storedKeys.count
        storedKeys.append(key)
        slots[i] = Int32(n + 1)
        if 2 * storedKeys.count > slots.count { grow() }
        return (n, true)
    }

    @usableFromInline mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for (n, key) in storedKeys.enumerated() {
            var i = home(key)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(n + 1)
        }
    }
}
