import SLAFast
import SLAMetrics
import SLAModel

/// The CSV files of SPEC 6: per week `sla_breaches.csv`, `low_scores.csv`, `agents.csv`;
/// top level `weeks.csv`, `open_items.csv` and `rejects.csv`. Column names are fixed (the analysts' interface) and
/// do not change with the report language.
package struct CSVReports {
    let zone: ZoneRules
    /// Every policy (weeks.csv columns).
    let policies: [String]
    /// The ticket policies (agents.csv columns: agents are measured on tickets).
    var agentPolicies: [String]
    let bom: Bool

    init(zone: ZoneRules, policies: [String], agentPolicies: [String]? = nil, bom: Bool) {
        self.zone = zone
        self.policies = policies
        self.agentPolicies = agentPolicies ?? policies
        self.bom = bom
    }

    /// sla_breaches.csv. With a `sink`, the bytes go there a megabyte at a time and the result is
    /// empty.
    func breaches(_ w: WeeklySummary, sink: ByteSink? = nil) -> [UInt8] {
        // About 95 bytes a row: reserve once instead of growing through a dozen copies.
        var c = CSVWriter(bom: bom, capacity: sink != nil ? 1 << 20 + 4096 : 128 + 100 * w.breaches.count)
        c.header([
            "ticket_id", "order_id", "policy", "start", "stop", "elapsed_hours", "target_hours", "state",
            "table", "id", "due", "agent", "type", "priority",
        ])
        for b in w.breaches {
            c.input(b.ticketID)
            c.input(b.orderID)
            c.input(b.policy)
            c.time(b.start, zone: zone)
            c.time(b.stop, zone: zone)
            c.number(b.elapsedHours)
            c.number(b.targetHours)
            c.text(b.state)
            c.text(b.table.rawValue)
            c.input(b.id)
            c.time(b.due, zone: zone)
            c.input(b.agent)
            c.text(b.type)
            c.text(b.priority)
            c.endRow()
            if let sink, c.bytes.count >= 1 << 20 { sink.write(c.drain()) }
        }
        guard let sink else { return c.bytes }
        sink.write(c.drain())
        return []
    }

    /// open_items.csv: every clock still running at as_of, in the order given (due, policy, id).
    func openItems(_ items: [OpenItem]) -> [UInt8] {
        openItems(sink: nil) { row in items.forEach(row) }
    }

    /// open_items.csv from `produce`, which calls its argument with every item in order; with a
    /// sink, written to it a megabyte at a time (a million open clocks) and [] returned.
    func openItems(sink: ByteSink?, _ produce: ((OpenItem) -> Void) -> Void) -> [UInt8] {
        var c = CSVWriter(bom: bom, capacity: 1 << 16)
        c.header([
            "table", "id", "order_id", "policy", "start", "due", "state", "hours_left", "agent", "type",
            "priority", "status",
        ])
        produce { r in
            c.text(r.table.rawValue)
            c.input(r.id)
            c.input(r.orderID)
            c.input(r.policy)
            c.time(r.start, zone: zone)
            c.time(r.due, zone: zone)
            c.text(r.state)
            c.number(r.hoursLeft)
            c.input(r.agent)
            c.text(r.type)
            c.text(r.priority)
            c.input(r.status)
            c.endRow()
            if let sink, c.bytes.count >= 1 << 20 { sink.write(c.drain()) }
        }
        guard let sink else { return c.bytes }
        sink.write(c.drain())
        return []
    }

    func lowScores(_ w: WeeklySummary) -> [UInt8] {
        var c = CSVWriter(bom: bom, capacity: 128 + 90 * w.lowScoreRecords.count)
        c.header([
            "ticket_id", "order_id", "agent", "score", "category", "resolved_at", "surveyed_at", "survey_id",
            "comment",
        ])
        for r in w.lowScoreRecords {
            c.input(r.ticketID)
            c.input(r.orderID)
            c.input(r.agent)
            c.int(r.score)
            c.input(r.category)
            c.time(r.resolvedAt, zone: zone)
            c.time(r.surveyedAt, zone: zone)
            c.input(r.surveyID)
            c.input(r.comment)
            c.endRow()
        }
        return c.bytes
    }

    /// The period's repeat contacts (二次申诉), by created_at then ticket_id.
    func repeatContacts(_ w: WeeklySummary) -> [UInt8] {
        var c = CSVWriter(bom: bom, capacity: 128 + 120 * w.repeatRecords.count)
        c.header([
            "ticket_id", "order_id", "created_at", "previous_ticket_id", "previous_resolved_at", "hours_since",
            "agent", "category",
        ])
        for r in w.repeatRecords {
            c.input(r.ticketID)
            c.input(r.orderID)
            c.time(r.createdAt, zone: zone)
            c.input(r.previousTicketID)
            c.time(r.previousResolvedAt, zone: zone)
            c.number(r.hoursSince)
            c.input(r.agent)
            c.input(r.category)
            c.endRow()
        }
        return c.bytes
    }

    /// Every alert of the period with its previous period's value (empty when there is none).
    func alerts(_ w: WeeklySummary) -> [UInt8] {
        var c = CSVWriter(bom: bom, capacity: 64 + 60 * w.alerts.count)
        c.header(["kind", "subject", "value", "threshold", "previous"])
        for a in w.alerts {
            c.text(a.kind)
            c.input(a.subject)
            c.number(a.value)
            c.number(a.threshold)
            c.number(a.previous)
            c.endRow()
        }
        return c.bytes
    }

    /// agents.csv, worst first (`AgentOrder`). With a `sink`, the bytes go there a megabyte at a
    /// time and the result is empty.
    func agents(_ w: WeeklySummary, sink: ByteSink? = nil) -> [UInt8] {
        let table = w.agentTable
        var c = CSVWriter(
            bom: bom,
            capacity: sink != nil
                ? 1 << 20 + 4096
                : 8 * (3 * agentPolicies.count + 5) * (table.count + 1))
        var head = ["agent", "tickets"]
        for p in agentPolicies { head += ["\(p)_met", "\(p)_breached", "\(p)_attainment"] }
        head += ["responses", "mean", "csat", "resolved", "handling_p50_hours", "low_scores", "low_score_flagged"]
        c.header(head)
        for i in table.worstFirst() {
            let a = table[i]
            c.input(a.agent)
            c.int(a.tickets)
            for (k, p) in agentPolicies.enumerated() {
                let r = k < a.sla.count && a.sla[k].policy == p ? a.sla[k] : a.sla.first { $0.policy == p }
                c.int(r?.met ?? 0)
                c.int(r?.breached ?? 0)
                c.number(r?.attainment)
            }
            c.int(a.responses)
            c.number(a.mean)
            c.number(a.csat)
            c.int(a.resolved)
            c.number(a.handlingP50Hours)
            c.int(a.lowScores)
            // Empty in week files: the flag is a monthly review.
            if let f = a.lowScoreFlagged { c.text(f ? "true" : "false") } else { c.number(nil) }
            c.endRow()
            if let sink, c.bytes.count >= 1 << 20 { sink.write(c.drain()) }
        }
        guard let sink else { return c.bytes }
        sink.write(c.drain())
        return []
    }

    /// weeks.csv, or months.csv for month summaries (first columns month, month_start, month_end).
    /// After the headline columns come the counts any coarser period can be summed from: per
    /// policy eligible, met, breached, pending (and p50/p90, which do not add up), and the
    /// satisfaction responses, score sum, satisfied (4–5) and low (1–2) counts.
    func weeks(_ weeks: [WeeklySummary], kind: PeriodKind = .week) -> [UInt8] {
        var c = CSVWriter(bom: bom)
        let k = kind.rawValue
        var head = [k, k + "_start", k + "_end", "orders_placed", "tickets_created", "tickets_resolved"]
        head += policies.map { "\($0)_attainment" }
        head += ["csat", "satisfaction_responses", "complaints_total", "shipments", "stalled", "alerts"]
        for p in policies {
            head += ["eligible", "met", "breached", "pending", "p50_hours", "p90_hours"].map { "\(p)_\($0)" }
        }
        head += ["satisfaction_score_sum", "satisfaction_satisfied", "satisfaction_low"]
        c.header(head)
        for w in weeks {
            var row: [CSVCell] = [
                .text(w.week), .text(w.weekStart), .text(w.weekEnd), .int(w.ordersPlaced),
                .int(w.ticketsCreated), .int(w.ticketsResolved),
            ]
            let results = policies.map { p in w.sla.first(where: { $0.policy == p }) }
            row += results.map { .number($0?.attainment) }
            row += [
                .number(w.satisfaction.csat), .int(w.satisfaction.responses), .int(w.complaints.total),
                .int(w.logistics.shipments), .int(w.logistics.stalled), .int(w.alerts.count),
            ]
            for r in results {
                row += [
                    .int(r?.eligible ?? 0), .int(r?.met ?? 0), .int(r?.breached ?? 0), .int(r?.pending ?? 0),
                    .number(r?.p50Hours), .number(r?.p90Hours),
                ]
            }
            let d =
                w.satisfaction.distribution + Array(repeating: 0, count: max(0, 5 - w.satisfaction.distribution.count))
            row += [
                .int((0..<5).reduce(0) { $0 + ($1 + 1) * d[$1] }), .int(d[3] + d[4]), .int(w.satisfaction.lowScores),
            ]
            c.row(row)
        }
        return c.bytes
    }

    /// Rejected rows in read order (table, file, line): `raw` is the record re-joined as one CSV line.
    func rejects(_ rejects: [Reject]) -> [UInt8] {
        var c = CSVWriter(bom: bom)
        c.header(["file", "line", "table", "kind", "reason", "raw"])
        let sorted = rejects.enumerated().sorted { a, b in
            let x = a.element
            let y = b.element
            if x.table != y.table { return x.table < y.table }
            if x.location.file != y.location.file {
                return Array(x.location.file.utf8).lexicographicallyPrecedes(y.location.file.utf8)
            }
            if x.location.line != y.location.line { return x.location.line < y.location.line }
            return a.offset < b.offset
        }
        for (_, r) in sorted { Self.rejectRow(r, into: &c) }
        return c.bytes
    }

    /// The header of rejects.csv (with the BOM when asked).
    func rejectsHead() -> [UInt8] {
        var c = CSVWriter(bom: bom)
        c.header(["file", "line", "table", "kind", "reason", "raw"])
        return c.bytes
    }

    /// One row of rejects.csv: `raw` is the record re-joined as one CSV line.
    package static func rejectRow(_ r: Reject, into c: inout CSVWriter) {
        c.row([
            .input(r.location.file), .int(r.location.line), .text(r.table.rawValue), .text(r.kind.rawValue),
            .input(r.reason), .input(CSVWriter.line(r.raw)),
        ])
    }

    /// The order of rejects.csv over input files: table, then the file's path in byte order.
    package static func partOrder(_ a: RejectPart, _ b: RejectPart) -> Bool {
        if a.table != b.table { return a.table < b.table }
        return Array(a.file.utf8).lexicographicallyPrecedes(Array(b.file.utf8))
    }
}
