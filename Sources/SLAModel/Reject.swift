import SLAFast

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
