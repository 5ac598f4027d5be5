import SLAFast
import SLAMetrics
import SLAModel

/// `index.html`: every reported week (newest first) with headline numbers and a link to its
/// report when it has a folder, plus trend charts over all of them.
struct IndexRenderer {
    let c: ReportContext
    var l: Localization { c.l }

    private func e(_ s: String) -> String { HTML.escape(s) }

    func render(weeks: [WeeklySummary], linked: Set<String>, months: [WeeklySummary] = []) -> String {
        var b = "<main>\n<h1>\(e(l["title.index"]))</h1>\n<p class=\"meta\">"
        if let first = weeks.first, let last = weeks.last {
            b += "<span>\(e(l["meta.dates"] + l.colon))\(e(first.weekStart)) – \(e(last.weekEnd))</span>"
        }
        b += "<span>\(e(l["meta.zone"] + l.colon))\(e(c.zone.identifier))</span>"
        b += "<span>\(e(l["meta.as_of"] + l.colon))\(e(c.asOfText))</span></p>\n"
        b += trends(weeks)
        b += table(weeks, linked: linked)
        if !months.isEmpty { b += monthTable(months, linked: linked) }
        b += "<footer class=\"box\"><ul>"
        for line in [
            l["def.week"], l.format("def.zone", c.zone.identifier), l["def.pause"], l["def.dash"],
            l.format("meta.generated_by", c.run.toolVersion),
        ] {
            b += "<li>\(e(line))</li>"
        }
        b +=
            "<li><a href=\"weeks.csv\">weeks.csv</a>"
            + (months.isEmpty ? "" : " · <a href=\"months.csv\">months.csv</a>")
            + " · <a href=\"run.json\">run.json</a> · <a href=\"rejects.csv\">rejects.csv</a></li>"
        b += "</ul></footer>\n</main>"
        return HTML.page(lang: l.lang, title: l["title.index"], body: b)
    }

    func trends(_ weeks: [WeeklySummary]) -> String {
        let labels = weeks.indices.map { ReportContext.shortWeek(weeks, $0) }
        let goal = l.format("legend.goal", c.goalText)
        var s =
            "<section class=\"box\" id=\"trends\"><h2>\(e(l.format("h.trends", NumberFormat.grouped(weeks.count))))</h2>\n<div class=\"small\">\n"
        func panel(_ title: String, _ svg: String) -> String { "<div><h3>\(e(title))</h3>\(svg)</div>\n" }
        let empty = weeks.map(ReportContext.isEmpty)
        s += panel(
            l["chart.created"],
            SVGChart.lines(
                [
                    .init(
                        name: l["chart.created"], color: "#1f6feb",
                        values: weeks.indices.map { empty[$0] ? nil : Double(weeks[$0].ticketsCreated) })
                ],
                xLabels: labels, percent: false, width: 290, height: 160, noData: l["chart.no_data"]))
        s += panel(
            l["chart.complaints"],
            SVGChart.lines(
                [
                    .init(
                        name: l["chart.complaints"], color: "#d97706",
                        values: weeks.indices.map { empty[$0] ? nil : Double(weeks[$0].complaints.total) })
                ],
                xLabels: labels, percent: false, width: 290, height: 160, noData: l["chart.no_data"]))
        s += panel(
            l["chart.csat"],
            SVGChart.lines(
                [.init(name: l["chart.csat"], color: "#0f9d8a", values: weeks.map { $0.satisfaction.csat })],
                xLabels: labels, percent: true, width: 290, height: 160, noData: l["chart.no_data"]))
        s += "</div>\n<h3>\(e(l["chart.attainment"])) · \(e(goal))</h3>\n<div class=\"small\">\n"
        let policies = weeks.last?.sla ?? []
        for (k, r) in policies.enumerated() {
            let values = weeks.map { w in w.sla.first { $0.policy == r.policy }?.attainment }
            s += panel(
                c.label(r),
                SVGChart.lines(
                    [.init(name: c.label(r), color: SVGChart.palette[k % SVGChart.palette.count], values: values)],
                    xLabels: labels, percent: true, goal: (c.goal, ""), width: 290, height: 160,
                    noData: l["chart.no_data"]))
        }
        return s + "</div></section>\n"
    }

