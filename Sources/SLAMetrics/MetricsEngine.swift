import SLAFast
import SLAModel

/// Computes the weekly summaries of SPEC 5 from deduplicated rows in one call.
///
/// Shape: `MetricsContext` (config in row-loop form, zone, calendar, as_of, pool; shared,
/// immutable) → one `MetricsAccumulator` per shard (`add(order:)`, `add(ticket:)`,
/// `add(logistics:)`, `merge(_:)`) → `finish()` → `[WeeklySummary]`, one per ISO week from the
/// first to the last week holding a used timestamp, empty weeks included. Nothing is rounded.
///
/// Choices where SPEC 5 is silent:
/// - Breach records have state "breached" (stop present) or "breached_open" (no stop; elapsed
///   runs to as_of), as `BreachRecord` documents and the report renderers localise.
/// - `responseBuckets` skip tickets whose bucket policy is not applicable or invalid; an open
///   clock (pending or breached) counts as "no response yet".
/// - A category absent in the previous week (count 0) spikes once it reaches the minimum;
///   `(none)` is a category like any other. A merchant without orders in the week gets no rate
///   alert (the rate is undefined), whatever `merchant_min_orders` says.
/// - A date listed both as holiday and as extra workday is a holiday.
/// - Business time is local wall-clock time: a DST switch inside business hours neither adds
///   nor removes business time.
/// - Logistics events at the same instant as the first delivery: the delivery closes the gaps.
/// `compute` splits the rows into shards, accumulates them on up to `parallelism` threads and
/// merges the shards; the result is the same as one pass (see `MetricsAccumulator`).
public struct MetricsEngine: Sendable {
    public let context: MetricsContext
    /// Number of shards run concurrently (1 = a single pass on the calling thread).
    public var parallelism: Int = 1

    /// `eventPool`: the pool of the logistics rows' ids when it is not `pool`.
    public init(
        config: Config, zone: ZoneRules, asOf: Int64, pool: StringPool, extras: [Table: ExtraStore] = [:],
        skipped: [String: String] = [:], surveysGiven: Bool = false, period: PeriodKind = .week,
        eventPool: StringPool? = nil
    ) {
        context = MetricsContext(
            config: config, zone: zone, asOf: asOf, pool: pool, extras: extras, skipped: skipped,
            surveysGiven: surveysGiven, period: period, eventPool: eventPool)
    }

    /// An empty accumulator for this run (one per shard).
    public func makeAccumulator() -> MetricsAccumulator { MetricsAccumulator(context: context) }

