import SLAFast
import SLAModel

/// The order figures of a share of the orders, for one period kind: what the partial stage of
/// a distributed run makes from its bucket of orders (every copy of an order id is in the same
/// bucket, so the share is deduplicated as a whole) and `merge` adds in place of the orders.
///
/// It is the part of `MetricsAccumulator` that orders feed (`add(order:)`): the order policies'
/// SLA figures (counts, the elapsed times of stopped clocks for exact percentiles, the breaches
/// and the clocks still pending at as_of, with their ids) and the orders placed per period, per
/// merchant and per product (the alerts' denominators). Not the orders' product and merchant
/// refs for the complaint join: a run fills every ticket's empty product and merchant from its
/// order before the metrics (`TicketOrderJoin`), so that join finds nothing more; the merge
/// fills tickets from the orders' values the partials list (`OrderValue`).
///
/// Text form (`encode`/`decode`, `PartialText`), after `period week|month MIN MAX` (MIN > MAX:
/// none), per period P:
///
///     q P INVALID MISSING_DUE                       data quality counts
///     p P POLICY MET BREACHED PENDING               per policy with any
///     s P POLICY SECONDS...                         its stopped clocks' elapsed seconds
///     b|o P POLICY START STOP ELAPSED DUE TYPE PRIORITY TICKET ORDER ID AGENT STATUS
///                                                   a breach (b) or a pending clock (o)
///     k P COUNT×7                                   response-time buckets
///     n P PLACED                                    orders placed
///     m|r P COUNT NAME                              orders of a merchant (m) or product (r)
///
/// Strings (TICKET … STATUS, NAME) are `PartialText` names.
public struct OrderPartial: Sendable {
    public let period: PeriodKind
    public private(set) var minWeek = Int.max
    public private(set) var maxWeek = Int.min
    var sla: SLAAccumulator
    var orders = OrderAccumulator()

    init(period: PeriodKind, policyCount: Int) {
        self.period = period
        sla = SLAAccumulator(policyCount: policyCount)
    }

    /// The figures of `orders` (deduplicated; every copy of each id among them), measured in
    /// `context` (its period kind, as_of, policies; ids in its pool).
    public init(orders rows: [OrderRow], context: MetricsContext) {
        var acc = MetricsAccumulator(context: context)
        for o in rows { acc.add(order: o) }
        period = context.period
        minWeek = acc.minWeek
        maxWeek = acc.maxWeek
        sla = acc.sla
        orders = acc.orders
        orders.refs = Chunked()
    }

    /// Adds another share's figures (same period kind and policies, ids in the same pool).
    public mutating func merge(_ other: OrderPartial) {
        precondition(other.period == period, "OrderPartial.merge: period kinds differ")
        minWeek = min(minWeek, other.minWeek)
        maxWeek = max(maxWeek, other.maxWeek)
        sla.merge(other.sla)
        orders.merge(other.orders)
    }

    /// Appends the text form; ids are read from `pool`.
    package func encode(pool: StringPool, into w: inout PartialText.Writer) {
        w.line("period \(period.rawValue) \(minWeek) \(maxWeek)")
        sla.encode(pool: pool, into: &w)
        for week in orders.placed.weeks where orders.placed[week] != 0 {
            w.tag("n")
            w.ints([Int64(week), Int64(orders.placed[week])])
            w.endLine()
        }
        for (tag, counts): (StaticString, KeyCounts) in [("m", orders.merchantOrders), ("r", orders.productOrders)] {
            counts.forEach { key, n in
                w.tag(tag)
                w.ints([key >> 32, Int64(n)])
                w.name(StrID(truncatingIfNeeded: key), pool)
                w.endLine()
            }
        }
    }

    /// Reads `encode`'s text (one period kind) from the reader's next line up to the end or a
    /// `section` line, interning its strings into `pool`; `policyCount` policies.
    package static func decode(_ r: inout PartialText.Reader, policyCount: Int, pool: StringPool)
        throws(PartialFormatError) -> OrderPartial
    {
        guard r.nextLine(before: "section"), r.tag("period"), let kind = PeriodKind(rawValue: try r.word()) else {
            throw r.error("expected 'period week|month MIN MAX'")
        }
        var p = OrderPartial(period: kind, policyCount: policyCount)
        p.minWeek = try r.int()
        p.maxWeek = try r.int()
        while r.nextLine(before: "section") {
            if try p.sla.decodeLine(&r, pool: pool) {
            } else if r.tag("n") {
                let w: Int = try r.int()
                p.orders.placed[w] += try r.int()
            } else if r.tag("m") {
                let w: Int = try r.int()
                let n: Int = try r.int()
                p.orders.merchantOrders.add(AgentAccumulator.key(week: w, agent: try r.name(pool)), n)
            } else if r.tag("r") {
                let w: Int = try r.int()
                let n: Int = try r.int()
                p.orders.productOrders.add(AgentAccumulator.key(week: w, agent: try r.name(pool)), n)
            } else {
                throw r.error("unknown tag \(try r.word())")
            }
            guard r.atLineEnd else { throw r.error("too many fields") }
        }
        return p
    }
}

