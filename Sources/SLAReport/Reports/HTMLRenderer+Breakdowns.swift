extension HTMLRenderer {
    /// The breakdowns, compact: one table, per cut its largest values and the rest added up,
    /// with tickets, breaches and attainment over every promise, and CSAT.
    func breakdowns(_ w: WeeklySummary, empty: Bool) -> String {
        let cuts = w.breakdowns.tickets
        guard !cuts.isEmpty else { return "" }
        var s = "<section class=\"box\" id=\"breakdowns\"><h2>\(e(l["h.breakdowns"]))</h2>\n"
        guard !empty, cuts.contains(where: { !$0.rows.isEmpty }) else {
            return s + "<p class=\"empty\">\(e(l[empty ? "empty.week" : "empty.none"]))</p></section>\n"
        }
        s += "<div class=\"scroll\"><table>\n<tr><th>\(e(l["col.cut"]))</th><th>\(e(l["col.cut_value"]))</th>"
        for id in ["col.tickets", "col.breached", "col.attainment", "col.csat"] { s += "<th class=\"n\">\(e(l[id]))</th>" }
        s += "</tr>\n"
        for cut in cuts {
            let rows = BreakdownPage.rows(cut)
            for (i, r) in rows.enumerated() {
                s += "<tr>"
                if i == 0 { s += "<th scope=\"row\" rowspan=\"\(rows.count)\">\(e(l["cut." + cut.dimension.rawValue]))</th>" }
                s += "<td>\(e(BreakdownPage.value(r, cut.dimension, l)))</td><td class=\"n\">\(NumberFormat.grouped(r.tickets))</td>"
                s += "<td class=\"n\">\(NumberFormat.grouped(r.breached))</td>"
                let att = r.attainment
                s += "<td class=\"n\(att.map { $0 >= c.goal ? " ok" : " bad" } ?? "")\">\(c.pct(att))</td>"
                s += "<td class=\"n\">\(c.pct(r.csat))</td></tr>\n"
            }
        }
        s += "</table></div>\n<p class=\"note\">\(e(l.format("breakdowns.note", String(BreakdownPage.shown), String(w.breakdowns.topN))))</p></section>\n"
        return s
    }
}
