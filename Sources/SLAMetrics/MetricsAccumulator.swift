import SLAFast
import SLAModel

/// All weekly metrics of SPEC 5 as one value: feed rows with `add(order:)`, `add(ticket:)`,
/// `add(logistics:)` in any order, combine shards with `merge`, then `finish` once.
///
/// Sharding: orders and tickets may be split any way. Logistics rows must come as deduplication
/// orders them (`LoadedInputs.logistics`: each tracking number's events together, in time order)
/// and be split into contiguous shards merged in that order (asserted in debug builds, see
/// `LogisticsAccumulator.shipments`). Rows must already be deduplicated (SPEC 2.5) and
/// interned in the context's pool, and all shards must share one `MetricsContext`. Otherwise the
/// result does not depend on row order or on how rows were split.
public struct MetricsAccumulator: Sendable {
    public let context: MetricsContext
    public private(set) var sla: SLAAccumulator
    public private(set) var agents: AgentAccumulator
    public private(set) var complaints = ComplaintAccumulator()
    public private(set) var satisfaction = SatisfactionAccumulator()
    public private(set) var logistics = LogisticsAccumulator()
    public private(set) var breakdowns: BreakdownAccumulator
    public private(set) var volume = VolumeAccumulator()
    public private(set) var orders = OrderAccumulator()
    /// First and last week holding a timestamp used by a metric (empty when min > max).
    public private(set) var minWeek = Int.max
    public private(set) var maxWeek = Int.min

    public init(context: MetricsContext) {
        self.context = context
        sla = SLAAccumulator(policyCount: context.rules.count)
        agents = AgentAccumulator(ticketPolicies: context.ticketPolicies)
        breakdowns = BreakdownAccumulator(
            ticketPolicies: context.ticketPolicies, dimensions: context.config.breakdowns.by)
    }

    @inline(__always)
    mutating func track(_ w: Int) {
        if w < minWeek { minWeek = w }
        if w > maxWeek { maxWeek = w }
    }

    /// Room for this many more orders and logistics rows in the buffers that keep an entry per
    /// row, so they are allocated once instead of regrown (fresh memory is costly).
    mutating func reserveCapacity(orders n: Int, logistics m: Int) {
        orders.reserveCapacity(n)
        logistics.reserveCapacity(m)
    }

    public mutating func add(order o: OrderRow) {
        guard o.orderedAt != .missing else { return }
        let w = context.week(o.orderedAt)
        track(w)
        orders.add(order: o, week: w)
        for p in context.orderPolicies { measure(p, o) }
    }

    /// Records policy `p`'s outcome for a row in the week of its start.
    @inline(__always)
    mutating func measure<R: MeasuredRow>(_ p: Int, _ row: R) {
        let o = context.evaluate(p, row)
        guard let start = o.start else { return }
        let w = context.week(start)
        track(w)
        sla.add(policy: p, outcome: o, startWeek: w, row: row)
    }

    /// A deduplicated survey (its agent already joined from its ticket): survey policies, and
    /// satisfaction when the surveys table is given.
    public mutating func add(survey s: SurveyRow, ticket: SurveyTicketInfo? = nil) {
        let sent = s.sentAt == .missing ? nil : context.week(s.sentAt)
        let response = s.responseAt == .missing ? nil : context.week(s.responseAt)
        if let w = sent { track(w) }
        if let w = response { track(w) }
        for p in context.surveyPolicies { measure(p, s) }
        guard context.surveysGiven else { return }
        satisfaction.add(survey: s, responseWeek: response, sentWeek: sent, ticket: ticket)
        // A response no agent is attributed to counts in the `(unassigned)` row.
        if let w = response, s.score >= 1 && s.score <= 5 {
            agents.add(response: s.score, agent: s.agent, week: w)
            if breakdowns.isActive {
                // A response without a known ticket counts as "(none)" in every cut.
                let t = ticket
                breakdowns.begin(
                    channel: t?.channel ?? .none, type: t?.type ?? 0, priority: t?.priority ?? 0,
                    category: t?.category ?? .none, merchant: t?.merchant ?? .none)
                breakdowns.add(score: s.score, week: w)
            }
        }
    }

    public mutating func add(logistics r: LogisticsRow) {
        guard r.eventAt != .missing else { return }
        let w = context.week(r.eventAt)
        track(w)
        logistics.add(r, week: w)
    }

