import SLAFast
import SLAMetrics
import SLAModel

/// `report.html`: one self-contained page per week for a manager — "this week, first", tiles,
/// "act now" (open clocks), alerts, trend, complaints, satisfaction, SLA table, breakdowns,
/// response times, logistics, agents, closed breaches, volumes, data quality, definitions.
struct HTMLRenderer {
    /// Agents listed in the page (worst first); the rest are in agents.csv.
    static let maxAgents = 40

    let c: ReportContext
    var l: Localization { c.l }

    static let maxBreaches = 50

    /// `current`: `weeks[i]` with its detail rows, when the list holds it without them.
    func render(weeks: [WeeklySummary], index i: Int, current: WeeklySummary? = nil) -> String {
        let w = current ?? weeks[i]
        let prev = ReportContext.previous(weeks, i)
        let empty = ReportContext.isEmpty(w)
        var b = "<main>\n"
        b += header(w)
        if empty { b += "<div class=\"banner\">\(HTML.escape(l["empty.week"]))</div>\n" }
        // What to look at first, then what to do about the open clocks, then the numbers.
        let act = ActNow(w, previous: prev)
        b += first(w, act, empty: empty)
        b += tiles(w, prev, empty: empty)
        b += actNow(w, act, newest: i == weeks.count - 1)
        // Early warnings come right after the headline: they are what a manager must act on.
        b += alerts(w)
        b += trend(weeks, i)
        b += "<div class=\"grid2\">\n" + complaints(w, prev, empty: empty) + satisfaction(w, empty: empty) + "</div>\n"
        b += callbacks(w, empty: empty)
        b += slaTable(w, empty: empty)
        b += breakdowns(w, empty: empty)
        b += "<div class=\"grid2\">\n" + responseTimes(w, empty: empty) + logistics(w, empty: empty) + "</div>\n"
        b += arrivals(w, empty: empty)
        b += agents(w)
        b += breaches(w)
        b += "<div class=\"grid2\">\n" + volumes(w, empty: empty) + dataQuality(w) + "</div>\n"
        b += definitions()
        b += "</main>"
        return HTML.page(lang: l.lang, title: "\(l["title.week"]) \(w.week)", body: b)
    }

    func e(_ s: String) -> String { HTML.escape(s) }

    func header(_ w: WeeklySummary) -> String {
        var s = "<h1>\(e(l["title.week"])) · \(e(w.week))</h1>\n<p class=\"meta\">"
        s += "<span>\(e(l["meta.dates"] + l.colon))\(e(w.weekStart)) – \(e(w.weekEnd))</span>"
        s += "<span>\(e(l["meta.zone"] + l.colon))\(e(w.timezone))</span>"
        s += "<span>\(e(l["meta.as_of"] + l.colon))\(e(c.asOfText))</span>"
        s += "<span><a href=\"../index.html\">\(e(l["title.index"]))</a></span></p>\n"
        return s
    }

    /// Escaped text whose " · "-separated parts never break inside ("91 pending" stays together).
    private func nowrapParts(_ text: String) -> String {
        text.parts(separatedBy: " · ", omittingEmpty: true).map { "<span class=\"nw\">\(e($0))</span>" }
            .joined(separator: " · ")
    }

    private func tile(_ caption: String, _ big: String, _ subs: [String], cls: String = "") -> String {
        var s = "<div class=\"tile \(cls)\"><div class=\"cap\">\(e(caption))</div><div class=\"big\">\(e(big))</div>"
        for sub in subs where !sub.isEmpty { s += "<div class=\"sub\">\(sub)</div>" }
        return s + "</div>"
    }

    /// Week-over-week text for a count, as escaped HTML with an up/down class when `goodUp` says
    /// which direction is good (nil = neutral).
    private func change(_ now: Int, _ before: Int?, goodUp: Bool?) -> String {
        guard let before else { return e(l["tile.no_last"]) }
        let d = NumberFormat.countChange(now, before)
        var cls = ""
        if let goodUp, now != before { cls = (now > before) == goodUp ? "up" : "down" }
        return l.formatHTML("tile.vs_last", "<b class=\"\(cls)\">\(e(d))</b>")
    }