    /// The period summaries. `logistics` must be deduplicated and ordered as
    /// `LoadedInputs.logistics` is (each tracking number's events together, in time order).
    public func compute(
        orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow],
        surveys: [SurveyRow] = []
    ) -> [WeeklySummary] {
        let (summaries, records) = computeDeferred(
            orders: orders, tickets: tickets, logistics: logistics, surveys: surveys)
        return summaries.map { s in
            var s = s
            records.fill(&s)
            return s
        }
    }

    /// The summaries without their detail rows, and what makes those rows per period on demand
    /// (`PeriodRecords.fill`): a run renders and writes a few periods at a time.
    ///
    /// From partials (a distributed run's merge): `shipments` and `figures` are the figures of
    /// tracking numbers and of order groups measured elsewhere, added to those of the rows given;
    /// `surveyTickets` gives the surveys' tickets that are not among `tickets`.
    public func computeDeferred(
        orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow],
        surveys: [SurveyRow] = [], shipments: LogisticsPartial? = nil, figures: MetricsPartial? = nil,
        surveyTickets: [StrID: SurveyTicket] = [:], lists: (any PeriodItemLists)? = nil
    ) -> (summaries: [WeeklySummary], records: PeriodRecords) {
        var accumulated = accumulate(
            orders: orders, tickets: tickets, logistics: logistics, surveys: surveys, surveyTickets: surveyTickets)
        if let shipments { accumulated.absorb(shipments) }
        if let figures { accumulated.absorb(figures) }
        let acc = accumulated
        // The ticket patterns (arrivals, repeats) need the periods' range and the tickets
        // together; they are made beside `finish` when there is a second thread.
        var summaries: [WeeklySummary] = []
        var patterns = TicketPatterns()
        let ctx = context
        let threads = max(1, parallelism)
        if threads > 1 {
            (summaries, patterns) = Workers.both(
                { acc.finish(parallelism: threads - 1, records: false) },
                { TicketPatterns(tickets: tickets, context: ctx, first: acc.minWeek, last: acc.maxWeek) })
        } else {
            summaries = acc.finish(parallelism: 1, records: false)
            patterns = TicketPatterns(tickets: tickets, context: ctx, first: acc.minWeek, last: acc.maxWeek)
        }
        if let figures { patterns.absorb(figures) }
        for i in summaries.indices { patterns.finish(&summaries[i], context: ctx) }
        return (
            summaries,
            PeriodRecords(
                acc, repeats: patterns.repeats, tickets: tickets, moreRepeats: patterns.moreRepeats, lists: lists)
        )
    }

    /// For the breakdown by merchant, each ticket's merchant when it has none: its order's (one
    /// entry per ticket); nil when no ticket needs one or the cut is not asked for.
    public func orderMerchants(tickets: [TicketRow], orders: [OrderRow]) -> [StrID]? {
        guard context.config.breakdowns.by.contains(.merchant) else { return nil }
        return OrderMerchants.of(tickets: tickets, orders: orders, poolCount: context.pool.count)
    }

    /// All rows added (in shards on `parallelism` threads) and merged into one accumulator.
    /// `surveyTickets`: tickets of the surveys that are not among `tickets` (measured by partials).
    public func accumulate(
        orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow],
        surveys: [SurveyRow] = [], surveyTickets: [StrID: SurveyTicket] = [:]
    ) -> MetricsAccumulator {
        let n = max(1, parallelism)
        let merchants = orderMerchants(tickets: tickets, orders: orders)
        // Surveys are few and need their tickets: joined and added on the first shard.
        let joined = SurveyJoin(surveys: surveys, tickets: tickets, merchants: merchants, more: surveyTickets)
        if n == 1 {
            var acc = makeAccumulator()
            for o in orders { acc.add(order: o) }
            if let merchants {
                for (i, t) in tickets.enumerated() { acc.add(ticket: t, merchant: merchants[i]) }
            } else {
                for t in tickets { acc.add(ticket: t) }
            }
            for l in logistics { acc.add(logistics: l) }
            joined.feed(&acc)
            return acc
        }
        // Contiguous slices per shard, merged in order: logistics keep their grouped order
        // (`LogisticsAccumulator.shipments` relies on it) and may be cut inside a shipment.
        @Sendable func slice(_ count: Int, _ i: Int) -> Range<Int> { (count * i / n)..<(count * (i + 1) / n) }
        var shards = Workers.map(count: n) { i in
            var acc = makeAccumulator()
            let os = slice(orders.count, i)
            let ls = slice(logistics.count, i)
            acc.reserveCapacity(orders: os.count, logistics: ls.count)
            for o in orders[os] { acc.add(order: o) }
            let ts = slice(tickets.count, i)
            if let merchants {
                for k in ts { acc.add(ticket: tickets[k], merchant: merchants[k]) }
            } else {
                for t in tickets[ts] { acc.add(ticket: t) }
            }
            for l in logistics[ls] { acc.add(logistics: l) }
            if i == 0 { joined.feed(&acc) }
            return acc
        }
        // Taken out of the array, the first shard's buffers are uniquely referenced: merging
        // into them appends in place instead of copying them first.
        var merged = shards.removeFirst()
        for s in shards { merged.merge(s) }
        return merged
    }
}

/// Surveys with their ticket's agent filled in where they have none, and the ticket's category
/// and resolution time for the callback list (joined on ticket_id after dedup).
struct SurveyJoin: Sendable {
    var surveys: [SurveyRow]
    var info: [SurveyTicketInfo?]

