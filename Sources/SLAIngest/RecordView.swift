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
    /// Backing bytes of all fields of this record, back to back.
    public let bytes: UnsafeRawBufferPointer
    /// Field i is bytes[ends[i-1] ..< ends[i]] (ends[-1] = 0).
    public let ends: UnsafeBufferPointer<Int>

    public init(location: RowLocation, bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<Int>) {
        self.line = location.line
        self.record = location.record
        self.parser = nil
        self.ownName = location.file
        self.bytes = bytes
        self.ends = ends
    }

    init(parser: RecordAssembler, line: Int, record: Int, bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<Int>) {
        self.line = line
        self.record = record
        self.parser = parser
        self.ownName = nil
        self.bytes = bytes
        self.ends = ends
    }

    public var location: RowLocation {
        RowLocation(file: ownName ?? parser?.name ?? "", line: line, record: record)
    }

    public var count: Int { ends.count }

    /// The bytes of field `i` (empty = missing).
    @inline(__always)
    public subscript(_ i: Int) -> UnsafeRawBufferPointer {
        let s = i == 0 ? 0 : ends[i - 1]
        let e = ends[i]
        if s == e { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: bytes.baseAddress! + s, count: e - s)
    }

    public func string(_ i: Int) -> String { String(decoding: self[i], as: UTF8.self) }

    /// All fields as strings (for rejects and headers).
    public func strings() -> [String] { (0..<count).map { string($0) } }
}

/// What a row builder makes of one record: a typed row, or why it was rejected.
public enum RowResult<Row> {
    case row(Row)
    /// The caller adds table, location and the raw fields.
    case reject(RejectKind, String)
}
