/// Where the rejected rows of one input file are: its table and path (the order of
/// `rejects.csv`) and its spill file.
public struct RejectPart: Sendable {
    public var table: Table
    public var file: String
    public var spill: String

    public init(table: Table, file: String, spill: String) {
        self.table = table
        self.file = file
        self.spill = spill
    }
}
