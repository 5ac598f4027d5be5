import CSystem

/// Interned string id (see `StringPool`); `-1` means empty/missing.
public typealias StrID = Int32

extension StrID {
    public static let none: Int32 = -1
}

/// Interns byte strings to small dense integers (`StrID`), so rows store 4-byte ids instead of
/// `String`s. Open addressing over one contiguous byte arena; no per-string allocation.
/// Not thread-safe: the parser owns one per chunk of rows, and the merge absorbs them into the
/// merged pools.
public final class StringPool: @unchecked Sendable {
    /// The strings back to back; string i is `arena[starts[i] ..< starts[i + 1]]`. Owned
    /// buffers, not Arrays: an Array took its generic, uniqueness-checked append for every new id.
    private var arena: ByteBuffer
    private var starts: IntBuffer
    /// 0 = empty, else hash << 32 | (id + 1): a probe compares hashes without touching the
    /// arena, so a miss costs one cache line, not three.
    /// Owned here (not an Array), so a probe is plain pointer arithmetic with no retain of a
    /// buffer: it runs for every id field of every row.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotCount: Int
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        slotCount = size
        mask = size - 1
        arena = ByteBuffer(capacity: capacity * 8)
        starts = IntBuffer(capacity: capacity + 1)
        starts.append(0)
    }

    deinit {
        slots.deallocate()
        arena.free()
        starts.free()
    }

    public var count: Int { starts.count - 1 }

    /// 32-bit hash, eight bytes at a time (ids are short; FNV's byte loop cost more than the
    /// probe it feeds). Only the slot placement depends on it, never an id.
    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt32 {
        let n = p.count
        guard let base = p.baseAddress, n > 0 else { return 0x9E37_79B9 }
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        // Safe: every load lies in 0..<n (word loads while i + 8 <= n, then single bytes).
        while i + 8 <= n {
            h = (h ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var t: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                t |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ t) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return UInt32(truncatingIfNeeded: h >> 32)
    }

    /// Byte equality for short strings without a call into libc.
    @inlinable @inline(__always)
    public static func same(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        // Safe when both hold n bytes (the caller's precondition): loads stay in 0..<n.
        assert(n >= 0)
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            {
                return false
            }
            i += 8
        }
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// The id of these bytes, adding them when new.
    @inline(__always)
    public func intern(_ bytes: UnsafeRawBufferPointer) -> StrID {
        intern(bytes, hash: StringPool.hash(bytes))
    }

    /// The id of the bytes of `v`, adding them when new.
    @inline(__always)
    public func intern(_ v: ByteView) -> StrID {
        v.withUnsafeBytes { intern($0) }
    }

    /// Calls `body` with the bytes of `id` as a view.
    public func withView<R>(_ id: StrID, _ body: (ByteView) -> R) -> R {
        withBytes(id) { body(ByteView($0)) }
    }

    /// `intern` with the hash already taken.
    @inline(__always)
    private func intern(_ bytes: UnsafeRawBufferPointer, hash h: UInt32) -> StrID {
        var i = Int(h) & mask
        // Safe: i is masked to 0..<slotCount, the slots allocated; the table is at most half
        // full (grown below), so the probe ends at an empty slot.
        while true {
            assert(i >= 0 && i < slotCount)
            let e = slots[i]
            if e == 0 { break }
            if UInt32(truncatingIfNeeded: e >> 32) == h {
                let id = Int(UInt32(truncatingIfNeeded: e)) - 1
                if equals(id, bytes) { return Int32(id) }
            }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        if let p = bytes.baseAddress, bytes.count > 0 { arena.append(p, bytes.count) }
        starts.append(arena.count)
        slots[i] = UInt64(h) << 32 | UInt64(id + 1)
        if count * 2 > slotCount { grow() }
        return id
    }

    public func intern(_ s: String) -> StrID {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The id of these bytes, or nil when never interned.
    public func lookup(_ s: String) -> StrID? {
        var s = s
        return s.withUTF8 { p -> StrID? in
            let bytes = UnsafeRawBufferPointer(p)
            let h = StringPool.hash(bytes)
            var i = Int(h) & mask
            while true {
                let e = slots[i]
                if e == 0 { return nil }
                if UInt32(truncatingIfNeeded: e >> 32) == h {
                    let id = Int(UInt32(truncatingIfNeeded: e)) - 1
                    if equals(id, bytes) { return Int32(id) }
                }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        // Safe: id comes from a slot, so id + 1 < starts.count and the string lies in the arena.
        assert(id >= 0 && id + 1 < starts.count)
        let s = starts.base[id]
        let n = starts.base[id + 1] - s
        if n != bytes.count { return false }
        if n == 0 { return true }
        return StringPool.same(arena.base + s, bytes.baseAddress!, n)
    }

    private func grow() {
        let size = slotCount * 2
        let newSlots = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        newSlots.initialize(repeating: 0, count: size)
        let m = size - 1
        for k in 0..<slotCount {
            let e = slots[k]
            if e == 0 { continue }
            var i = Int(UInt32(truncatingIfNeeded: e >> 32)) & m
            while newSlots[i] != 0 { i = (i + 1) & m }
            newSlots[i] = e
        }
        slots.deallocate()
        slots = newSlots
        slotCount = size
        mask = m
    }

    /// Calls `body` with the bytes of `id`.
    public func withBytes<R>(_ id: StrID, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        // Safe for every id this pool gave out (asserted): its bytes lie in the arena.
        require(id >= 0 && Int(id) < count, "StringPool.withBytes: id not in this pool")
        let s = starts.base[Int(id)]
        let e = starts.base[Int(id) + 1]
        return body(UnsafeRawBufferPointer(start: arena.base + s, count: e - s))
    }

    /// The string of `id` ("" for `.none`).
    public func string(_ id: StrID) -> String {
        if id < 0 { return "" }
        return withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Interns every string of `other` here; returns the map other-id → id here. The slot of
    /// the string `ahead` places on is prefetched, so the probes' cache misses (most strings
    /// are new to a big pool) overlap instead of coming one after another.
    public func absorb(_ other: StringPool) -> [StrID] {
        let n = other.count
        let ahead = 8
        var map = [StrID](repeating: .none, count: n)
        var hashes = [UInt32](repeating: 0, count: ahead)
        // Reading `other` while appending here is safe only for two pools.
        assert(other !== self, "a pool cannot absorb itself")
        let a = other.arena.base
        let starts = other.starts.base
        // Safe: id < other.count, so starts[id + 1] exists and the string lies in other's arena,
        // which `other` (alive for the call, not appended to) keeps in place.
        @inline(__always) func bytes(_ id: Int) -> UnsafeRawBufferPointer {
            assert(id >= 0 && id < n)
            return UnsafeRawBufferPointer(start: a + starts[id], count: starts[id + 1] - starts[id])
        }
        // hashes[id % ahead]: the hash of `id`, until `id + ahead` takes its place.
        for id in 0..<(n + ahead) {
            let k = id - ahead
            if k >= 0 { map[k] = intern(bytes(k), hash: hashes[k % ahead]) }
            if id < n {
                let h = StringPool.hash(bytes(id))
                hashes[id % ahead] = h
                // A hint only: never faults, and the address lies inside the slots.
                CSystem_prefetch(slots + (Int(h) & mask))
            }
        }
        return map
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
