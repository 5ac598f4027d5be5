import SLAFast

/// Index of a row's `[tables.*.extra]` values in its `ExtraStore` (-1 = the table has none).
public typealias ExtraIndex = Int32