    private func changePP(_ now: Double?, _ before: Double?) -> String {
        guard let d = c.pp(now, before) else { return "" }
        let cls = (now! > before! ? "up" : (now! < before! ? "down" : ""))
        return l.formatHTML("tile.vs_last", "<b class=\"\(cls)\">\(e(d))</b>")
    }

    func tiles(_ w: WeeklySummary, _ p: WeeklySummary?, empty: Bool) -> String {
        func count(_ n: Int) -> String { empty ? HTML.dash : NumberFormat.grouped(n) }
        var s = "<div class=\"tiles\">\n"
        s += tile(
            l["tile.orders"], count(w.ordersPlaced), empty ? [] : [change(w.ordersPlaced, p?.ordersPlaced, goodUp: nil)]
        )
        s += tile(
            l["tile.created"], count(w.ticketsCreated),
            empty ? [] : [change(w.ticketsCreated, p?.ticketsCreated, goodUp: nil)])
        s += tile(
            l["tile.resolved"], count(w.ticketsResolved),
            empty ? [] : [change(w.ticketsResolved, p?.ticketsResolved, goodUp: true)])
        let csat = w.satisfaction.csat
        s += tile(
            l["tile.csat"], c.pct(csat),
            [
                empty ? "" : e(l.format("tile.responses", NumberFormat.grouped(w.satisfaction.responses))),
                csat == nil ? "" : changePP(csat, p?.satisfaction.csat),
            ],
            cls: csat == nil ? "none" : "")
        // After-sales cases (售后单: every complaint type) are told apart from the type "complaint".
        s += tile(
            l["tile.complaints"], count(w.complaints.total),
            empty
                ? []
                : [
                    change(w.complaints.total, p?.complaints.total, goodUp: false),
                    e(l.format("tile.cases_of", c.caseTypes)),
                ])
        s += repeatTile(w, p, empty: empty)
        s += "</div>\n<div class=\"tiles\">\n"
        for r in w.sla {
            let prevR = p?.sla.first { $0.policy == r.policy }
            // Each promise against its own goal (a policy's `goal`, else attainment_goal).
            let cls = r.attainment.map { $0 >= r.goal ? "ok" : "bad" } ?? "none"
            let goal = NumberFormat.percent(r.goal) ?? c.goalText
            // A deadline policy reads "by the promised delivery date", not "target by …".
            let target = r.due == nil ? l.format("tile.target", c.target(r)) : c.target(r)
            var subs = [nowrapParts(l.format("tile.goal", goal) + " · " + target)]
            if let column = r.skipped {
                subs.append(e(l.format("sla.skipped", column)))
            } else if r.eligible == 0 {
                subs.append(e(l["tile.no_tickets"]))
            } else {
                subs.append(
                    nowrapParts(
                        l.format(
                            "tile.met_breached", NumberFormat.grouped(r.met), NumberFormat.grouped(r.breached),
                            NumberFormat.grouped(r.pending))))
                subs.append(changePP(r.attainment, prevR?.attainment))
            }
            s += tile(c.label(r), c.pct(r.attainment), subs, cls: cls)
        }
        return s + "</div>\n"
    }

    func trend(_ weeks: [WeeklySummary], _ i: Int) -> String {
        let lo = max(0, i - 11)
        let span = Array(weeks[lo...i])
        let labels = span.indices.map { ReportContext.shortWeek(span, $0) }
        var series: [SVGChart.Series] = []
        for (k, name) in c.mainPolicies(weeks[i].sla).enumerated() {
            let label = weeks[i].sla.first { $0.policy == name }.map(c.label) ?? name
            series.append(
                .init(
                    name: label, color: SVGChart.palette[k % SVGChart.palette.count],
                    values: span.map { w in w.sla.first { $0.policy == name }?.attainment }))
        }
        series.append(
            .init(name: l["legend.csat"], color: "#0f9d8a", values: span.map { $0.satisfaction.csat }, dashed: true))
        let goal = l.format("legend.goal", c.goalText)
        // The title counts the periods drawn, not the most the chart could draw.
        let title = span.count == 1 ? l["h.trend1"] : l.format("h.trend", String(span.count))
        var s = "<section class=\"box\" id=\"trend\"><h2>\(e(title))</h2>\n"
        s += SVGChart.lines(
            series, xLabels: labels, percent: true, goal: (c.goal, goal), width: 900, height: 220,
            noData: l["chart.no_data"])
        s += SVGChart.legend(series, goal: goal)
        return s + "</section>\n"
    }

