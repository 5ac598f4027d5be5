import Dispatch

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

    public init(config: Config, zone: ZoneRules, asOf: Int64, pool: StringPool, extras: [Table: ExtraStore] = [:],
                skipped: [String: String] = [:], surveysGiven: Bool = false, period: PeriodKind = .week)
    {
        context = MetricsContext(config: config, zone: zone, asOf: asOf, pool: pool, extras: extras, skipped: skipped,
                                 surveysGiven: surveysGiven, period: period)
    }

    /// An empty accumulator for this run (one per shard).
    public func makeAccumulator() -> MetricsAccumulator { MetricsAccumulator(context: context) }

    public func compute(orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow],
                        surveys: [SurveyRow] = []) -> [WeeklySummary]
    {
        accumulate(orders: orders, tickets: tickets, logistics: logistics, surveys: surveys)
            .finish(parallelism: max(1, parallelism))
    }

    /// The summaries without their detail rows, and what makes those rows per period on demand
    /// (`PeriodRecords.fill`): a run renders and writes a few periods at a time.
    public func computeDeferred(orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow],
                                surveys: [SurveyRow] = []) -> (summaries: [WeeklySummary], records: PeriodRecords)
    {
        let acc = accumulate(orders: orders, tickets: tickets, logistics: logistics, surveys: surveys)
        return (acc.finish(parallelism: max(1, parallelism), records: false), PeriodRecords(acc))
    }

    /// All rows added (in shards on `parallelism` threads) and merged into one accumulator.
    public func accumulate(orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow],
                           surveys: [SurveyRow] = []) -> MetricsAccumulator
    {
        let n = max(1, parallelism)
        // Surveys are few and need their tickets: joined and added on the first shard.
        let joined = SurveyJoin(surveys: surveys, tickets: tickets)
        if n == 1 {
            var acc = makeAccumulator()
            for o in orders { acc.add(order: o) }
            for t in tickets { acc.add(ticket: t) }
            for l in logistics { acc.add(logistics: l) }
            joined.feed(&acc)
            return acc
        }
        // Contiguous slices per shard; logistics may be split anywhere (grouped in `finish`).
        @Sendable func slice(_ count: Int, _ i: Int) -> Range<Int> { (count * i / n)..<(count * (i + 1) / n) }
        var shards = [MetricsAccumulator](repeating: makeAccumulator(), count: n)
        shards.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let out = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: n) { i in
                var acc = makeAccumulator()
                let os = slice(orders.count, i)
                let ls = slice(logistics.count, i)
                acc.reserveCapacity(orders: os.count, logistics: ls.count)
                for o in orders[os] { acc.add(order: o) }
                for t in tickets[slice(tickets.count, i)] { acc.add(ticket: t) }
                for l in logistics[ls] { acc.add(logistics: l) }
                if i == 0 { joined.feed(&acc) }
                out[i] = acc
            }
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

    init(surveys: [SurveyRow], tickets: [TicketRow]) {
        self.surveys = surveys
        info = Array(repeating: nil, count: surveys.count)
        if surveys.isEmpty { return }
        var wanted: [StrID: Int] = [:]
        for s in surveys where s.ticketID != .none { wanted[s.ticketID] = -1 }
        for (i, t) in tickets.enumerated() where wanted[t.ticketID] != nil { wanted[t.ticketID] = i }
        for i in self.surveys.indices {
            guard let k = wanted[self.surveys[i].ticketID], k >= 0 else { continue }
            let t = tickets[k]
            if self.surveys[i].agent == .none { self.surveys[i].agent = t.agent }
            var ti = SurveyTicketInfo(category: t.category, resolvedAt: t[.resolvedAt])
            ti.channel = t.channel
            ti.type = t.type.rawValue
            ti.priority = t.priority.rawValue
            ti.merchant = t.merchant
            ti.order = t.orderID
            info[i] = ti
        }
    }

    func feed(_ acc: inout MetricsAccumulator) {
        for i in surveys.indices { acc.add(survey: surveys[i], ticket: info[i]) }
    }
}
