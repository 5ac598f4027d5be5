/// `Int64` keys (such as week << 32 | id) numbered 0, 1, 2… in insertion order, for counters kept
/// in plain arrays beside it. Open addressing with a multiplicative hash: `Dictionary` hashes
/// every key with SipHash, which on a million orders cost more than the counting itself.
package struct DenseKeys: Sendable {
    /// The keys by number.
    package private(set) var keys: [Int64] = []
    /// Key number + 1 per slot, 0 = empty. A power of two, at most half full.
    private var slots: [Int32] = [Int32](repeating: 0, count: 16)
    private var shift: UInt64 = 60

    package init() {}

    package var count: Int { keys.count }

    @inline(__always)
    private func home(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The number of `key`, nil when absent.
    @inline(__always)
    package func find(_ key: Int64) -> Int? {
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let s = Int(slots[i])
            if s == 0 { return nil }
            if keys[s - 1] == key { return s - 1 }
            i = (i + 1) & mask
        }
    }

    /// The number of `key`, adding it (as `count`) when absent.
    @inline(__always)
    package mutating func insert(_ key: Int64) -> (index: Int, inserted: Bool) {
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let s = Int(slots[i])
            if s == 0 { break }
            if keys[s - 1] == key { return (s - 1, false) }
            i = (i + 1) & mask
        }
        let n = keys.count
        keys.append(key)
        slots[i] = Int32(n + 1)
        if 2 * keys.count > slots.count { grow() }
        return (n, true)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for (n, key) in keys.enumerated() {
            var i = home(key)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(n + 1)
        }
    }
}