    func complaints(_ w: WeeklySummary, _ p: WeeklySummary?, empty: Bool) -> String {
        var s = "<section class=\"box\" id=\"complaints\"><h2>\(e(l["h.complaints"]))</h2>\n"
        guard !w.complaints.top.isEmpty else {
            return s + "<p class=\"empty\">\(e(l[empty ? "empty.week" : "empty.none"]))</p></section>\n"
        }
        s +=
            "<p class=\"note\">\(e(l.format("complaints.total", NumberFormat.grouped(w.complaints.total), c.caseTypes)))</p>"
        let bars = w.complaints.top.map { cc -> SVGChart.Bar in
            let vs =
                p == nil ? "" : l.paren(l.format("complaints.vs", NumberFormat.countChange(cc.count, cc.previousCount)))
            return SVGChart.Bar(
                label: l.shown(cc.category), value: Double(cc.count),
                note: "\(NumberFormat.grouped(cc.count)) · \(c.pct(cc.share))\(vs)",
                color: p != nil && cc.count > cc.previousCount ? "#d9480f" : "#1f6feb")
        }
        s += SVGChart.horizontalBars(bars, width: 560, labelWidth: 150)
        return s + "</section>\n"
    }

    func satisfaction(_ w: WeeklySummary, empty: Bool) -> String {
        let st = w.satisfaction
        var s = "<section class=\"box\" id=\"satisfaction\"><h2>\(e(l["h.csat"]))</h2>\n"
        s += "<dl class=\"kv\">"
        s += "<dt>\(e(l["csat.responses"]))</dt><dd>\(empty ? HTML.dash : NumberFormat.grouped(st.responses))</dd>"
        s += "<dt>\(e(l["csat.mean"]))</dt><dd>\(c.num(st.mean))</dd>"
        s += "<dt>\(e(l["csat.csat"]))</dt><dd>\(c.pct(st.csat))</dd>"
        s += "<dt>\(e(l["csat.rate"]))</dt><dd>\(c.pct(st.responseRate))</dd>"
        s += "<dt>\(e(l["csat.low"]))</dt><dd>\(empty ? HTML.dash : NumberFormat.grouped(st.lowScores))</dd>"
        s += "</dl>\n"
        if st.responses > 0 {
            s += "<h3>\(e(l["h.csat_dist"]))</h3>"
            let colors = ["#b42318", "#e8590c", "#9aa3ad", "#74b816", "#127a3a"]
            let bars = (1...5).map { k -> SVGChart.Bar in
                let n = k - 1 < st.distribution.count ? st.distribution[k - 1] : 0
                return SVGChart.Bar(
                    label: String(k), value: Double(n), note: NumberFormat.grouped(n), color: colors[k - 1])
            }
            s += SVGChart.verticalBars(bars, width: 540, height: 140)
            if st.lowScores > 0 { s += "<p class=\"note\"><a href=\"low_scores.csv\">\(e(l["csat.low_link"]))</a></p>" }
        }
        return s + "</section>\n"
    }

