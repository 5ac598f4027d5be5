import SLAFast
import SLAModel

/// Every policy clock of every row, one at a time, for the per-item export (`items.csv.gz`).
///
/// The clocks are not kept by the metrics (only breaches and open clocks are, for their lists):
/// they are measured again from the deduplicated rows with the same `MetricsContext.evaluate`
/// the summaries count with, so a run without the export keeps nothing more, and an export's
/// counts are the summaries' by construction. Positions run over the orders, then the tickets,
/// then the surveys, each table in read order (the winning copy's file and line), so the same
/// inputs give the same order however the files were loaded; within a row, policies are in
/// config order. Any range of positions can be measured on its own (the export measures blocks
/// of them in parallel).
package struct ItemClocks: Sendable {
    /// One clock. `outcome` is never `.notApplicable`.
    package struct Clock {
        package var policy: Int
        package var table: Table
        package var id: StrID
        package var order: StrID
        package var agent: StrID = .none
        package var channel: StrID = .none
        package var category: StrID = .none
        /// Raw values, 0 = none (tickets only).
        package var type: UInt8 = 0
        package var priority: UInt8 = 0
        package var outcome: SLAOutcome
        /// The deadline: the due column's value, or when the target runs out on the policy's
        /// clock; `.missing` when a due policy's row has none.
        package var due: Int64
        /// Period indexes of the start (`ISOWeek(index:)`, `CalendarMonth(index:)`).
        package var week: Int
        package var month: Int
    }

    package let weeks: MetricsContext
    let months: MetricsContext
    let orders: [OrderRow]
    let tickets: [TicketRow]
    let surveys: SurveyJoin
    /// Row indexes of each table in read order.
    private let orderIndex: [Int32]
    private let ticketIndex: [Int32]
    private let surveyIndex: [Int32]

    /// `context`: the run's (either period kind; both are made from its config).
    /// `surveyTickets`: the surveys' tickets that are not among `tickets` (from partials).
    package init(
        context ctx: MetricsContext, orders: [OrderRow], tickets: [TicketRow], surveys: [SurveyRow],
        surveyTickets: [StrID: SurveyTicket] = [:]
    ) {
        func make(_ kind: PeriodKind) -> MetricsContext {
            MetricsContext(
                config: ctx.config, zone: ctx.zone, asOf: ctx.asOf, pool: ctx.pool, extras: ctx.extras,
                skipped: ctx.skippedColumn, surveysGiven: ctx.surveysGiven, period: kind)
        }
        weeks = ctx.period == .week ? ctx : make(.week)
        months = ctx.period == .month ? ctx : make(.month)
        self.orders = ctx.orderPolicies.isEmpty ? [] : orders
        self.tickets = tickets
        self.surveys = SurveyJoin(
            surveys: ctx.surveyPolicies.isEmpty ? [] : surveys, tickets: tickets, more: surveyTickets)
        orderIndex = Self.readOrder(self.orders.map(\.seq))
        ticketIndex = ctx.ticketPolicies.isEmpty ? [] : Self.readOrder(tickets.map(\.seq))
        surveyIndex = Self.readOrder(self.surveys.surveys.map(\.seq))
    }

    /// Indexes sorted by read sequence (already sorted: as they are).
    private static func readOrder(_ seqs: [ReadSeq]) -> [Int32] {
        var idx = (0..<Int32(seqs.count)).map { $0 }
        if zip(seqs, seqs.dropFirst()).allSatisfy({ $0 < $1 }) { return idx }
        idx.sort { seqs[Int($0)] < seqs[Int($1)] }
        return idx
    }

    /// Rows in all (positions are `0..<count`).
    package var count: Int { orderIndex.count + ticketIndex.count + surveyIndex.count }

    /// The row at a position: its table and read sequence (positions go by table, then read
    /// order, which is how partials' rows interleave into the merge's).
    package func key(_ pos: Int) -> (table: Table, seq: ReadSeq) {
        let nO = orderIndex.count
        let nT = ticketIndex.count
        if pos < nO { return (.orders, orders[Int(orderIndex[pos])].seq) }
        if pos < nO + nT { return (.tickets, tickets[Int(ticketIndex[pos - nO])].seq) }
        return (.surveys, surveys.surveys[Int(surveyIndex[pos - nO - nT])].seq)
    }

    /// Calls `body` with every clock of the rows at `positions`, in order.
    package func forEach(_ positions: Range<Int>, _ body: (Clock) -> Void) {
        let ctx = weeks
        let nO = orderIndex.count
        let nT = ticketIndex.count
        for pos in positions {
            if pos < nO {
                let o = orders[Int(orderIndex[pos])]
                guard o.orderedAt != .missing else { continue }  // as the metrics (never, it is required)
                for p in ctx.orderPolicies {
                    guard var c = clock(p, o) else { continue }
                    c.category = o.category
                    body(c)
                }
            } else if pos < nO + nT {
                let t = tickets[Int(ticketIndex[pos - nO])]
                for p in ctx.ticketPolicies {
                    guard var c = clock(p, t) else { continue }
                    c.agent = t.agent
                    c.channel = t.channel
                    c.category = t.category
                    c.type = t.type.rawValue
                    c.priority = t.priority.rawValue
                    body(c)
                }
            } else {
                let i = Int(surveyIndex[pos - nO - nT])
                let s = surveys.surveys[i]
                for p in ctx.surveyPolicies {
                    guard var c = clock(p, s) else { continue }
                    c.agent = s.agent
                    c.category = surveys.info[i]?.category ?? .none
                    body(c)
                }
            }
        }
    }

    /// Policy `p`'s clock of a row; nil when the policy does not apply to it.
    @inline(__always)
    private func clock<R: MeasuredRow>(_ p: Int, _ row: R) -> Clock? {
        let ctx = weeks
        let o = ctx.evaluate(p, row)
        guard let start = o.start else { return nil }
        let keys = row.breachKeys
        let due: Int64
        switch o {
        case .breached(_, _, _, let d) where d != .missing: due = d
        case .pending(_, let d) where d != .missing: due = d
        case .missingDue: due = .missing
        default: due = ctx.dueValue(p, row) ?? ctx.deadline(policy: p, start: start)
        }
        return Clock(
            policy: p, table: R.table, id: keys.id, order: keys.order, outcome: o, due: due,
            week: ctx.week(start), month: months.week(start))
    }
}
