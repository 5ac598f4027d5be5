import SLAFast
import SLAMetrics
import SLAModel

/// The month's flagged agents in words (more low scores than `[agents] low_score_flag`): the
/// first ten by count, the rest counted; nil in week reports.
enum FlaggedText {
    static let maxShown = 10

    static func line(_ table: AgentTable, _ l: Localization) -> String? {
        guard let f = table.lowScoreFlag else { return nil }
        let flagged = table.flagged()
        guard !flagged.isEmpty else { return l.format("agents.flagged_none", String(f)) }
        var names = flagged.prefix(maxShown).map { a in
            (a.name == AgentTable.unassigned ? l["value.unassigned"] : a.name)
                + l.paren(NumberFormat.grouped(a.lowScores))
        }
        if flagged.count > maxShown {
            names.append(l.format("agents.flagged_more", NumberFormat.grouped(flagged.count - maxShown)))
        }
        return l.format("agents.flagged_line", String(f), l.list(names))
    }
}