    /// `merchant`: for the breakdowns, the merchant of a ticket without one — its order's, which
    /// `MetricsEngine` joins before the shards run (`OrderMerchants`); nil leaves it empty.
    public mutating func add(ticket t: TicketRow, merchant: StrID? = nil) {
        let ctx = context
        let cut = breakdowns.isActive
        if cut { breakdowns.begin(ticket: t, merchant: t.merchant != .none ? t.merchant : merchant ?? .none) }
        let created = t[.createdAt]
        let resolved = t[.resolvedAt]
        let surveyed = t[.surveyedAt]
        let createdWeek = created == .missing ? nil : ctx.week(created)
        let resolvedWeek = resolved == .missing ? nil : ctx.week(resolved)
        let surveyedWeek = surveyed == .missing ? nil : ctx.week(surveyed)
        if let w = createdWeek { track(w) }
        if let w = resolvedWeek { track(w) }
        if let w = surveyedWeek { track(w) }

        // Outcomes by policy index (non-ticket policies stay not applicable).
        let n = ctx.rules.count
        // The outcome of each policy for this ticket, on the stack (no allocation per ticket).
        // Safe: buf holds max(n, 1) outcomes, all initialised here and read only in this closure;
        // policy indices (ticket policies, the bucket policy) are below n = ctx.rules.count.
        withUnsafeTemporaryAllocation(of: SLAOutcome.self, capacity: max(n, 1)) { buf in
            buf.initialize(repeating: .notApplicable)
            var lastStart: Int64 = .missing
            var lastWeek = 0
            for (k, p) in ctx.ticketPolicies.enumerated() {
                let o = ctx.evaluate(p, t)
                assert(p >= 0 && p < n, "policy index outside the rules")
                buf[p] = o
                guard let start = o.start else { continue }
                if start != lastStart {
                    lastStart = start
                    lastWeek = start == created ? createdWeek! : ctx.week(start)
                    track(lastWeek)
                }
                sla.add(policy: p, outcome: o, startWeek: lastWeek, row: t)
                if cut { breakdowns.add(policySlot: k, outcome: o, week: lastWeek) }
            }
            let outcomes = UnsafeBufferPointer(rebasing: buf[0..<n])
            if let cw = createdWeek {
                assert(ctx.bucketPolicy.map { $0 >= 0 && $0 < n } ?? true)
                if let bp = ctx.bucketPolicy { sla.addBucket(outcome: outcomes[bp], createdWeek: cw) }
                agents.add(ticket: t, createdWeek: cw, outcome: { outcomes[$0] }, scores: !ctx.surveysGiven)
                if ctx.isComplaint(t.type) { complaints.add(ticket: t, createdWeek: cw) }
                if cut { breakdowns.addTicket(week: cw) }
            }
            _ = buf.deinitialize()
        }
        volume.add(ticket: t, createdWeek: createdWeek, resolvedWeek: resolvedWeek)
        if !ctx.surveysGiven {
            satisfaction.add(ticket: t, surveyWeek: surveyedWeek ?? resolvedWeek, resolvedWeek: resolvedWeek)
            if cut, let w = surveyedWeek ?? resolvedWeek, t.satisfaction >= 1 && t.satisfaction <= 5 {
                breakdowns.add(score: t.satisfaction, week: w)
            }
        }
    }

    /// Adds the figures of tracking numbers whose events were measured elsewhere (a partial),
    /// as if their events had been added here. Same period kind as this accumulator's context;
    /// carrier ids in its `eventPool`.
    public mutating func absorb(_ p: LogisticsPartial) {
        precondition(p.period == context.period, "MetricsAccumulator.absorb: period kinds differ")
        if p.minWeek <= p.maxWeek {
            track(p.minWeek)
            track(p.maxWeek)
        }
        logistics.absorb(p)
    }

    /// Adds the figures of orders and tickets measured elsewhere (a partial), as if those rows
    /// had been added here (their arrivals and repeat contacts aside: `TicketPatterns` takes
    /// those; see `MetricsPartial` for what is not carried). Same period kind and config as this
    /// accumulator's context; ids in its pool.
    public mutating func absorb(_ p: MetricsPartial) {
        precondition(p.period == context.period, "MetricsAccumulator.absorb: period kinds differ")
        if p.minWeek <= p.maxWeek {
            track(p.minWeek)
            track(p.maxWeek)
        }
        sla.merge(p.sla)
        agents.merge(p.agents)
        complaints.merge(p.complaints)
        satisfaction.merge(p.satisfaction)
        breakdowns.merge(p.breakdowns)
        volume.merge(p.volume)
        orders.merge(p.orders)
    }

