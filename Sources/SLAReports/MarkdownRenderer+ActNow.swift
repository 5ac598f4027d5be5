import SLAFast
import SLAMetrics
import SLAModel

/// The top of report.md ("this week, first") and its "act now" section, the same content as
/// report.html's in plain lists and one capped table.
extension MarkdownRenderer {
    func first(_ w: WeeklySummary, _ a: ActNow, empty: Bool) -> String {
        var s = "## \(l["h.first"])\n\n"
        let colon = ActNowText.colon(l)
        if a.belowGoal.isEmpty {
            s += "- \(m(l["first.below_goal"]))\(colon)\(m(l[a.anyDecided ? "first.all_met" : "first.none_decided"]))\n"
        } else {
            s += "- \(m(l["first.below_goal"]))\(colon.trimmingSpaces)\n"
            for (r, prev) in a.belowGoal.prefix(HTMLRenderer.maxBelowGoal) {
                var sub = l.format("tile.goal", c.pct(r.goal))
                if let d = c.pp(r.attainment, prev) { sub += " · " + l.format("tile.vs_last", d) }
                s += "  - **\(c.pct(r.attainment))** \(m(c.label(r)))\(ActNowText.aside(m(sub), l))\n"
            }
            if a.belowGoal.count > HTMLRenderer.maxBelowGoal {
                s += "  - \(m(l.format("first.more_below", String(a.belowGoal.count - HTMLRenderer.maxBelowGoal))))\n"
            }
        }
        s +=
            "- \(m(l["first.open"]))\(colon)"
            + m(
                l.format(
                    "first.open_line", NumberFormat.grouped(a.overdueCount),
                    NumberFormat.grouped(a.dueSoon))) + "\n"
        let low = empty ? HTML.dash : NumberFormat.grouped(w.satisfaction.lowScores)
        s +=
            "- \(m(l["first.callbacks"]))\(colon)" + m(l.format("first.callbacks_line", low))
            + ActNowText.aside("[low\\_scores.csv](low_scores.csv)", l) + "\n"
        if a.topAlerts.isEmpty {
            s += "- \(m(l["first.alerts"]))\(colon)\(m(l["alerts.none"]))\n"
        } else {
            s +=
                "- \(m(l["first.alerts"]))"
                + ActNowText.aside(m(l.format("first.alerts_more", NumberFormat.grouped(w.alerts.count))), l)
                + colon.trimmingSpaces + "\n"
            for al in a.topAlerts {
                var line = "\(l.value("alert", al.kind))\(colon)\(l.shown(al.subject)) \(AlertText.value(al))"
                if let was = ActNowText.previous(al) { line += ActNowText.aside(l.format("first.was", was), l) }
                s += "  - \(m(line))\n"
            }
        }
        return s + "\n"
    }

    func actNow(_ w: WeeklySummary, _ a: ActNow, newest: Bool) -> String {
        var s = "## \(m(l["h.act_now"]))\n\n"
        s += m(l[newest ? "act.scope_all" : "act.scope_period"]) + (l.lang == .zh ? "" : " ")
        s +=
            m(
                l.format(
                    "act.counts", NumberFormat.grouped(a.open), NumberFormat.grouped(a.overdueCount),
                    NumberFormat.grouped(a.dueSoon))) + "\n\n"
        let link = "[open\\_items.csv](../open_items.csv)"
        if a.overdueCount == 0 {
            s += m(l["act.none"]) + (l.lang == .zh ? "" : " ") + l.formatMarkdown("act.all", link) + "\n\n"
        } else {
            let labels = Dictionary(w.sla.map { ($0.policy, c.label($0)) }, uniquingKeysWith: { a, _ in a })
            s += table(
                [l["col.item"], l["col.policy"], l["col.agent"], l["col.type"], l["col.priority"], l["col.overdue"]],
                a.overdue.prefix(ActNow.maxListed).map { item in
                    [
                        m(ActNow.itemName(item)), m(labels[item.policy] ?? item.policy),
                        m(item.agent.isEmpty ? HTML.dash : item.agent),
                        m(item.type.isEmpty ? HTML.dash : l.value("type", item.type)),
                        m(item.priority.isEmpty ? HTML.dash : l.value("prio", item.priority)),
                        l.duration(hours: Double(-item.secondsLeft) / 3600),
                    ]
                }, numeric: [5])
            s +=
                (a.overdueCount > ActNow.maxListed
                    ? l.formatMarkdown(
                        "act.first", String(ActNow.maxListed), NumberFormat.grouped(a.overdueCount), link)
                    : l.formatMarkdown("act.all", link)) + "\n\n"
        }
        s += "**\(m(l["h.aging"]))**\n\n"
        s += table(
            [l["col.age"], l["col.open"], l["col.overdue_n"]],
            zip(ActNow.ageLabels(l), a.aging).map {
                [m($0), NumberFormat.grouped($1.total), NumberFormat.grouped($1.overdue)]
            },
            numeric: [1, 2])
        return s
    }
}

extension Localization {
    /// Like `format`, for Markdown: the message text is escaped, the arguments (Markdown) are
    /// inserted as they are.
    func formatMarkdown(_ id: String, _ args: String...) -> String {
        var s = MarkdownRenderer.escape(self[id])
        for (i, a) in args.enumerated() { s = s.replacingAll("{\(i)}", with: a) }
        return s
    }
}