    /// `more`: tickets not among `tickets` (from partials), by ticket id.
    init(surveys: [SurveyRow], tickets: [TicketRow], merchants: [StrID]? = nil, more: [StrID: SurveyTicket] = [:]) {
        self.surveys = surveys
        info = Array(repeating: nil, count: surveys.count)
        if surveys.isEmpty { return }
        var wanted: [StrID: Int] = [:]
        for s in surveys where s.ticketID != .none { wanted[s.ticketID] = -1 }
        for (i, t) in tickets.enumerated() where wanted[t.ticketID] != nil { wanted[t.ticketID] = i }
        for i in self.surveys.indices {
            let ticket: SurveyTicket
            if let k = wanted[self.surveys[i].ticketID], k >= 0 {
                ticket = SurveyTicket(tickets[k], merchant: merchants?[k])
            } else if let t = more[self.surveys[i].ticketID] {
                ticket = t
            } else {
                continue
            }
            if self.surveys[i].agent == .none { self.surveys[i].agent = ticket.agent }
            info[i] = ticket.info
        }
    }

    func feed(_ acc: inout MetricsAccumulator) {
        for i in surveys.indices { acc.add(survey: surveys[i], ticket: info[i]) }
    }
}

/// What a survey takes from its ticket: the agent (when it names none) and the ticket's values
/// (`SurveyTicketInfo`).
public struct SurveyTicket: Sendable {
    public var agent: StrID
    public var info: SurveyTicketInfo

    public init(agent: StrID, info: SurveyTicketInfo) {
        self.agent = agent
        self.info = info
    }

    /// `merchant`: the ticket's order's, for a ticket without one (nil: none).
    public init(_ t: TicketRow, merchant: StrID? = nil) {
        agent = t.agent
        info = SurveyTicketInfo(category: t.category, resolvedAt: t[.resolvedAt])
        info.channel = t.channel
        info.type = t.type.rawValue
        info.priority = t.priority.rawValue
        info.merchant = t.merchant != .none ? t.merchant : merchant ?? .none
    }
}

/// The metrics made from the whole deduplicated tickets table after the row pass: arrivals by
/// weekday and hour, and repeat contacts (they need every ticket of an order together).
struct TicketPatterns: Sendable {
    var arrivals = ArrivalPattern(counts: [], first: 0)
    var repeats = RepeatContacts()
    /// Repeat contacts found by partials, as rows by period, or counted (their rows listed
    /// elsewhere, `PeriodItemLists`).
    var moreRepeats: [Int: [RepeatRecord]] = [:]
    var repeatsElsewhere: [Int: Int] = [:]

    init() {}

    init(tickets: [TicketRow], context: MetricsContext, first: Int, last: Int) {
        arrivals = ArrivalPattern(tickets: tickets, context: context, first: first, last: last)
        repeats = RepeatContacts(tickets: tickets, context: context)
    }

    /// Adds a partial's arrivals and repeat contacts (its periods lie in this range: they
    /// widened the accumulator's).
    mutating func absorb(_ p: MetricsPartial) {
        for (w, c) in p.arrivals { arrivals.add(period: w, c) }
        for (w, r) in p.repeats { moreRepeats[w, default: []] += r }
        for (w, n) in p.repeatsElsewhere { repeatsElsewhere[w, default: 0] += n }
    }

    /// Fills a summary's `arrivals` and `repeatContacts` (its `ticketsCreated` already set).
    func finish(_ s: inout WeeklySummary, context: MetricsContext) {
        let w = s.periodIndex
        s.arrivals = arrivals.counts(period: w)
        var r = RepeatSummary()
        r.windowHours = Double(context.config.repeatWindowSeconds) / 3600
        r.count = repeats.range(period: w).count + (moreRepeats[w]?.count ?? 0) + (repeatsElsewhere[w] ?? 0)
        if s.ticketsCreated > 0 { r.share = Double(r.count) / Double(s.ticketsCreated) }
        s.repeatContacts = r
    }
}