    public mutating func merge(_ other: MetricsAccumulator) {
        sla.merge(other.sla)
        agents.merge(other.agents)
        complaints.merge(other.complaints)
        satisfaction.merge(other.satisfaction)
        logistics.merge(other.logistics)
        breakdowns.merge(other.breakdowns)
        volume.merge(other.volume)
        orders.merge(other.orders)
        minWeek = min(minWeek, other.minWeek)
        maxWeek = max(maxWeek, other.maxWeek)
    }

    /// One summary per ISO week from the first to the last week holding data, empty weeks
    /// included, in week order. With `parallelism` > 1 the weeks are built on that many threads
    /// (same result).
    public func finish(parallelism: Int = 1, records: Bool = true) -> [WeeklySummary] {
        guard minWeek <= maxWeek else { return [] }
        let ctx = context
        // Shipments and the complaint side (categories, alerts, agents) are independent: with
        // more than one thread they are made at the same time.
        let complaintSide = { @Sendable () -> ComplaintSide in
            let categories = self.complaints.categoryCounts(pool: ctx.pool)
            let alerts = Alerts.compute(
                complaints: self.complaints, orders: self.orders, categoryCounts: categories,
                firstWeek: self.minWeek, context: ctx)
            return ComplaintSide(
                categories: categories, alerts: alerts, agents: self.agents.finish(context: ctx),
                breakdowns: self.breakdowns.finish(context: ctx))
        }
        let ships: WeekSeries<LogisticsAccumulator.Week>
        let side: ComplaintSide
        if parallelism > 1 {
            (ships, side) = Workers.both({ self.logistics.shipments(context: ctx) }, complaintSide)
        } else {
            ships = logistics.shipments(context: ctx)
            side = complaintSide()
        }
        let shipments = ships
        let categories = side.categories
        let alerts = side.alerts
        let agentLists = side.agents
        let cuts = side.breakdowns
        let cutConfig = ctx.config.breakdowns
        let emptyCuts = cutConfig.by.filter(\.isTicketCut).map(TicketBreakdown.init(dimension:))
        let asOf = ctx.zone.iso8601(ctx.asOf)
        let first = minWeek
        let count = maxWeek - minWeek + 1
        let week = { @Sendable (w: Int) -> WeeklySummary in
            var s: WeeklySummary
            if ctx.period == .month {
                let m = CalendarMonth(index: w)
                s = WeeklySummary(
                    week: m.name, weekStart: m.startDate, weekEnd: m.endDate, timezone: ctx.config.timezone,
                    asOf: asOf)
                s.periodKind = .month
            } else {
                let iso = ISOWeek(index: w)
                s = WeeklySummary(
                    week: iso.name, weekStart: iso.startDate, weekEnd: iso.endDate,
                    timezone: ctx.config.timezone, asOf: asOf)
            }
            s.ordersPlaced = self.orders.placed[w]
            self.volume.finish(week: w, into: &s, pool: ctx.pool)
            self.sla.finish(week: w, into: &s, context: ctx, records: records)
            if records { s.openItems = self.sla.openItems(page: w, newest: self.maxWeek, context: ctx) }
            ComplaintAccumulator.finish(week: w, counts: categories, topN: ctx.config.topN, into: &s)
            self.satisfaction.finish(week: w, into: &s, pool: ctx.pool, records: records)
            self.logistics.finish(week: w, shipments: shipments, into: &s)
            s.alerts = alerts[w] ?? []
            s.agentTable = agentLists[w] ?? AgentTable()
            s.breakdowns.topN = cutConfig.topN
            s.breakdowns.tickets = cuts[w] ?? emptyCuts
            if cutConfig.byCarrier {
                s.breakdowns.carrier = self.logistics.carrierCut(week: w, shipments: shipments, context: ctx)
            }
            return s
        }
        if parallelism <= 1 || count < 2 { return (first..<(first + count)).map(week) }
        // Interleaved so each thread gets early and late (busier) weeks alike.
        return Workers.map(count: count, width: min(parallelism, count)) { i in week(first + i) }
    }
}

