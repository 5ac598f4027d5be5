/// The last value seen in one column and its id (values up to 48 bytes).
public struct RepeatCache: Sendable {
    @usableFromInline var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    @usableFromInline var count = -1
    @usableFromInline var id: StrID = .none

    @inlinable public init() {}

    /// The remembered id when `p` holds the remembered bytes.
    @inlinable @inline(__always)
    public func match(_ p: ByteView) -> StrID? {
        guard p.count == count else { return nil }
        var b = bytes
        // Safe: both buffers hold at least `count` bytes (count ≤ 48 = the tuple's size; p.count
        // == count checked above).
        let same = withUnsafeBytes(of: &b) { a in
            p.withUnsafeBytes { StringPool.same(a.baseAddress!, $0.baseAddress!, count) }
        }
        return same ? id : nil
    }

    /// Remembers `p` (up to 48 bytes; longer values are not cached) and its id.
    @inlinable @inline(__always)
    public mutating func remember(_ p: ByteView, _ id: StrID) {
        guard p.count <= 48, p.count > 0 else {
            count = -1
            return
        }
        assert(MemoryLayout.size(ofValue: bytes) >= p.count)
        // Safe: p.count ≤ 48 bytes fit the 48-byte tuple (checked above).
        withUnsafeMutableBytes(of: &bytes) { d in
            p.withUnsafeBytes { d.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: p.count) }
        }
        count = p.count
        self.id = id
    }
}