/// The merchant and product of the orders that some tickets name, by order id: the one lookup
/// behind the ticket ← order join (`TicketOrderJoin`) and the breakdowns' merchants
/// (`OrderMerchants`). A bit per order id asked for keeps the pass over a million orders free of
/// hash lookups for the orders no ticket needs. Were an order listed twice (orders are
/// deduplicated before), the later non-empty value wins, as in the alerts.
struct OrderValues {
    private var keys = DenseKeys()
    private var found: [(merchant: StrID, product: StrID)] = []

    /// nil when no ticket for which `asks` holds names an order.
    init?(tickets: [TicketRow], orders: [OrderRow], poolCount: Int, asks: (TicketRow) -> Bool) {
        var asked = [UInt64](repeating: 0, count: poolCount / 64 + 1)
        var any = false
        for t in tickets where t.orderID >= 0 && Int(t.orderID) < poolCount && asks(t) {
            asked[Int(t.orderID) >> 6] |= 1 << UInt64(t.orderID & 63)
            any = true
        }
        if !any { return nil }
        for o in orders
        where o.orderID >= 0 && Int(o.orderID) < poolCount
            && asked[Int(o.orderID) >> 6] & (1 << UInt64(o.orderID & 63)) != 0
        {
            let (k, inserted) = keys.insert(Int64(o.orderID))
            if inserted { found.append((.none, .none)) }
            if o.merchant != .none { found[k].merchant = o.merchant }
            if o.product != .none { found[k].product = o.product }
        }
    }

    /// The values of `t`'s order (`.none` where it has none); nil when the order is unknown.
    func of(_ t: TicketRow) -> (merchant: StrID, product: StrID)? {
        guard t.orderID >= 0 else { return nil }
        return keys.find(Int64(t.orderID)).map { found[$0] }
    }
}

/// The join of tickets to their orders: a ticket with no merchant or product of its own takes
/// its order's, once, right after the inputs are read, so policy filters (`when = { merchant_id
/// = [...] }`), alerts and breakdowns all see the same values.
package enum TicketOrderJoin {
    /// Fills the empty `merchant` and `product` of `tickets` from their orders. Returns how many
    /// tickets gained a value.
    @discardableResult
    package static func fill(_ tickets: inout [TicketRow], orders: [OrderRow], poolCount: Int) -> Int {
        guard
            let values = OrderValues(
                tickets: tickets, orders: orders, poolCount: poolCount,
                asks: { $0.merchant == .none || $0.product == .none })
        else { return 0 }
        var filled = 0
        for i in tickets.indices where tickets[i].merchant == .none || tickets[i].product == .none {
            guard let v = values.of(tickets[i]) else { continue }
            let before = (tickets[i].merchant, tickets[i].product)
            if tickets[i].merchant == .none { tickets[i].merchant = v.merchant }
            if tickets[i].product == .none { tickets[i].product = v.product }
            if (tickets[i].merchant, tickets[i].product) != before { filled += 1 }
        }
        return filled
    }
}

/// The merchant of each ticket's order, for the tickets without a merchant of their own (the
/// breakdown by merchant takes it from the order, as the alerts do). Joined once before the
/// shards run, so every shard sees the same merchant whatever the split. (The CLI has joined
/// them already, `TicketOrderJoin`; this serves callers that pass rows as read.)
enum OrderMerchants {
    /// One entry per ticket (its own merchant, else its order's, else `.none`); nil when no
    /// ticket lacks a merchant while naming an order.
    static func of(tickets: [TicketRow], orders: [OrderRow], poolCount: Int) -> [StrID]? {
        guard
            let values = OrderValues(
                tickets: tickets, orders: orders, poolCount: poolCount,
                asks: { $0.merchant == .none })
        else { return nil }
        return tickets.map { t in
            if t.merchant != .none { return t.merchant }
            return values.of(t)?.merchant ?? .none
        }
    }
}