extension SLAAccumulator {
    /// Appends the SLA figures as `q`, `p`, `s`, `b`, `o` and `k` lines (see `OrderPartial`).
    func encode(pool: StringPool, into w: inout PartialText.Writer) {
        for week in series.weeks {
            let wk = series[week]
            if wk.invalidDurations != 0 || wk.missingDue != 0 {
                w.tag("q")
                w.ints([Int64(week), Int64(wk.invalidDurations), Int64(wk.missingDue)])
                w.endLine()
            }
            for (p, pw) in wk.policies.enumerated() where pw.met + pw.breached + pw.pending > 0 || !pw.stopped.isEmpty {
                w.tag("p")
                w.ints([Int64(week), Int64(p), Int64(pw.met), Int64(pw.breached), Int64(pw.pending)])
                w.endLine()
                w.tag("s")
                w.ints([Int64(week), Int64(p)])
                pw.stopped.forEach { w.int($0) }
                w.endLine()
            }
            for (tag, list): (StaticString, Chunked<RawBreach>) in [("b", wk.breaches), ("o", wk.pending)] {
                list.forEach { b in
                    let k = b.keys
                    w.tag(tag)
                    w.ints([
                        Int64(week), Int64(b.policy), b.start, b.stop, b.elapsed, b.due, Int64(k.type),
                        Int64(k.priority),
                    ])
                    for id in [k.ticket, k.order, k.id, k.agent, k.status] { w.name(id, pool) }
                    w.endLine()
                }
            }
        }
        for week in buckets.weeks where buckets[week].contains(where: { $0 != 0 }) {
            w.tag("k")
            w.int(week)
            w.ints(buckets[week].map(Int64.init))
            w.endLine()
        }
    }

    /// Reads one `encode` line into these figures when its tag is one of them; false (the line
    /// untouched) otherwise.
    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        let count = policyCount
        func policy(_ r: inout PartialText.Reader) throws(PartialFormatError) -> Int {
            let v: Int64 = try r.int()
            guard v >= 0 && v < Int64(count) else { throw r.error("no policy \(v)") }
            return Int(v)
        }
        if r.tag("q") {
            let w: Int = try r.int()
            series[w].invalidDurations += try r.int()
            series[w].missingDue += try r.int()
        } else if r.tag("p") {
            let w: Int = try r.int()
            let k = try policy(&r)
            series[w].policies[k].met += try r.int()
            series[w].policies[k].breached += try r.int()
            series[w].policies[k].pending += try r.int()
        } else if r.tag("s") {
            let w: Int = try r.int()
            let k = try policy(&r)
            for e in try r.rest() { series[w].policies[k].stopped.append(e) }
        } else if r.tag("b") {
            let (w, b) = try clock(&r, pool: pool, policy: policy)
            series[w].breaches.append(b)
        } else if r.tag("o") {
            let (w, b) = try clock(&r, pool: pool, policy: policy)
            series[w].pending.append(b)
        } else if r.tag("k") {
            let w: Int = try r.int()
            let v = try r.rest()
            guard v.count == buckets[w].count else { throw r.error("k: expected \(buckets[w].count) counts") }
            for i in v.indices { buckets[w][i] += Int(v[i]) }
        } else {
            return false
        }
        return true
    }

    /// The fields of a `b` or `o` line after its tag: its period and clock.
    private func clock(
        _ r: inout PartialText.Reader, pool: StringPool,
        policy: (inout PartialText.Reader) throws(PartialFormatError) -> Int
    ) throws(PartialFormatError) -> (Int, RawBreach) {
        let w: Int = try r.int()
        let p = try policy(&r)
        let (start, stop, elapsed, due): (Int64, Int64, Int64, Int64) = (
            try r.int(), try r.int(), try r.int(), try r.int()
        )
        guard let type = UInt8(exactly: try r.int() as Int64), let priority = UInt8(exactly: try r.int() as Int64)
        else {
            throw r.error("bad type or priority")
        }
        let keys = BreachKeys(
            ticket: try r.name(pool), order: try r.name(pool), id: try r.name(pool), agent: try r.name(pool),
            status: try r.name(pool), type: type, priority: priority)
        return (w, RawBreach(policy: Int32(p), keys: keys, start: start, stop: stop, elapsed: elapsed, due: due))
    }
}
