/// A read-only view of bytes that someone else keeps alive: a field of the CSV record being
/// parsed, a string's UTF-8. Parsers in the other targets take this instead of a raw pointer, so
/// pointer types stay inside SLAFast and the private code of the few types that own buffers.
///
/// A view is valid only during the call that hands it out (a `RecordView`'s callback, the body
/// of `ByteView.of(_:_:)`): never store one. Every read is checked against `count` in debug
/// builds; release builds skip the check, as the row loop needs.
@frozen
public struct ByteView {
    @usableFromInline let start: UnsafeRawPointer?
    public let count: Int

    /// A view of `bytes`, which the caller keeps alive and unchanged while the view is used.
    @inlinable @inline(__always)
    public init(_ bytes: UnsafeRawBufferPointer) {
        start = bytes.baseAddress
        count = bytes.count
    }

    /// The empty view.
    @inlinable @inline(__always)
    public init() {
        start = nil
        count = 0
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// Byte `i` (0 ≤ i < count).
    @inlinable @inline(__always)
    public subscript(_ i: Int) -> UInt8 {
        assert(i >= 0 && i < count, "ByteView index out of range")
        // Safe: i lies inside the `count` bytes at `start` (asserted), which the owner keeps alive
        // for the view's lifetime.
        return start.unsafelyUnwrapped.load(fromByteOffset: i, as: UInt8.self)
    }

    /// Bytes `from ..< to` as a view.
    @inlinable @inline(__always)
    public func slice(_ from: Int, _ to: Int) -> ByteView {
        assert(from >= 0 && from <= to && to <= count, "ByteView slice out of range")
        if from == to { return ByteView() }
        // Safe: the range lies inside this view (asserted).
        return ByteView(UnsafeRawBufferPointer(start: start.unsafelyUnwrapped + from, count: to - from))
    }

    /// Calls `body` with the bytes as a raw buffer, for the code in SLAFast and the private code
    /// of buffer-owning types that hand them to C or load words.
    @inlinable @inline(__always)
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// The bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    /// The bytes copied into an array.
    public var array: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with a view of the UTF-8 of `s`.
    @inlinable
    public static func of<R>(_ s: String, _ body: (ByteView) throws -> R) rethrows -> R {
        var s = s
        return try s.withUTF8 { try body(ByteView(UnsafeRawBufferPointer($0))) }
    }

    /// Calls `body` with a view of `bytes`.
    @inlinable
    public static func of<R>(_ bytes: [UInt8], _ body: (ByteView) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(ByteView($0)) }
    }
}
