import SLAFast

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