/// What makes the detail rows (breaches and low scores) of the summaries that
/// `finish(records: false)` made: kept apart from the accumulator so the rest of it (logistics
/// events, cohorts) is freed while periods are rendered a few at a time.
public struct PeriodRecords: Sendable {
    let sla: SLAAccumulator
    let satisfaction: SatisfactionAccumulator
    let context: MetricsContext
    /// The repeat contacts and the tickets they point into (the run keeps the tickets anyway),
    /// and those found by partials.
    let repeats: RepeatContacts
    let tickets: [TicketRow]
    let moreRepeats: [Int: [RepeatRecord]]
    /// The item lists of a merge from partials (nil: this accumulator's own).
    let lists: (any PeriodItemLists)?

    /// The last period the data holds: its page lists every clock open at as_of.
    let newest: Int

    init(
        _ acc: MetricsAccumulator, repeats: RepeatContacts = RepeatContacts(), tickets: [TicketRow] = [],
        moreRepeats: [Int: [RepeatRecord]] = [:], lists: (any PeriodItemLists)? = nil
    ) {
        sla = acc.sla
        satisfaction = acc.satisfaction
        context = acc.context
        newest = acc.maxWeek
        self.repeats = repeats
        self.tickets = tickets
        self.moreRepeats = moreRepeats
        self.lists = lists
    }

    /// Fills `breaches`, `lowScoreRecords` and `openItems` of a summary of this run.
    public func fill(_ s: inout WeeklySummary) {
        let w = s.periodIndex
        if let lists {
            // The partials' items and the merge's own (its surveys'), in each file's order.
            let pool = context.pool
            let policies = context.config.policies
            let index = Dictionary(policies.indices.map { (policies[$0].name, $0) }, uniquingKeysWith: { a, _ in a })
            let own = sla.breachRecords(week: w, context: context).map { ($0, index[$0.policy] ?? 0) }
            s.breaches = (lists.breaches(period: w) + own).sorted(by: ItemLists.precedes).map(\.record)
            s.lowScoreRecords = (lists.lowScores(period: w) + satisfaction.lowScoreRecords(week: w, pool: pool))
                .sorted(by: ItemLists.precedes)
            s.repeatRecords = ItemLists.sorted(
                lists.repeats(period: w) + repeats.records(period: w, tickets: tickets, pool: pool)
                    + (moreRepeats[w] ?? []))
            var d = OpenItemsDigest()
            if w >= newest {
                lists.forEachOpenItem(merging: sla.keyedOpenItems(context: context)) { d.add($0.item) }
            } else {
                let open = lists.openItems(period: w) + sla.keyedOpenItems(weeks: w..<(w + 1), context: context)
                for k in open.sorted(by: OpenItemKey.precedes) { d.add(k.item) }
            }
            s.openItems = d
            return
        }
        s.repeatRecords = repeats.records(period: w, tickets: tickets, pool: context.pool)
        if let more = moreRepeats[w] { s.repeatRecords = RepeatContacts.sorted(s.repeatRecords + more) }
        s.breaches = sla.breachRecords(week: w, context: context)
        s.lowScoreRecords = satisfaction.lowScoreRecords(week: w, pool: context.pool)
        s.openItems = sla.openItems(page: w, newest: newest, context: context)
    }

    /// Every clock still running at as_of, over all periods the data holds (open_items.csv).
    public func openItems() -> [OpenItem] {
        var out: [OpenItem] = []
        forEachOpenItem { out.append($0) }
        return out
    }

    /// The same, passed one at a time in open_items.csv's order (none held at once).
    public func forEachOpenItem(_ body: (OpenItem) -> Void) {
        guard let lists else { return sla.forEachOpenItem(context: context, body) }
        lists.forEachOpenItem(merging: sla.keyedOpenItems(context: context)) { body($0.item) }
    }
}

extension WeeklySummary {
    /// The accumulators' index of this summary's period (ISO week or calendar month).
    var periodIndex: Int { periodKind == .month ? CalendarMonth(name: week)!.index : ISOWeek(name: week)!.index }
}

/// What `finish` derives from the complaint records and the agent cohorts, for all weeks.
private struct ComplaintSide: Sendable {
    var categories: [Int: (total: Int, byCategory: [String: Int])] = [:]
    var alerts: [Int: [Alert]] = [:]
    var agents: [Int: AgentTable] = [:]
    var breakdowns: [Int: [TicketBreakdown]] = [:]
}
