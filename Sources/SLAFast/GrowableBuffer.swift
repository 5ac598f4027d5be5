/// A growable array of plain values reused across records and rows (no allocation once warm,
/// no uniqueness checks): the record's bytes and field ends, a string pool's arena and offsets.
///
/// The owner frees it (`free()`) and must not copy it past that: a copy shares the storage.
/// Read it through `subscript` and `view`; `base` is for the owning type's private code.
public struct GrowableBuffer<Element: BitwiseCopyable> {
    /// The storage: `capacity` elements, the first `count` of them set.
    @inlinable public var base: UnsafeMutablePointer<Element> { storage }
    @inlinable public var capacity: Int { allocated }
    @usableFromInline var storage: UnsafeMutablePointer<Element>
    @usableFromInline var allocated: Int
    /// Elements in use; may be lowered to drop the tail (never raised past what was written).
    public var count = 0

    /// Element `i` (0 ≤ i < count).
    @inlinable @inline(__always)
    public subscript(_ i: Int) -> Element {
        assert(i >= 0 && i < count, "GrowableBuffer index out of range")
        // Safe: i < count ≤ capacity (asserted).
        return base[i]
    }

    @inlinable public init(capacity: Int) {
        allocated = max(capacity, 16)
        storage = .allocate(capacity: allocated)
    }

    @inlinable public func free() { base.deallocate() }

    /// Makes room for `extra` more elements.
    @inlinable @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @inlinable public mutating func grow(_ need: Int) {
        // Safe: the new block holds c ≥ need > count elements; the first count are copied.
        var c = capacity
        while c < need { c *= 2 }
        let nb = UnsafeMutablePointer<Element>.allocate(capacity: c)
        nb.update(from: base, count: count)
        storage.deallocate()
        storage = nb
        allocated = c
    }

    @inlinable @inline(__always)
    public mutating func append(_ v: Element) {
        if count == capacity { grow(count + 1) }
        // Safe: count < capacity after the grow.
        base[count] = v
        count += 1
    }
}

public typealias ByteBuffer = GrowableBuffer<UInt8>
public typealias IntBuffer = GrowableBuffer<Int>

extension GrowableBuffer where Element == UInt8 {
    /// Appends the bytes of `v`.
    @inlinable @inline(__always)
    public mutating func append(_ v: ByteView) {
        if v.count > 0 { v.withUnsafeBytes { append($0.baseAddress!, $0.count) } }
    }

    @inlinable @inline(__always)
    public mutating func append(_ p: UnsafeRawPointer, _ n: Int) {
        reserve(n)
        // Safe: reserve made room for n bytes at base + count; the caller's p holds n bytes
        // (every load below lies in 0..<n: 8...16 and 4...7 use two overlapping words).
        assert(n >= 0 && count + n <= capacity)
        let d = UnsafeMutableRawPointer(base + count)
        // Most fields are short: two overlapping word copies beat a call to memmove.
        if n >= 8 && n <= 16 {
            d.storeBytes(of: p.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (d + n - 8).storeBytes(of: p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), as: UInt64.self)
        } else if n >= 4 && n < 8 {
            d.storeBytes(of: p.loadUnaligned(as: UInt32.self), as: UInt32.self)
            (d + n - 4).storeBytes(of: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), as: UInt32.self)
        } else if n < 4 {
            for i in 0..<n {
                d.storeBytes(of: p.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
            }
        } else {
            d.copyMemory(from: p, byteCount: n)
        }
        count += n
    }
}

extension GrowableBuffer where Element == UInt8 {
    /// The bytes as a view (valid until the buffer next changes).
    @inlinable
    public var view: ByteView { ByteView(UnsafeRawBufferPointer(start: base, count: count)) }
}
