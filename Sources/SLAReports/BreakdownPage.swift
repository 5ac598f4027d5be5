import SLAFast
import SLAMetrics
import SLAModel

/// What a report page shows of the breakdowns: per cut, the few largest values and the rest
/// added up as one `(other)` row (summary.json keeps `top_n` of them and every promise).
enum BreakdownPage {
    /// Named values shown per cut.
    static let shown = 3

    /// The rows of `cut` a page shows.
    static func rows(_ cut: TicketBreakdown) -> [TicketBreakdownRow] {
        guard cut.rows.count > shown + 1 else { return cut.rows }
        var other = TicketBreakdownRow(value: Breakdowns.other)
        other.values = 0
        other.sla = cut.rows[0].sla.map { BreakdownPolicy(policy: $0.policy) }
        for r in cut.rows[shown...] {
            other.values += r.values
            other.tickets += r.tickets
            other.responses += r.responses
            other.scoreSum += r.scoreSum
            other.satisfied += r.satisfied
            for k in other.sla.indices {
                other.sla[k].met += r.sla[k].met
                other.sla[k].breached += r.sla[k].breached
                other.sla[k].pending += r.sla[k].pending
            }
        }
        return Array(cut.rows.prefix(shown)) + [other]
    }

    /// The period's own figures as a row, to read the cuts against: tickets created, every ticket
    /// promise's counts, and the satisfaction responses.
    static func whole(_ w: WeeklySummary) -> TicketBreakdownRow {
        var r = TicketBreakdownRow(value: "")
        r.tickets = w.ticketsCreated
        r.sla = w.sla.filter { $0.table == .tickets }.map { s in
            var p = BreakdownPolicy(policy: s.policy)
            (p.met, p.breached, p.pending) = (s.met, s.breached, s.pending)
            return p
        }
        r.responses = w.satisfaction.responses
        r.satisfied =
            w.satisfaction.distribution.count == 5 ? w.satisfaction.distribution[3] + w.satisfaction.distribution[4] : 0
        return r
    }

    /// Whether a row's attainment is worse than the whole period's (shown in red: where the
    /// misses concentrate).
    static func worse(_ r: TicketBreakdownRow, than whole: TicketBreakdownRow) -> Bool {
        guard let a = r.attainment, let b = whole.attainment else { return false }
        return a < b
    }

    /// The promise a row misses most: the lowest attainment among those with a breach (config
    /// order on ties), nil when none was breached.
    static func weakest(_ r: TicketBreakdownRow) -> BreakdownPolicy? {
        var out: BreakdownPolicy? = nil
        for p in r.sla where p.breached > 0 {
            if let cur = out, let ca = cur.attainment, let pa = p.attainment, pa >= ca { continue }
            out = p
        }
        return out
    }

    /// A row's value in the report language: ticket types and priorities translated, the
    /// `(none)` and `(other)` placeholders too; other values as written.
    static func value(_ r: TicketBreakdownRow, _ d: BreakdownDimension, _ l: Localization) -> String {
        if r.value == Breakdowns.other { return l.format("value.other", NumberFormat.grouped(r.values)) }
        switch d {
        case .type: return l.value("type", r.value)
        case .priority: return l.value("prio", r.value)
        default: return l.shown(r.value)
        }
    }
}
