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
