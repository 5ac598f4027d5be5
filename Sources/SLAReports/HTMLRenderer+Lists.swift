import SLAFast
import SLAMetrics
import SLAModel

/// The capped lists of report.html that a manager works through: early warnings by kind and the
/// low-score callbacks. What is shown and in which order is decided once, for both report
/// formats, by `AlertGroups` and `Callbacks`.
extension HTMLRenderer {
    /// Early warnings grouped by kind (see `AlertGroups` for the order), each with last period's
    /// value and the rise; a few per group, the rest counted and linked to alerts.csv.
    func alerts(_ w: WeeklySummary) -> String {
        var s = "<section class=\"box\" id=\"alerts\"><h2>\(e(l["h.alerts"]))</h2>\n"
        guard !w.alerts.isEmpty else { return s + "<p class=\"empty\">\(e(l["alerts.none"]))</p></section>\n" }
        let link = "<a href=\"alerts.csv\">alerts.csv</a>"
        s += "<p class=\"note\">\(e(l["alerts.order"]))</p>\n"
        for g in AlertGroups.groups(w.alerts) {
            s += "<h3>\(e(l.value("alert", g.kind) + l.paren(NumberFormat.grouped(g.alerts.count))))</h3>\n"
            s +=
                "<div class=\"scroll\"><table class=\"fit\"><tr><th>\(e(l["col.subject"]))</th><th class=\"n\">\(e(l["col.this_week"]))</th>"
            s += "<th class=\"n\">\(e(l["col.previous"]))</th><th class=\"n\">\(e(l["col.change"]))</th>"
            s += "<th class=\"n\">\(e(l["col.threshold"]))</th></tr>\n"
            for a in g.shown {
                s += "<tr><td>\(e(l.shown(a.subject)))</td><td class=\"n bad\">\(e(AlertText.value(a)))</td>"
                s += "<td class=\"n\">\(e(AlertText.previous(a)))</td><td class=\"n\">\(e(AlertText.change(a, l)))</td>"
                s += "<td class=\"n\">\(e(AlertText.threshold(a)))</td></tr>\n"
            }
            s += "</table></div>"
            if g.hidden > 0 {
                s += "<p class=\"note\">\(l.formatHTML("alerts.more", NumberFormat.grouped(g.hidden), link))</p>"
            }
            s += "\n"
        }
        return s + "</section>\n"
    }

    /// The low scores to call back (差评回访), earliest deadline first; the rest in low_scores.csv.
    func callbacks(_ w: WeeklySummary, empty: Bool) -> String {
        var s = "<section class=\"box\" id=\"callbacks\"><h2>\(e(l["h.callbacks"]))</h2>\n"
        let rows = Callbacks.ordered(w.lowScoreRecords)
        guard !rows.isEmpty else {
            return s + "<p class=\"empty\">\(e(l[empty ? "empty.week" : "callbacks.none"]))</p></section>\n"
        }
        let link = "<a href=\"low_scores.csv\">low_scores.csv</a>"
        let n = rows.count
        let count =
            n > Callbacks.maxShown
            ? l.formatHTML("list.first", String(Callbacks.maxShown), NumberFormat.grouped(n), link)
            : l.formatHTML("breaches.all", NumberFormat.grouped(n), link)
        s += "<p class=\"note\">\(l.sentences(e(l["callbacks.rule"]), count))</p>\n<div class=\"scroll\"><table>\n<tr>"
        s += "<th class=\"n\">\(e(l["col.score"]))</th><th>\(e(l["col.agent"]))</th><th>\(e(l["col.category"]))</th>"
        s += "<th>\(e(l["col.comment"]))</th><th>\(e(l["col.callback_due"]))</th><th>\(e(l["col.ticket"]))</th></tr>\n"
        for (r, due) in rows.prefix(Callbacks.maxShown) {
            let comment = Callbacks.comment(r.comment)
            s += "<tr><td class=\"n bad\">\(r.score)</td><td>\(e(r.agent.isEmpty ? HTML.dash : r.agent))</td>"
            s += "<td>\(e(r.category.isEmpty ? HTML.dash : l.shown(r.category)))</td>"
            s += "<td>\(e(comment.isEmpty ? HTML.dash : comment))</td>"
            s += "<td class=\"nw\">\(e(due == .missing ? HTML.dash : l.moment(due, zone: c.zone, short: true)))</td>"
            let id = r.ticketID.isEmpty ? r.surveyID : r.ticketID
            s += "<td>\(e(id.isEmpty ? HTML.dash : id))</td></tr>\n"
        }
        return s + "</table></div></section>\n"
    }
}
