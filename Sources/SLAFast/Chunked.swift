/// Values appended in order and kept in the buffers they were appended to: `merge` adopts the
/// other side's buffers instead of copying them into one. The shards' per-row buffers of a year
/// are tens of MB, and fresh memory (page faults) was most of what merging cost.
public struct Chunked<Element: Sendable>: Sendable {
    /// Buffers of merged values, then `open`, which takes new values.
    public var sealed: [[Element]] = []
    public var open: [Element] = []

    @inlinable public init() {}

    @inlinable public var count: Int { sealed.reduce(open.count) { $0 + $1.count } }
    @inlinable public var isEmpty: Bool { open.isEmpty && sealed.allSatisfy(\.isEmpty) }

    @inlinable @inline(__always)
    public mutating func append(_ e: Element) { open.append(e) }

    /// Room for `n` more values in the open buffer.
    @inlinable public mutating func reserveCapacity(_ n: Int) { open.reserveCapacity(open.count + n) }

    /// Appends `other`'s values after these, keeping its buffers as they are.
    @inlinable public mutating func merge(_ other: Chunked) {
        if other.isEmpty { return }
        if !open.isEmpty {
            sealed.append(open)
            open = []
        }
        sealed += other.sealed.filter { !$0.isEmpty }
        if !other.open.isEmpty { sealed.append(other.open) }
    }

    /// The non-empty buffers in order.
    @inlinable public var buffers: [[Element]] {
        var out = sealed.filter { !$0.isEmpty }
        if !open.isEmpty { out.append(open) }
        return out
    }

    /// All values as one array (the open buffer itself when there is nothing else).
    @inlinable public var joined: [Element] {
        if sealed.allSatisfy(\.isEmpty) { return open }
        var out: [Element] = []
        out.reserveCapacity(count)
        for b in sealed { out += b }
        out += open
        return out
    }

    @inlinable public func forEach(_ body: (Element) -> Void) {
        for b in sealed {
            for e in b { body(e) }
        }
        for e in open { body(e) }
    }
}
