import SLAFast
import SLAMetrics
import SLAModel

/// The top of report.html: "this week, first" (what to look at before anything else) and
/// "act now" (the open clocks, most overdue first, and the backlog by age).
extension HTMLRenderer {
    /// Promises named in the summary block; the rest are counted (all are in the SLA table).
    static let maxBelowGoal = 5

    func first(_ w: WeeklySummary, _ a: ActNow, empty: Bool) -> String {
        var s = "<section class=\"box first\" id=\"first\"><h2>\(e(l["h.first"]))</h2>\n<div class=\"firstgrid\">\n"
        // Promises below their goal, worst first, with the change since the previous period.
        s += "<div><h3>\(e(l["first.below_goal"]))</h3>"
        if a.belowGoal.isEmpty {
            s +=
                "<p class=\"\(a.anyDecided ? "okline" : "empty")\">\(e(l[a.anyDecided ? "first.all_met" : "first.none_decided"]))</p>"
        } else {
            s += "<ul class=\"flist\">"
            for (r, prev) in a.belowGoal.prefix(HTMLRenderer.maxBelowGoal) {
                var sub = l.format("tile.goal", c.pct(r.goal))
                if let d = c.pp(r.attainment, prev) { sub += " · " + l.format("tile.vs_last", d) }
                s += "<li><b class=\"bad\">\(c.pct(r.attainment))</b> \(e(c.label(r))) <small>\(e(sub))</small></li>"
            }
            s += "</ul>"
            if a.belowGoal.count > HTMLRenderer.maxBelowGoal {
                let more = l.format("first.more_below", String(a.belowGoal.count - HTMLRenderer.maxBelowGoal))
                s += "<p class=\"note\"><a href=\"#sla\">\(e(more))</a></p>"
            }
        }
        s += "</div>\n"
        // Open clocks: overdue now and due within 24 h.
        s += "<div><h3>\(e(l["first.open"]))</h3><p class=\"fig\"><a href=\"#act-now\">"
        s += l.formatHTML(
            "first.open_line",
            "<b class=\"\((a.overdueCount == 0) ? "" : "bad")\">\(NumberFormat.grouped(a.overdueCount))</b>",
            "<b>\(NumberFormat.grouped(a.dueSoon))</b>")
        s += "</a></p></div>\n"
        // Callbacks: the low scores of the period.
        let low = w.satisfaction.lowScores
        s += "<div><h3>\(e(l["first.callbacks"]))</h3><p class=\"fig\">"
        let callbacks = l.formatHTML(
            "first.callbacks_line",
            "<b class=\"\(low > 0 ? "bad" : "")\">\(empty ? HTML.dash : NumberFormat.grouped(low))</b>")
        s += low > 0 ? "<a href=\"low_scores.csv\">\(callbacks)</a>" : callbacks
        s += "</p></div>\n"
        // The largest warning of each kind.
        s += "<div><h3>\(e(l["first.alerts"]))</h3>"
        if a.topAlerts.isEmpty {
            s += "<p class=\"empty\">\(e(l["alerts.none"]))</p>"
        } else {
            s += "<ul class=\"flist\">"
            for al in a.topAlerts {
                s +=
                    "<li>\(e(l.value("alert", al.kind) + ActNowText.colon(l)))<b>\(e(l.shown(al.subject)))</b> \(e(AlertText.value(al)))"
                if let was = ActNowText.previous(al) { s += " <small>\(e(l.format("first.was", was)))</small>" }
                s += "</li>"
            }
            s +=
                "</ul><p class=\"note\"><a href=\"#alerts\">\(e(l.format("first.alerts_more", NumberFormat.grouped(w.alerts.count))))</a></p>"
        }
        s += "</div>\n</div></section>\n"
        return s
    }

    func actNow(_ w: WeeklySummary, _ a: ActNow, newest: Bool) -> String {
        var s = "<section class=\"box\" id=\"act-now\"><h2>\(e(l["h.act_now"]))</h2>\n"
        s += "<p class=\"note\">\(e(l[newest ? "act.scope_all" : "act.scope_period"]))</p>\n"
        s +=
            "<p>\(e(l.format("act.counts", NumberFormat.grouped(a.open), NumberFormat.grouped(a.overdueCount), NumberFormat.grouped(a.dueSoon))))</p>\n"
        let link = "<a href=\"../open_items.csv\">open_items.csv</a>"
        s += "<div class=\"actgrid\"><div>"
        if a.overdueCount == 0 {
            s += "<p class=\"empty\">\(e(l["act.none"]))</p>"
        } else {
            s += "<div class=\"scroll\"><table>\n<tr>"
            for (id, num) in [
                ("col.item", false), ("col.policy", false), ("col.agent", false), ("col.type", false),
                ("col.priority", false), ("col.due", false), ("col.overdue", true),
            ] {
                s += "<th\(num ? " class=\"n\"" : "")>\(e(l[id]))</th>"
            }
            s += "</tr>\n"
            let labels = Dictionary(w.sla.map { ($0.policy, c.label($0)) }, uniquingKeysWith: { a, _ in a })
            for item in a.overdue.prefix(ActNow.maxListed) {
                s += "<tr><td>\(e(ActNow.itemName(item)))</td><td>\(e(labels[item.policy] ?? item.policy))</td>"
                s += "<td>\(e(item.agent.isEmpty ? HTML.dash : item.agent))</td>"
                s += "<td>\(e(item.type.isEmpty ? HTML.dash : l.value("type", item.type)))</td>"
                s += "<td>\(e(item.priority.isEmpty ? HTML.dash : l.value("prio", item.priority)))</td>"
                s += "<td class=\"nw\">\(e(c.zone.localString(item.due)))</td>"
                s += "<td class=\"n bad\">\(e(l.duration(hours: Double(-item.secondsLeft) / 3600)))</td></tr>\n"
            }
            s += "</table></div>"
        }
        let note =
            a.overdueCount > ActNow.maxListed
            ? l.formatHTML("act.first", String(ActNow.maxListed), NumberFormat.grouped(a.overdueCount), link)
            : l.formatHTML("act.all", link)
        s += "<p class=\"note\">\(note)</p></div>\n"
        // Backlog aging: every open item of the page by the time since its clock started.
        s +=
            "<div><h3>\(e(l["h.aging"]))</h3><table><tr><th>\(e(l["col.age"]))</th><th class=\"n\">\(e(l["col.open"]))</th>"
        s += "<th class=\"n\">\(e(l["col.overdue_n"]))</th></tr>\n"
        for (label, n) in zip(ActNow.ageLabels(l), a.aging) {
            s += "<tr><td>\(e(label))</td><td class=\"n\">\(NumberFormat.grouped(n.total))</td>"
            s += "<td class=\"n\(n.overdue > 0 ? " bad" : "")\">\(NumberFormat.grouped(n.overdue))</td></tr>\n"
        }
        s += "</table></div></div></section>\n"
        return s
    }
}

/// Texts of the summary block shared by HTML and Markdown.
enum ActNowText {
    /// An alert's previous-period value in the alert's own format, nil when there is none.
    static func previous(_ a: Alert) -> String? {
        guard let p = a.previous else { return nil }
        var was = a
        was.value = p
        return AlertText.value(was)
    }

    /// " (text)" in English, "(text)" with full-width brackets in Chinese.
    static func aside(_ text: String, _ l: Localization) -> String { l.lang == .zh ? "(\(text))" : " (\(text))" }

    /// ": " in English, the full-width "：" in Chinese.
    static func colon(_ l: Localization) -> String { l.lang == .zh ? "：" : ": " }
}