    func table(_ weeks: [WeeklySummary], linked: Set<String>) -> String {
        let main = c.mainPolicies(weeks.last?.sla ?? [])
        var s =
            "<section class=\"box\" id=\"weeks\"><h2>\(e(l["h.weeks"]))</h2>\n<p class=\"note\">\(e(l["index.newest"]))</p>\n<div class=\"scroll\"><table>\n<tr>"
        s += "<th>\(e(l["col.week"]))</th><th>\(e(l["meta.dates"]))</th>"
        for id in ["col.orders", "col.created", "col.resolved"] { s += "<th class=\"n\">\(e(l[id]))</th>" }
        for name in main {
            let r = weeks.last?.sla.first { $0.policy == name }
            s += "<th class=\"n\">\(e(r.map(c.label) ?? name))</th>"
        }
        for id in ["col.csat", "col.complaints", "col.alerts"] { s += "<th class=\"n\">\(e(l[id]))</th>" }
        s += "</tr>\n"
        for w in weeks.reversed() {
            let empty = ReportContext.isEmpty(w)
            func cnt(_ n: Int) -> String { empty ? HTML.dash : NumberFormat.grouped(n) }
            let name = linked.contains(w.week) ? "<a href=\"\(e(w.week))/report.html\">\(e(w.week))</a>" : e(w.week)
            s += "<tr><td class=\"nw\">\(name)</td><td class=\"nw\">\(e(w.weekStart)) – \(e(w.weekEnd))</td>"
            s +=
                "<td class=\"n\">\(cnt(w.ordersPlaced))</td><td class=\"n\">\(cnt(w.ticketsCreated))</td><td class=\"n\">\(cnt(w.ticketsResolved))</td>"
            for name in main {
                let r = w.sla.first { $0.policy == name }
                let att = r?.attainment
                let goal = r?.goal ?? c.goal  // each promise against its own goal
                s += "<td class=\"n\(att.map { $0 >= goal ? " ok" : " bad" } ?? "")\">\(c.pct(att))</td>"
            }
            s += "<td class=\"n\">\(c.pct(w.satisfaction.csat))</td><td class=\"n\">\(cnt(w.complaints.total))</td>"
            s += "<td class=\"n\(w.alerts.isEmpty ? "" : " bad")\">\(cnt(w.alerts.count))</td></tr>\n"
        }
        return s + "</table></div></section>\n"
    }

    /// Every reported month, newest first, linked to its report when it has a folder.
    func monthTable(_ months: [WeeklySummary], linked: Set<String>) -> String {
        var s = "<section class=\"box\" id=\"months\"><h2>\(e(l["h.months"]))</h2>\n<div class=\"scroll\"><table>\n<tr>"
        s += "<th>\(e(l["col.month"]))</th><th>\(e(l["meta.dates"]))</th>"
        for id in ["tile.orders", "tile.created", "tile.complaints", "chart.csat"] {
            s += "<th class=\"n\">\(e(l[id]))</th>"
        }
        s += "</tr>\n"
        for m in months.reversed() {
            let name = linked.contains(m.week) ? "<a href=\"\(e(m.week))/report.html\">\(e(m.week))</a>" : e(m.week)
            let empty = ReportContext.isEmpty(m)
            func n(_ v: Int) -> String { empty ? HTML.dash : NumberFormat.grouped(v) }
            s += "<tr><td class=\"nw\">\(name)</td><td class=\"nw\">\(e(m.weekStart)) – \(e(m.weekEnd))</td>"
            s += "<td class=\"n\">\(n(m.ordersPlaced))</td><td class=\"n\">\(n(m.ticketsCreated))</td>"
            s +=
                "<td class=\"n\">\(n(m.complaints.total))</td><td class=\"n\">\(c.pct(m.satisfaction.csat))</td></tr>\n"
        }
        return s + "</table></div></section>\n"
    }
}
