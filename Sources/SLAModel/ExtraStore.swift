import SLAFast

/// The values of a table's `[tables.*.extra]` columns, `width` per row, flat: row r's values
/// are `values[r.extra * width ..< (r.extra + 1) * width]`. Strings are string-pool ids, the
/// other types Int64 with `Timestamp.missing` for an empty or unreadable value (timestamps as
/// epoch seconds, decimals in hundredths). Kept apart from the rows so tables without extras pay
/// four bytes a row and nothing else.
public struct ExtraStore: Sendable {
    public private(set) var values: [Int64] = []
    public private(set) var width = 0
    /// Slots that hold string ids (remapped when the pool is merged).
    let stringSlots: [Int]

    public init(stringSlots: [Int] = []) { self.stringSlots = stringSlots }

    /// The value of slot `k` of the row with extra index `e` (missing for a row without extras).
    @inline(__always)
    public func value(_ e: ExtraIndex, _ k: Int) -> Int64 {
        e < 0 ? (stringSlots.contains(k) ? Int64(StrID.none) : Timestamp.missing) : values[Int(e) * width + k]
    }

    /// Appends a chunk's values (ids mapped through `map` when given) and returns the extra index
    /// its first row now has.
    package mutating func append(_ chunk: [Int64], width w: Int, map: [StrID]?) -> ExtraIndex {
        assert(width == 0 || width == w, "one table's files have one extra width")
        width = w
        let base = values.count / w
        let start = values.count
        values.append(contentsOf: chunk)
        if let map { remapStrings(map, from: start) }
        return ExtraIndex(base)
    }

    /// Rewrites the string slots through `map` (the pool they refer to was folded into another).
    package mutating func remapStrings(_ map: [StrID], from start: Int = 0) {
        guard width > 0, !stringSlots.isEmpty else { return }
        var i = start
        while i < values.count {
            for k in stringSlots {
                let id = values[i + k]
                if id >= 0 { values[i + k] = Int64(map[Int(id)]) }
            }
            i += width
        }
    }
}
