import SLAFast
import SLAMetrics
import SLAModel

/// The detail sections of report.html below the charts: agents, breaches, volumes, data quality
/// and the definitions footnote.
extension HTMLRenderer {
    func agents(_ w: WeeklySummary) -> String {
        var s = "<section class=\"box\" id=\"agents\"><h2>\(e(l["h.agents"]))</h2>\n"
        let table = w.agentTable
        guard !table.isEmpty else { return s + "<p class=\"empty\">\(e(l["agents.none"]))</p></section>\n" }
        // One row per agent that fits a laptop screen and a printed page: all promises together,
        // and the promise the agent misses most (per-policy columns are in agents.csv).
        s +=
            "<div class=\"scroll\"><table>\n<tr><th>\(e(l["col.agent"]))</th><th class=\"n\">\(e(l["col.tickets"]))</th>"
        s += "<th class=\"n\">\(e(l["col.met"]))</th><th class=\"n\">\(e(l["col.breached"]))</th>"
        s += "<th class=\"n\">\(e(l["col.attainment"]))</th><th>\(e(l["col.weakest"]))</th>"
        s +=
            "<th class=\"n\">\(e(l["col.responses"]))</th><th class=\"n\">\(e(l["col.mean"]))</th><th class=\"n\">\(e(l["col.csat"]))</th>"
        s +=
            "<th class=\"n\">\(e(l["col.resolved"]))</th><th class=\"n\">\(e(l["col.handling_p50"]))</th><th class=\"n\">\(e(l["col.low_scores"]))</th></tr>\n"
        let flag = table.lowScoreFlag
        let labels = Dictionary(w.sla.map { ($0.policy, c.label($0)) }, uniquingKeysWith: { a, _ in a })
        // Worst first, and only as many as a review meeting reads: the rest are in agents.csv.
        let ordered = table.worstFirst()
        for a in ordered.prefix(HTMLRenderer.maxAgents).map({ table[$0] }) {
            let met = a.sla.reduce(0) { $0 + $1.met }
            let breached = a.sla.reduce(0) { $0 + $1.breached }
            let name = a.agent == AgentTable.unassigned ? l["value.unassigned"] : a.agent
            s += "<tr><td>\(e(name))</td><td class=\"n\">\(NumberFormat.grouped(a.tickets))</td>"
            s +=
                "<td class=\"n\">\(NumberFormat.grouped(met))</td><td class=\"n\">\(NumberFormat.grouped(breached))</td>"
            if met + breached > 0 {
                let att = Double(met) / Double(met + breached)
                s += "<td class=\"n \(att >= c.goal ? "ok" : "bad")\">\(c.pct(att))</td>"
            } else {
                s += "<td class=\"n\">\(HTML.dash)</td>"
            }
            // The weakest promise: lowest attainment among those with a breach (config order on ties).
            var weakest: AgentPolicyResult? = nil
            for p in a.sla where p.breached > 0 {
                if let cur = weakest, let ca = cur.attainment, let pa = p.attainment, pa >= ca { continue }
                weakest = p
            }
            if let wp = weakest, let att = wp.attainment {
                s +=
                    "<td>\(e(labels[wp.policy] ?? wp.policy)) <small class=\"bad\">\(c.pct(att))\(e(l.paren("\(wp.met)/\(wp.met + wp.breached)")))</small></td>"
            } else {
                s += "<td>\(HTML.dash)</td>"
            }
            s +=
                "<td class=\"n\">\(NumberFormat.grouped(a.responses))</td><td class=\"n\">\(c.num(a.mean))</td><td class=\"n\">\(c.pct(a.csat))</td>"
            s +=
                "<td class=\"n\">\(NumberFormat.grouped(a.resolved))</td><td class=\"n\">\(e(c.hours(a.handlingP50Hours)))</td>"
            if a.lowScoreFlagged == true, let f = flag {
                // Words, not only colour: the flag must survive a black-and-white print.
                s +=
                    "<td class=\"n bad\">\(NumberFormat.grouped(a.lowScores)) <small>\(e(l.paren(l.format("agents.flagged", String(f)))))</small></td></tr>\n"
            } else {
                s += "<td class=\"n\">\(NumberFormat.grouped(a.lowScores))</td></tr>\n"
            }
        }
        s += "</table></div>"
        if ordered.count > HTMLRenderer.maxAgents {
            s +=
                "<p class=\"note\">\(e(l.format("agents.more", NumberFormat.grouped(ordered.count - HTMLRenderer.maxAgents))))</p>"
        }
        if let line = FlaggedText.line(table, l) { s += "<p class=\"note\"><b>\(e(line))</b></p>" }
        s += "<p class=\"note\">\(e(l.format("agents.flag_note", String(flag ?? c.config.agentLowScoreFlag))))</p>"
        s += "<p class=\"note\">\(e(l["agents.note"])) <a href=\"agents.csv\">agents.csv</a></p></section>\n"
        return s
    }

