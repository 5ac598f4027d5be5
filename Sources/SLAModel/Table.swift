import SLAFast

/// The four input tables: orders, logistics events, tickets and satisfaction surveys.
public enum Table: String, CaseIterable, Sendable, Hashable, Comparable {
    case orders, logistics, tickets, surveys

    public static func < (a: Table, b: Table) -> Bool { a.order < b.order }
    private var order: Int {
        switch self {
        case .orders: return 0
        case .logistics: return 1
        case .tickets: return 2
        case .surveys: return 3
        }
    }
}

/// Where a record stands in its input: file as given, 1-based line where the record starts,
/// 0-based record index (the header is record 0).
public struct RowLocation: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var record: Int
    public init(file: String, line: Int, record: Int) {
        self.file = file
        self.line = line
        self.record = record
    }
}

/// Why a row was rejected. The raw value names the kind in `rejects.csv`.
public enum RejectKind: String, Sendable, CaseIterable {
    case fieldCount = "field_count"  // more or fewer fields than the header
    case csvSyntax = "csv_syntax"  // libcsv strict error: stray quote, text after a closing quote, unterminated quote
    case recordTooLarge = "record_too_large"  // runaway quote: record over the byte or line cap
    case encoding = "encoding"  // invalid UTF-8 / GB18030 in a field, NUL byte
    case missingRequired = "missing_required"  // a required column is empty (a survey without sent_at and answered_at)
    case badTimestamp = "bad_timestamp"  // any timestamp column unparsable
    case timestampOutOfRange = "timestamp_out_of_range"  // before valid_from or over 2 days after the run's clock
    case unknownEnum = "unknown_enum"  // event/type/priority/... value not known
}

/// A rejected row: not used, written to rejects.csv (SPEC 2.5).
public struct Reject: Sendable {
    public var table: Table
    public var location: RowLocation
    public var kind: RejectKind
    /// Human text naming the column (1-based column number and header name) and the raw value.
    public var reason: String
    /// The raw fields as read (decoded to UTF-8 where possible; invalid bytes shown as \xNN).
    public var raw: [String]
    public init(table: Table, location: RowLocation, kind: RejectKind, reason: String, raw: [String]) {
        self.table = table
        self.location = location
        self.kind = kind
        self.reason = reason
        self.raw = raw
    }
}

/// File-level failures. Each keeps the path; the CLI maps them to exit codes.
public enum IngestError: Error, Sendable, Equatable {
    /// A named file or folder does not exist (exit 66).
    case inputMissing(path: String)
    /// No input file at all (exit 66).
    case noInput
    /// Cannot be read (permissions, I/O) (exit 66 for missing, 74 otherwise).
    case unreadable(path: String, message: String)
    /// gzip stream truncated / CRC / length / header error / trailing garbage (exit 65).
    case corruptGzip(path: String, offset: Int, message: String)
    /// UTF-16/32 or a forced encoding that does not decode (exit 65).
    case unsupportedEncoding(path: String, message: String)
    /// Header problems: missing required column, two columns mapping to one, empty file (exit 65).
    case badHeader(path: String, line: Int, message: String)
    /// No input file found: the folders scanned, the name patterns looked for, and the first
    /// files that were ignored (exit 66).
    case noInputFound(folders: [String], patterns: [String], ignored: [String])
    /// More rejects than max_reject_rate allows (exit 65, reports still written).
    case tooManyRejects(table: Table, rejected: Int, read: Int, limit: Double)
    /// A folder scan skipped a file that is not a regular file (a warning; name it explicitly to
    /// read it as a stream).
    case notRegularFile(path: String)
    /// The file changed (size or mtime) while it was being read (exit 75: try again later).
    case changedDuringRead(path: String)
}

extension IngestError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .inputMissing(let p): return "\(p): no such file or folder"
        case .noInput: return "no input files found"
        case .unreadable(let p, let m): return "\(p): cannot read: \(m)"
        case .corruptGzip(let p, let o, let m): return "\(p): corrupt gzip at byte offset \(o): \(m)"
        case .unsupportedEncoding(let p, let m): return "\(p): \(m)"
        case .badHeader(let p, let l, let m): return "\(p):\(l): bad header: \(m)"
        case .noInputFound(let folders, let patterns, let ignored):
            var s = "no input files found in \(folders.joined(separator: ", ")); looked for \(patterns.joined(separator: ", "))"
            s += ignored.isEmpty ? " (the folder holds no files)" : "; ignored: \(ignored.joined(separator: ", "))"
            return s
        case .tooManyRejects(let t, let r, let n, let lim):
            return "\(t.rawValue): \(r) of \(n) rows rejected, over max_reject_rate \(lim)"
        case .notRegularFile(let p): return "\(p): not a regular file (a FIFO or device?); skipped by the folder scan (name it with --orders/--tickets/… to read it as a stream)"
        case .changedDuringRead(let p): return "\(p): input changed while it was being read (still being written?); try again later"
        }
    }
}
