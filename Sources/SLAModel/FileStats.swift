import SLAFast

/// What was read from one input file (for `validate`, run.json and the data-quality box).
public struct FileStats: Sendable, Equatable {
    public var path: String
    public var table: Table
    public var bytes: Int = 0  // bytes on disk (compressed size for gzip)
    public var sha256: String = ""
    public var gzip: Bool = false
    /// "utf-8", "utf-8-bom" or "gb18030".
    public var encoding: String = "utf-8"
    public var rowsRead: Int = 0  // data records (header and blank lines excluded)
    public var accepted: Int = 0
    public var rejectedByKind: [RejectKind: Int] = [:]
    public var invalidAmounts: Int = 0
    /// Extra int/decimal values that could not be read (kept as missing).
    public var invalidNumbers: Int = 0
    /// Columns the file provides (by its header or a default), canonical and extra.
    public var columns: Set<String> = []
    public var rejected: Int { rejectedByKind.values.reduce(0, +) }
    public init(path: String, table: Table) {
        self.path = path
        self.table = table
    }
}
