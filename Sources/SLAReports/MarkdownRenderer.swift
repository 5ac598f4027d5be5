import SLAFast
import SLAMetrics
import SLAModel

/// `report.md`: the week's headline numbers and tables for mail or chat (CommonMark/GFM tables).
struct MarkdownRenderer {
    let c: ReportContext
    var l: Localization { c.l }

    /// Backslash-escapes Markdown-significant ASCII punctuation in input-derived text and folds line
    /// breaks, so a value can never break a table or start a link, emphasis or HTML.
    static func escape(_ s: String) -> String {
        // Most values have nothing to escape: hand them back without a copy.
        if !needsEscape(s) { return s }
        var out = ""
        // List and heading markers matter only at the start of a value.
        if let f = s.unicodeScalars.first, "-+.=".unicodeScalars.contains(f) { out += "\\" }
        for ch in s.unicodeScalars {
            switch ch {
            case "\\", "|", "*", "_", "`", "<", ">", "[", "]", "#", "~", "!", "&":
                out += "\\"
                out.unicodeScalars.append(ch)
            case "\n", "\r", "\t": out += " "
            default:
                if ch.value < 0x20 { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Whether `escape` would change `s`: a leading list/heading marker, significant punctuation
    /// or a control character (all ASCII, so a byte scan finds them).
    static func needsEscape(_ s: String) -> Bool {
        guard let f = s.utf8.first else { return false }
        switch f {
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "="): return true
        default: break
        }
        return s.utf8.contains { b in
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: "|"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"),
                UInt8(ascii: "<"),
                UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "#"), UInt8(ascii: "~"),
                UInt8(ascii: "!"),
                UInt8(ascii: "&"):
                return true
            default: return b < 0x20
            }
        }
    }

    func m(_ s: String) -> String { MarkdownRenderer.escape(s) }

    func table(_ head: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        var s = "| " + head.joined(separator: " | ") + " |\n|"
        for i in head.indices { s += numeric.contains(i) ? " ---: |" : " --- |" }
        s += "\n"
        for r in rows { s += "| " + r.joined(separator: " | ") + " |\n" }
        return s + "\n"
    }

    /// `current`: `weeks[i]` with its detail rows, when the list holds it without them.
    func render(weeks: [WeeklySummary], index i: Int, current: WeeklySummary? = nil) -> String {
        let w = current ?? weeks[i]
        let p = ReportContext.previous(weeks, i)
        let empty = ReportContext.isEmpty(w)
        func cnt(_ n: Int) -> String { empty ? HTML.dash : NumberFormat.grouped(n) }
        func vs(_ now: Int, _ before: Int?) -> String { before.map { NumberFormat.countChange(now, $0) } ?? HTML.dash }
        var s = "# \(m(l["title.week"])) · \(w.week)\n\n"
        s +=
            "\(l["meta.dates"] + l.colon)\(w.weekStart) – \(w.weekEnd) · \(l["meta.zone"] + l.colon)\(m(w.timezone)) · "
        s += "\(l["meta.as_of"] + l.colon)\(m(c.asOfText))\n\n"
        if empty { s += "> \(m(l["empty.week"]))\n\n" }
        let act = ActNow(w, previous: p)
        s += first(w, act, empty: empty)

        s += "## \(l["h.volumes"])\n\n"
        s += table(
            [l["col.metric"], l["col.this_week"], l["col.change"]],
            [
                [l["tile.orders"], cnt(w.ordersPlaced), empty ? HTML.dash : vs(w.ordersPlaced, p?.ordersPlaced)],
                [
                    l["tile.created"], cnt(w.ticketsCreated),
                    empty ? HTML.dash : vs(w.ticketsCreated, p?.ticketsCreated),
                ],
                [
                    l["tile.resolved"], cnt(w.ticketsResolved),
                    empty ? HTML.dash : vs(w.ticketsResolved, p?.ticketsResolved),
                ],
                [
                    l["tile.complaints"], cnt(w.complaints.total),
                    empty ? HTML.dash : vs(w.complaints.total, p?.complaints.total),
                ],
                [
                    l["tile.csat"], c.pct(w.satisfaction.csat),
                    c.pp(w.satisfaction.csat, p?.satisfaction.csat) ?? HTML.dash,
                ],
                [
                    m(l.format("tile.repeats", c.hours(w.repeatContacts.windowHours))),
                    empty
                        ? HTML.dash
                        : "\(c.pct(w.repeatContacts.share))\(l.paren(NumberFormat.grouped(w.repeatContacts.count)))",
                    empty ? HTML.dash : (c.pp(w.repeatContacts.share, p?.repeatContacts.share) ?? HTML.dash),
                ],
            ], numeric: [1, 2])
        // One line for staffing, one for the monthly staff review (the tables are in the HTML).
        if let line = ArrivalText.busiestLine(w.arrivals, l) { s += "\(m(line))\n\n" }
        if let line = FlaggedText.line(w.agentTable, l) { s += "\(m(line))\n\n" }

        s += "## \(l["h.sla"])\n\n"
        s += table(
            [
                l["col.policy"], l["col.target"], l["col.eligible"], l["col.met"], l["col.breached"], l["col.pending"],
                l["col.attainment"], l["col.change"], l["col.p50"], l["col.p90"],
            ],
            w.sla.map { r in
                let none = r.eligible == 0
                func n(_ x: Int) -> String { none ? HTML.dash : NumberFormat.grouped(x) }
                let prevAtt = p?.sla.first { $0.policy == r.policy }?.attainment
                // A policy whose column no export has says so instead of a target.
                let target = r.skipped.map { l.format("sla.skipped", $0) } ?? c.target(r)
                // ✅/❌ against the promise's goal: colour does not survive chat.
                let mark = StatusMark.of(r.attainment, goal: r.goal)
                return [
                    m(c.label(r)), m(target), n(r.eligible), n(r.met), n(r.breached), n(r.pending),
                    (mark.isEmpty ? "" : mark + " ") + c.pct(r.attainment), c.pp(r.attainment, prevAtt) ?? HTML.dash,
                    c.hours(r.p50Hours), c.hours(r.p90Hours),
                ]
            }, numeric: [2, 3, 4, 5, 6, 7, 8, 9])
        s += "\(m(l.format("def.attainment", c.goalText)))\n\n"
        s += breakdowns(w, empty: empty)
        s += actNow(w, act, newest: i == weeks.count - 1)

        s += "## \(l["h.complaints"])\n\n"
        if w.complaints.top.isEmpty {
            s += "\(m(l[empty ? "empty.week" : "empty.none"]))\n\n"
        } else {
            s += "\(m(l.format("complaints.total", NumberFormat.grouped(w.complaints.total), c.caseTypes)))\n\n"
            s += table(
                [l["col.category"], l["col.count"], l["col.share"], l["col.previous"], l["col.change"]],
                w.complaints.top.map { cc in
                    [
                        m(l.shown(cc.category)), NumberFormat.grouped(cc.count), c.pct(cc.share),
                        NumberFormat.grouped(cc.previousCount),
                        NumberFormat.countChange(cc.count, cc.previousCount),
                    ]
                }, numeric: [1, 2, 3, 4])
        }

        let st = w.satisfaction
        s += "## \(l["h.csat"])\n\n"
        s += table(
            [l["col.metric"], l["col.value"]],
            [
                [l["csat.responses"], cnt(st.responses)],
                [l["csat.mean"], c.num(st.mean)],
                [l["csat.csat"], c.pct(st.csat)],
                [l["csat.rate"], c.pct(st.responseRate)],
                [l["csat.low"], cnt(st.lowScores)],
            ]
                + (st.responses > 0
                    ? (1...5).map { k in ["\(l["col.score"]) \(k)", NumberFormat.grouped(st.distribution[k - 1])] }
                    : []),
            numeric: [1])

        s += callbacks(w, empty: empty)

        let g = w.logistics
        let noLog = g.shipments == 0 && g.exceptions.isEmpty
        func lc(_ n: Int) -> String { noLog ? HTML.dash : NumberFormat.grouped(n) }
        s += "## \(l["h.logistics"])\n\n"
        var rows = [
            [l["log.shipments"], lc(g.shipments)], [l["log.delivered"], lc(g.delivered)],
            [m(l.format("log.stalled", NumberFormat.decimal(c.config.stallHours, places: 2))), lc(g.stalled)],
            [l["log.p50"], c.hours(g.p50DeliveryHours)], [l["log.p90"], c.hours(g.p90DeliveryHours)],
        ]
        for kc in g.exceptions where kc.count > 0 {
            rows.append([
                "\(l["log.exceptions"] + l.colon)\(m(l.value("exc", kc.key)))", NumberFormat.grouped(kc.count),
            ])
        }
        s += table([l["col.metric"], l["col.value"]], rows, numeric: [1])

        s += alerts(w)

        // For chat the page keeps the time zone and points to the full definitions in
        // report.html (they were the largest section: a year's month report.md reached 12 KB).
        s += "## \(l["h.definitions"])\n\n"
        for line in c.definitions.prefix(1) { s += "- \(m(line))\n" }
        s += "- \(m(l["md.definitions"]))\n"
        s += "\n\(l["md.files"])\n"
        return s
    }

    /// The breakdowns, as in report.html: one table, a few values per cut.
    private func breakdowns(_ w: WeeklySummary, empty: Bool) -> String {
        let cuts = w.breakdowns.tickets
        let carriers = w.breakdowns.carrier?.rows ?? []
        guard !cuts.isEmpty || w.breakdowns.carrier != nil else { return "" }
        var s = "## \(l["h.breakdowns"])\n\n"
        let ticketRows = cuts.contains(where: { !$0.rows.isEmpty })
        guard !empty, ticketRows || !carriers.isEmpty else {
            return s + "\(m(l[empty ? "empty.week" : "empty.none"]))\n\n"
        }
        if ticketRows { s += ticketTable(w) }
        if !carriers.isEmpty {
            let rows = carriers.map { r in
                [
                    m(
                        r.value == Breakdowns.other
                            ? l.format("value.other", NumberFormat.grouped(r.values)) : l.shown(r.value)),
                    NumberFormat.grouped(r.shipments), NumberFormat.grouped(r.delivered),
                    NumberFormat.grouped(r.stalled),
                    NumberFormat.grouped(r.exceptions), c.hours(r.p50DeliveryHours), c.hours(r.p90DeliveryHours),
                ]
            }
            s += table(
                [
                    l["cut.carrier"], l["log.shipments"], l["log.delivered"], l["col.stalled"], l["log.exceptions"],
                    l["col.p50"], l["col.p90"],
                ], rows, numeric: [1, 2, 3, 4, 5, 6])
            s += "\(m(l.format("carrier.note", String(w.breakdowns.topN))))\n\n"
        }
        return s
    }

    private func ticketTable(_ w: WeeklySummary) -> String {
        let cuts = w.breakdowns.tickets
        var s = ""
        let whole = BreakdownPage.whole(w)
        var rows: [[String]] = [
            [
                l["breakdowns.all"], "", NumberFormat.grouped(whole.tickets), NumberFormat.grouped(whole.breached),
                c.pct(whole.attainment), c.pct(whole.csat),
            ]
        ]
        for cut in cuts {
            for (i, r) in BreakdownPage.rows(cut).enumerated() {
                // ❌ where the row does worse than the whole period (colour does not survive chat).
                let mark = BreakdownPage.worse(r, than: whole) ? "❌ " : ""
                rows.append([
                    i == 0 ? l["cut." + cut.dimension.rawValue] : "", m(BreakdownPage.value(r, cut.dimension, l)),
                    NumberFormat.grouped(r.tickets), NumberFormat.grouped(r.breached), mark + c.pct(r.attainment),
                    c.pct(r.csat),
                ])
            }
        }
        s += table(
            [
                l["col.cut"], l["col.cut_value"], l["col.tickets"], l["col.breached"], l["col.attainment"],
                l["col.csat"],
            ],
            rows, numeric: [2, 3, 4, 5])
        s += "\(m(l.format("breakdowns.note", String(BreakdownPage.shown), String(w.breakdowns.topN))))\n\n"
        return s
    }

    /// The callback list, as in report.html: earliest deadline first, capped, the rest counted.
    private func callbacks(_ w: WeeklySummary, empty: Bool) -> String {
        var s = "## \(l["h.callbacks"])\n\n"
        let rows = Callbacks.ordered(w.lowScoreRecords)
        guard !rows.isEmpty else { return s + "\(m(l[empty ? "empty.week" : "callbacks.none"]))\n\n" }
        let n = rows.count
        let count =
            n > Callbacks.maxShown
            ? l.format("list.first", String(Callbacks.maxShown), NumberFormat.grouped(n), "low_scores.csv")
            : l.format("breaches.all", NumberFormat.grouped(n), "low_scores.csv")
        s += "\(l.sentences(l["callbacks.rule"], count))\n\n"
        s += table(
            [
                l["col.score"], l["col.agent"], l["col.category"], l["col.comment"], l["col.callback_due"],
                l["col.ticket"],
            ],
            rows.prefix(Callbacks.maxShown).map { r, due in
                let comment = Callbacks.comment(r.comment)
                let id = r.ticketID.isEmpty ? r.surveyID : r.ticketID
                return [
                    String(r.score), r.agent.isEmpty ? HTML.dash : m(r.agent),
                    r.category.isEmpty ? HTML.dash : m(l.shown(r.category)), comment.isEmpty ? HTML.dash : m(comment),
                    due == .missing ? HTML.dash : m(l.moment(due, zone: c.zone, short: true)),
                    id.isEmpty ? HTML.dash : m(id),
                ]
            }, numeric: [0])
        return s
    }

    /// Early warnings grouped by kind, as in report.html: a few per group, the rest counted.
    private func alerts(_ w: WeeklySummary) -> String {
        var s = "## \(l["h.alerts"])\n\n"
        guard !w.alerts.isEmpty else { return s + "\(m(l["alerts.none"]))\n\n" }
        s += "\(m(l["alerts.order"]))\n\n"
        for g in AlertGroups.groups(w.alerts) {
            s += "### \(m(l.value("alert", g.kind) + l.paren(NumberFormat.grouped(g.alerts.count))))\n\n"
            s += table(
                [l["col.subject"], l["col.this_week"], l["col.previous"], l["col.change"], l["col.threshold"]],
                g.shown.map { a in
                    // Only the subject comes from the input; the numbers are ours and stay
                    // unescaped ("+3", not "\\+3", in plain-text chat).
                    [
                        m(l.shown(a.subject)), AlertText.value(a), AlertText.previous(a), AlertText.change(a, l),
                        AlertText.threshold(a),
                    ]
                }, numeric: [1, 2, 3, 4])
            if g.hidden > 0 { s += "\(l.format("alerts.more", NumberFormat.grouped(g.hidden), "alerts.csv"))\n\n" }
        }
        return s
    }
}
