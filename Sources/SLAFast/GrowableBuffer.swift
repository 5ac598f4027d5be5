/// A growable array of plain values reused across records and rows (no allocation once warm,
/// no uniqueness checks): the record's bytes and field ends, a string pool's arena and offsets.
public struct GrowableBuffer<Element: BitwiseCopyable> {
    public var base: UnsafeMutablePointer<Element>
    public var capacity: Int
    public var count = 0

    @inlinable public init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inlinable public func free() { base.deallocate() }

    /// Makes room for `extra` more elements.
    @inlinable @inline(__always)
    public mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @inlinable public mutating func grow(_ need: Int) {
        var c = capacity
        while c < need { c *= 2 }
        let nb = UnsafeMutablePointer<Element>.allocate(capacity: c)
        nb.update(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = c
    }

    @inlinable @inline(__always)
    public mutating func append(_ v: Element) {
        if count == capacity { grow(count + 1) }
        base[count] = v
        count += 1
    }
}

public typealias ByteBuffer = GrowableBuffer<UInt8>
public typealias IntBuffer = GrowableBuffer<Int>

extension GrowableBuffer where Element == UInt8 {
    @inlinable @inline(__always)
    public mutating func append(_ p: UnsafeRawPointer, _ n: Int) {
        reserve(n)
        let d = UnsafeMutableRawPointer(base + count)
        // Most fields are short: two overlapping word copies beat a call to memmove.
        if n >= 8 && n <= 16 {
            d.storeBytes(of: p.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (d + n - 8).storeBytes(of: p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), as: UInt64.self)
        } else if n >= 4 && n < 8 {
            d.storeBytes(of: p.loadUnaligned(as: UInt32.self), as: UInt32.self)
            (d + n - 4).storeBytes(of: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), as: UInt32.self)
        } else if n < 4 {
            for i in 0..<n { d.storeBytes(of: p.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
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
