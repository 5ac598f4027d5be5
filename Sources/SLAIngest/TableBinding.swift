import SLAModel

/// How one table's files are read beyond the built-in columns: `[tables.<table>]` resolved for
/// header matching. Header names are normalised (trimmed, ASCII lower-cased).
public struct TableBinding: Sendable, Equatable {
    /// Normalised header → column (canonical or extra); beats every alias.
    public var headers: [String: String] = [:]
    /// Extra columns in declaration order (their values go to the row's `ExtraStore` slots).
    public var extras: [ExtraColumn] = []
    /// Column → value for files that lack the column or rows that leave it empty.
    public var defaults: [String: String] = [:]
    /// Timestamp columns read leniently as deadlines beyond the built-in ones (a policy's `due`).
    public var deadlines: Set<String> = []
    /// Extra timestamp columns that count for as_of (a policy's start or stop).
    public var clockExtras: Set<String> = []
    public init() {}
}

extension Config {
    /// The header binding of a table for `HeaderMap` (`[tables.*]` plus the policies' `due`
    /// columns, read leniently as deadlines).
    public func binding(for table: Table) -> TableBinding {
        var b = TableBinding()
        let t = tables[table] ?? TableConfig()
        for (column, header) in t.columns { b.headers[HeaderMap.normalize(header)] = column }
        b.extras = t.extras
        b.defaults = t.defaults
        let mine = policies.filter { $0.table == table }
        b.deadlines = Set(mine.compactMap(\.due))
        let extraNames = Set(t.extras.map(\.name))
        b.clockExtras = Set(mine.flatMap { [$0.start, $0.stop] }).intersection(extraNames).subtracting(b.deadlines)
        return b
    }
}
