import SLAFast
import SLAMetrics
import SLAModel

extension HTMLRenderer {
    /// The breakdowns, compact: one table, per cut its largest values and the rest added up,
    /// with tickets, breaches and attainment over every promise, and CSAT.
    func breakdowns(_ w: WeeklySummary, empty: Bool) -> String {
        let cuts = w.breakdowns.tickets
        let carriers = w.breakdowns.carrier?.rows ?? []
        guard !cuts.isEmpty || w.breakdowns.carrier != nil else { return "" }
        var s = "<section class=\"box\" id=\"breakdowns\"><h2>\(e(l["h.breakdowns"]))</h2>\n"
        let ticketRows = cuts.contains(where: { !$0.rows.isEmpty })
        guard !empty, ticketRows || !carriers.isEmpty else {
            return s + "<p class=\"empty\">\(e(l[empty ? "empty.week" : "empty.none"]))</p></section>\n"
        }
        if ticketRows { s += ticketTable(w) }
        if !carriers.isEmpty { s += carrierTable(carriers, topN: w.breakdowns.topN) }
        return s + "</section>\n"  // the notes end in </p>: "</p></section>" as before the carrier cut
    }

    /// The logistics cut: every row of summary.json (a handful of carriers).
    private func carrierTable(_ rows: [CarrierBreakdownRow], topN: Int) -> String {
        var s = "\n<div class=\"scroll\"><table>\n<tr><th>\(e(l["cut.carrier"]))</th>"
        for id in ["log.shipments", "log.delivered", "col.stalled", "log.exceptions", "col.p50", "col.p90"] {
            s += "<th class=\"n\">\(e(l[id]))</th>"
        }
        s += "</tr>\n"
        for r in rows {
            let name =
                r.value == Breakdowns.other ? l.format("value.other", NumberFormat.grouped(r.values)) : l.shown(r.value)
            s += "<tr><td>\(e(name))</td>"
            for n in [r.shipments, r.delivered, r.stalled, r.exceptions] {
                s += "<td class=\"n\">\(NumberFormat.grouped(n))</td>"
            }
            s +=
                "<td class=\"n\">\(e(c.hours(r.p50DeliveryHours)))</td><td class=\"n\">\(e(c.hours(r.p90DeliveryHours)))</td></tr>\n"
        }
        return s + "</table></div>\n<p class=\"note\">\(e(l.format("carrier.note", String(topN))))</p>"
    }

    private func ticketTable(_ w: WeeklySummary) -> String {
        let cuts = w.breakdowns.tickets
        var s = ""
        s += "<div class=\"scroll\"><table>\n<tr><th>\(e(l["col.cut"]))</th><th>\(e(l["col.cut_value"]))</th>"
        for id in ["col.tickets", "col.breached", "col.attainment"] { s += "<th class=\"n\">\(e(l[id]))</th>" }
        s += "<th>\(e(l["col.weakest"]))</th><th class=\"n\">\(e(l["col.csat"]))</th></tr>\n"
        let whole = BreakdownPage.whole(w)
        let labels = Dictionary(w.sla.map { ($0.policy, c.label($0)) }, uniquingKeysWith: { a, _ in a })
        func cells(_ r: TicketBreakdownRow, red: Bool) -> String {
            var s =
                "<td class=\"n\">\(NumberFormat.grouped(r.tickets))</td><td class=\"n\">\(NumberFormat.grouped(r.breached))</td>"
            s += "<td class=\"n\(red ? " bad" : "")\">\(c.pct(r.attainment))</td>"
            if let p = BreakdownPage.weakest(r), let att = p.attainment {
                s +=
                    "<td>\(e(labels[p.policy] ?? p.policy)) <small class=\"bad\">\(c.pct(att))\(e(l.paren("\(p.met)/\(p.met + p.breached)")))</small></td>"
            } else {
                s += "<td>\(HTML.dash)</td>"
            }
            return s + "<td class=\"n\">\(c.pct(r.csat))</td></tr>\n"
        }
        // The whole period first: the rows below are read against it.
        s += "<tr class=\"total\"><th colspan=\"2\">\(e(l["breakdowns.all"]))</th>" + cells(whole, red: false)
        for cut in cuts {
            let rows = BreakdownPage.rows(cut)
            for (i, r) in rows.enumerated() {
                s += "<tr>"
                if i == 0 {
                    s += "<th scope=\"row\" rowspan=\"\(rows.count)\">\(e(l["cut." + cut.dimension.rawValue]))</th>"
                }
                s +=
                    "<td>\(e(BreakdownPage.value(r, cut.dimension, l)))</td>"
                    + cells(r, red: BreakdownPage.worse(r, than: whole))
            }
        }
        s +=
            "</table></div>\n<p class=\"note\">\(e(l.format("breakdowns.note", String(BreakdownPage.shown), String(w.breakdowns.topN))))</p>"
        return s
    }
}
