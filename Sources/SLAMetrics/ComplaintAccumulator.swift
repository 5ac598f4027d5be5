import SLAFast
import SLAModel

/// The tickets of `complaint_types`, by week of creation (SPEC 5 "Complaints"; also the input of
/// the alerts). Kept as compact records: category counts need previous weeks, and product and
/// merchant may only be known after joining the orders, both of which `finish` does.
public struct ComplaintAccumulator: Sendable {
    struct Record: Sendable {
        var week: Int32
        var category: StrID
        var order: StrID
        var product: StrID
        var merchant: StrID
    }

    var records = Chunked<Record>()

    public init() {}

    mutating func add(ticket t: TicketRow, createdWeek w: Int) {
        records.append(
            Record(
                week: Int32(w), category: t.category, order: t.orderID, product: t.product,
                merchant: t.merchant))
    }

    public mutating func merge(_ other: ComplaintAccumulator) { records.merge(other.records) }

    /// Category name as reported: empty → "(none)".
    static func name(_ id: StrID, _ pool: StringPool) -> String { id == .none ? "(none)" : pool.string(id) }

    /// Complaint counts per week: total and per category name.
    func categoryCounts(pool: StringPool) -> [Int: (total: Int, byCategory: [String: Int])] {
        var byID = KeyCounts()
        records.forEach { r in byID.add(AgentAccumulator.key(week: Int(r.week), agent: r.category)) }
        var out: [Int: (total: Int, byCategory: [String: Int])] = [:]
        byID.forEach { k, n in
            let (w, c) = Alerts.split(k)
            // Aggregate by name: an empty category and one literally written "(none)" are one row.
            out[w, default: (0, [:])].total += n
            out[w, default: (0, [:])].byCategory[Self.name(c, pool), default: 0] += n
        }
        return out
    }

    /// Fills `complaints` of week `w` from the per-week counts.
    static func finish(
        week w: Int, counts: [Int: (total: Int, byCategory: [String: Int])], topN: Int,
        into s: inout WeeklySummary
    ) {
        guard let cur = counts[w] else { return }
        let prev = counts[w - 1]?.byCategory ?? [:]
        s.complaints.total = cur.total
        let ranked = cur.byCategory.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        s.complaints.top = ranked.prefix(max(0, topN)).map {
            CategoryCount(
                category: $0.key, count: $0.value, share: Double($0.value) / Double(cur.total),
                previousCount: prev[$0.key] ?? 0)
        }
    }
}