    /// The breaches whose clock stopped too late (the open ones are under "act now"), with the
    /// agent; `sla_breaches.csv` lists both.
    func breaches(_ w: WeeklySummary) -> String {
        var s = "<section class=\"box\" id=\"breaches\"><h2>\(e(l["h.breaches_closed"]))</h2>\n"
        let link = "<a href=\"sla_breaches.csv\">sla_breaches.csv</a>"
        let closed = w.breaches.filter { $0.stop != .missing }
        guard !closed.isEmpty else { return s + "<p class=\"empty\">\(e(l["empty.none"]))</p></section>\n" }
        let n = closed.count
        let note =
            n > HTMLRenderer.maxBreaches
            ? l.formatHTML("breaches.closed_first", String(HTMLRenderer.maxBreaches), NumberFormat.grouped(n), link)
            : l.formatHTML("breaches.closed_all", NumberFormat.grouped(n), link)
        s += "<p class=\"note\">\(note)</p>\n<div class=\"scroll\"><table>\n<tr>"
        for (id, num) in [
            ("col.ticket", false), ("col.order", false), ("col.policy", false), ("col.agent", false),
            ("col.start", false), ("col.stop", false), ("col.elapsed", true), ("col.target_h", true),
        ] {
            s += "<th\(num ? " class=\"n\"" : "")>\(e(l[id]))</th>"
        }
        s += "</tr>\n"
        let labels = Dictionary(w.sla.map { ($0.policy, c.label($0)) }, uniquingKeysWith: { a, _ in a })
        for b in closed.prefix(HTMLRenderer.maxBreaches) {
            s += "<tr><td>\(e(b.ticketID.isEmpty ? (b.id.isEmpty ? HTML.dash : b.id) : b.ticketID))</td>"
            s += "<td>\(e(b.orderID.isEmpty ? HTML.dash : b.orderID))</td>"
            s += "<td>\(e(labels[b.policy] ?? b.policy))</td>"
            s += "<td>\(e(b.agent.isEmpty ? HTML.dash : b.agent))</td>"
            s += "<td>\(localTime(b.start))</td><td>\(localTime(b.stop))</td>"
            s +=
                "<td class=\"n bad\">\(c.hours(b.elapsedHours))</td><td class=\"n\">\(c.hours(b.targetHours))</td></tr>\n"
        }
        return s + "</table></div></section>\n"
    }

    /// A breach's local time ("2026-11-23 08:00:00": digits and punctuation, nothing to escape),
    /// written as bytes; `ZoneRules.localString` through `String` pieces cost 7 000 instructions.
    private func localTime(_ t: Int64) -> String {
        if t == .missing { return HTML.dash }
        var b: [UInt8] = []
        b.reserveCapacity(19)
        c.zone.appendLocalString(t, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    func volumes(_ w: WeeklySummary, empty: Bool) -> String {
        func cnt(_ n: Int) -> String { empty ? HTML.dash : NumberFormat.grouped(n) }
        var s = "<section class=\"box\" id=\"volumes\"><h2>\(e(l["h.volumes"]))</h2>\n<dl class=\"kv\">"
        s += "<dt>\(e(l["tile.orders"]))</dt><dd>\(cnt(w.ordersPlaced))</dd>"
        s += "<dt>\(e(l["tile.created"]))</dt><dd>\(cnt(w.ticketsCreated))</dd>"
        s += "<dt>\(e(l["tile.resolved"]))</dt><dd>\(cnt(w.ticketsResolved))</dd></dl>\n"
        for (id, kind, list) in [
            ("h.by_type", "type", w.byType), ("h.by_channel", "", w.byChannel),
            ("h.by_responsibility", "resp", w.byResponsibility),
        ] {
            let items = list.filter { $0.count > 0 }
            guard !items.isEmpty else { continue }
            s += "<h3>\(e(l[id]))</h3><p>"
            s += items.map { kc in
                "\(e(kind.isEmpty ? l.shown(kc.key) : l.value(kind, kc.key))) <b>\(NumberFormat.grouped(kc.count))</b>"
            }
            .joined(separator: " · ")
            s += "</p>\n"
        }
        return s + "</section>\n"
    }

    func dataQuality(_ w: WeeklySummary) -> String {
        var s = "<section class=\"box\" id=\"data-quality\"><h2>\(e(l["h.data_quality"]))</h2>\n<table><tr>"
        for (id, num) in [
            ("col.table", false), ("col.rows_read", true), ("col.rejected", true), ("col.merged", true),
            ("col.unique", true),
        ] {
            s += "<th\(num ? " class=\"n\"" : "")>\(e(l[id]))</th>"
        }
        s += "</tr>\n"
        for t in Table.allCases {
            let st = c.run.table(t)
            s += "<tr><td>\(e(l["table.\(t.rawValue)"]))</td>"
            if st.files == 0 && st.rowsRead == 0 {
                s +=
                    "<td class=\"n\">\(HTML.dash)</td><td class=\"n\">\(HTML.dash)</td><td class=\"n\">\(HTML.dash)</td><td class=\"n\">\(HTML.dash)</td></tr>\n"
                continue
            }
            s += "<td class=\"n\">\(NumberFormat.grouped(st.rowsRead))</td>"
            s += "<td class=\"n\(st.rejected > 0 ? " bad" : "")\">\(NumberFormat.grouped(st.rejected))</td>"
            s +=
                "<td class=\"n\">\(NumberFormat.grouped(st.duplicatesMerged))</td><td class=\"n\">\(NumberFormat.grouped(st.unique))</td></tr>\n"
        }
        s += "</table><p class=\"note\">\(e(l["dq.whole_run"]))</p>\n<dl class=\"kv\">"
        s += "<dt>\(e(l["dq.invalid_durations"]))</dt><dd>\(NumberFormat.grouped(w.dataQuality.invalidDurations))</dd>"
        s += "<dt>\(e(l["dq.invalid_scores"]))</dt><dd>\(NumberFormat.grouped(w.dataQuality.invalidScores))</dd></dl>\n"
        s +=
            "<p class=\"note\"><a href=\"../rejects.csv\">\(e(l.format("dq.rejects_link", "rejects.csv" + l.paren(NumberFormat.grouped(c.run.rejectCount)))))</a></p>"
        return s + "</section>\n"
    }

    func definitions() -> String {
        var s = "<footer class=\"box\" id=\"definitions\"><h2>\(e(l["h.definitions"]))</h2><ul>\n"
        for line in c.definitions { s += "<li>\(e(line))</li>\n" }
        s += "<li>\(e(l.format("meta.generated_by", c.run.toolVersion)))</li>\n"
        return s + "</ul></footer>\n"
    }
}
