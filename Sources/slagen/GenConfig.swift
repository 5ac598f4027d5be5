import SLAModel
import SLAReport

/// Options resolved into the values the generator uses.
struct GenConfig: Sendable {
    var seed: UInt64
    var orders: Int
    var tickets: Int
    var weeks: Int
    var endDay: Int
    var gzip: Bool
    var messy: Bool
    /// Also write the surveys table (v2), drawn from the resolved tickets.
    var surveys: Bool
    var out: String
    var zone: ZoneRules
    /// zlib level for .gz files: 1 is about 3× faster than 6 and only ~15 % larger on this data.
    var level: Int32 = 1

    var span: Span { Span(firstDay: endDay - weeks * 7 + 1, endDay: endDay) }
    var endDate: String { CivilDate.format(endDay) }
    var dayBefore: String { CivilDate.format(endDay - 1) }
    var twoDaysBefore: String { CivilDate.format(endDay - 2) }
    var ext: String { gzip ? ".csv.gz" : ".csv" }
    var gzLevel: Int32? { gzip ? level : nil }

    /// Per-id decisions (which file, duplicated or not) come from this hash, not from a stream.
    func h(_ table: UInt64, _ i: Int) -> UInt64 { PRNG.hash(seed ^ (table << 56), UInt64(i)) }
}

/// Joins fields with `sep`, quoting as RFC 4180 needs (slow path for the few injected rows).
func csvLine(_ fields: [[UInt8]], sep: UInt8 = 44) -> [UInt8] {
    var out: [UInt8] = []
    for (i, f) in fields.enumerated() {
        if i > 0 { out.append(sep) }
        out += f
    }
    return out
}

/// Splits a row written without quoting back into its fields.
func splitFields(_ row: [UInt8], sep: UInt8 = 44) -> [[UInt8]] {
    row.split(separator: sep, omittingEmptySubsequences: false).map(Array.init)
}

extension Array where Element == UInt8 {
    init(_ s: String) { self = Swift.Array(s.utf8) }
}

let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