    func slaTable(_ w: WeeklySummary, empty: Bool) -> String {
        var s = "<section class=\"box\" id=\"sla\"><h2>\(e(l["h.sla"]))</h2>\n<div class=\"scroll\"><table>\n<tr>"
        for (id, n) in [
            ("col.policy", false), ("col.target", false), ("col.eligible", true), ("col.met", true),
            ("col.breached", true), ("col.pending", true), ("col.attainment", true), ("col.p50", true),
            ("col.p90", true),
        ] {
            s += "<th\(n ? " class=\"n\"" : "")>\(e(l[id]))</th>"
        }
        s += "</tr>\n"
        for r in w.sla {
            let cls = r.attainment.map { $0 >= r.goal ? "n ok" : "n bad" } ?? "n"
            let none = r.eligible == 0
            func cnt(_ n: Int) -> String { none ? HTML.dash : NumberFormat.grouped(n) }
            let target = r.skipped.map { l.format("sla.skipped", $0) } ?? c.target(r)
            s +=
                "<tr><td>\(e(c.label(r)))</td><td>\(e(target))\(r.clock == .business && r.skipped == nil ? e(l.paren(l["clock.business"])) : "")</td>"
            s +=
                "<td class=\"n\">\(cnt(r.eligible))</td><td class=\"n\">\(cnt(r.met))</td><td class=\"n\">\(cnt(r.breached))</td>"
            s += "<td class=\"n\">\(cnt(r.pending))</td><td class=\"\(cls)\">\(c.pct(r.attainment))</td>"
            s += "<td class=\"n\">\(c.hours(r.p50Hours))</td><td class=\"n\">\(c.hours(r.p90Hours))</td></tr>\n"
        }
        s += "</table></div>\n<p class=\"note\">\(e(l.format("def.attainment", c.goalText)))</p></section>\n"
        return s
    }

    func responseTimes(_ w: WeeklySummary, empty: Bool) -> String {
        var s = "<section class=\"box\" id=\"response-time\"><h2>\(e(l["h.response_dist"]))</h2>\n"
        let labels = c.bucketLabels()
        guard !w.responseBuckets.isEmpty, w.responseBuckets.reduce(0, +) > 0 else {
            return s + "<p class=\"empty\">\(e(l[empty ? "empty.week" : "empty.none"]))</p></section>\n"
        }
        let total = w.responseBuckets.reduce(0, +)
        let firstTarget = (c.policy("first_response") ?? c.config.policies.first)?.targetHours ?? 24
        let edges = WeeklySummary.responseBucketEdgesHours
        let bars = w.responseBuckets.enumerated().map { k, n -> SVGChart.Bar in
            // Buckets that start at or beyond the target are late; "no response yet" is grey.
            let lower = k == 0 ? 0 : (k - 1 < edges.count ? edges[k - 1] : .infinity)
            let color = k >= edges.count + 1 ? "#9aa3ad" : (lower >= firstTarget ? "#b42318" : "#1f6feb")
            let share = NumberFormat.percent(Double(n) / Double(total))!
            return SVGChart.Bar(
                label: k < labels.count ? labels[k] : "", value: Double(n),
                note: "\(NumberFormat.grouped(n)) · \(share)", color: color)
        }
        s += SVGChart.horizontalBars(bars, width: 560, labelWidth: 140)
        s += "<p class=\"note\">\(e(l["bucket.caption"]))</p>"
        return s + "</section>\n"
    }

    func logistics(_ w: WeeklySummary, empty: Bool) -> String {
        let g = w.logistics
        let none = g.shipments == 0 && g.exceptions.isEmpty
        func cnt(_ n: Int) -> String { none ? HTML.dash : NumberFormat.grouped(n) }
        var s = "<section class=\"box\" id=\"logistics\"><h2>\(e(l["h.logistics"]))</h2>\n<dl class=\"kv\">"
        s += "<dt>\(e(l["log.shipments"]))</dt><dd>\(cnt(g.shipments))</dd>"
        s += "<dt>\(e(l["log.delivered"]))</dt><dd>\(cnt(g.delivered))</dd>"
        s +=
            "<dt>\(e(l.format("log.stalled", NumberFormat.decimal(c.config.stallHours, places: 2))))</dt><dd>\(cnt(g.stalled))</dd>"
        s += "<dt>\(e(l["log.p50"]))</dt><dd>\(e(c.hours(g.p50DeliveryHours)))</dd>"
        s += "<dt>\(e(l["log.p90"]))</dt><dd>\(e(c.hours(g.p90DeliveryHours)))</dd>"
        s += "</dl>\n<h3>\(e(l["log.exceptions"]))</h3>"
        if g.exceptions.isEmpty {
            s += "<p class=\"empty\">\(e(none ? HTML.dash : l["log.none"]))</p>"
        } else {
            s += "<table>"
            for kc in g.exceptions where kc.count > 0 {
                s +=
                    "<tr><td>\(e(l.value("exc", kc.key)))</td><td class=\"n\">\(NumberFormat.grouped(kc.count))</td></tr>"
            }
            s += "</table>"
        }
        return s + "</section>\n"
    }
}
