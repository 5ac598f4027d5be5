import SLAFast
import SLAModel

/// One parsed CSV record, as views into the reader's reused buffers. Valid only during the
/// callback it is passed to: copy what you keep (intern strings, parse numbers).
/// Fields are already trimmed of spaces/tabs and decoded to UTF-8.
public struct RecordView {
    /// 1-based line the record starts on, and its record index (the header is 0).
    public let line: Int
    public let record: Int
    /// The file name: the parser's, borrowed without a retain (a view lives only inside the
    /// parser's callback, and a retain/release pair per record showed in profiles), or owned.
    private unowned(unsafe) let parser: RecordAssembler?
    private let ownName: String?
    /// Backing bytes of all fields of this record, back to back; field i is
    /// bytes[ends[i-1] ..< ends[i]] (ends[-1] = 0). Borrowed from the record's owner.
    private let bytes: UnsafeRawPointer?
    private let ends: UnsafeBufferPointer<Int>

    /// A view of the record the assembler holds in `fields` and `ends` (valid until its next record).
    init(parser: RecordAssembler, line: Int, record: Int, fields: ByteBuffer, ends: IntBuffer) {
        self.line = line
        self.record = record
        self.parser = parser
        self.ownName = nil
        // Safe: the assembler keeps both buffers unchanged while the view is in use (views live
        // only inside its callback).
        self.bytes = UnsafeRawPointer(fields.base)
        self.ends = UnsafeBufferPointer(start: ends.base, count: ends.count)
    }

    private init(location: RowLocation, bytes: UnsafeRawPointer?, ends: UnsafeBufferPointer<Int>) {
        self.line = location.line
        self.record = location.record
        self.parser = nil
        self.ownName = location.file
        self.bytes = bytes
        self.ends = ends
    }

    /// Calls `body` with a record of the fields `bytes[ends[i-1] ..< ends[i]]` (tests, defaults).
    public static func with<R>(location: RowLocation, bytes: [UInt8], ends: [Int], _ body: (RecordView) throws -> R)
        rethrows -> R
    {
        assert(ends.allSatisfy { $0 >= 0 && $0 <= bytes.count }, "field ends must lie inside the bytes")
        // Safe: both arrays outlive the call, and the view does not escape `body`.
        return try bytes.withUnsafeBytes { b in
            try ends.withUnsafeBufferPointer { e in
                try body(RecordView(location: location, bytes: b.baseAddress, ends: e))
            }
        }
    }

    public var location: RowLocation {
        RowLocation(file: ownName ?? parser?.name ?? "", line: line, record: record)
    }

    public var count: Int { ends.count }

    /// The bytes of field `i` (empty = missing).
    @inline(__always)
    public subscript(_ i: Int) -> ByteView {
        assert(i >= 0 && i < ends.count, "RecordView field index out of range")
        let s = i == 0 ? 0 : ends[i - 1]
        let e = ends[i]
        if s == e { return ByteView() }
        // Safe: s ..< e lies inside the record's bytes (the owner wrote `ends` for them).
        return ByteView(UnsafeRawBufferPointer(start: bytes.unsafelyUnwrapped + s, count: e - s))
    }

    public func string(_ i: Int) -> String { self[i].string }

    /// All fields as strings (for rejects and headers).
    public func strings() -> [String] { (0..<count).map { string($0) } }
}

/// What a row builder makes of one record: a typed row, or why it was rejected.
public enum RowResult<Row> {
    case row(Row)
    /// The caller adds table, location and the raw fields.
    case reject(RejectKind, String)
}
