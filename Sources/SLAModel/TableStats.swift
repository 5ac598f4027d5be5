import SLAFast

/// Totals of one table after dedup.
public struct TableStats: Sendable, Equatable {
    public var table: Table
    public var files: Int = 0
    public var rowsRead: Int = 0
    public var accepted: Int = 0
    public var rejected: Int = 0
    public var rejectedByKind: [RejectKind: Int] = [:]
    /// Accepted rows folded into another by dedup (SPEC 2.5).
    public var duplicatesMerged: Int = 0
    /// Rows left after dedup.
    public var unique: Int = 0
    /// Columns provided by at least one of the table's files.
    public var columns: Set<String> = []
    public init(table: Table) { self.table = table }
}
