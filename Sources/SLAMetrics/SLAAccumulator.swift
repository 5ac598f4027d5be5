import SLAFast
import SLAModel

/// SLA counts per policy and week of the policy's start (SPEC 5), the breaches listed in
/// `sla_breaches.csv`, the pending clocks (with the open breaches, `open_items.csv`),
/// `invalid_durations`, and the first-response time buckets (by week of
/// ticket creation).
public struct SLAAccumulator: Sendable {
    struct PolicyWeek: Sendable {
        var met = 0
        var breached = 0
        var pending = 0
        /// Elapsed seconds of the tickets with a stop (met or breached), for p50/p90.
        var stopped = Chunked<Int64>()
    }

    struct RawBreach: Sendable {
        var policy: Int32
        var keys: BreachKeys
        var start: Int64
        var stop: Int64
        var elapsed: Int64
        /// The due column's value (due policy), `.missing` for a target policy (computed when
        /// the breach is listed).
        var due: Int64
    }

    struct Week: Sendable {
        var policies: [PolicyWeek]
        var invalidDurations = 0
        var missingDue = 0
        var breaches = Chunked<RawBreach>()
        /// Pending clocks (stop absent, not yet due), for `open_items.csv`: with the open
        /// breaches among `breaches` they are every clock still running at as_of.
        var pending = Chunked<RawBreach>()
    }

    var series: WeekSeries<Week>
    /// responseBuckets by week of creation: 6 elapsed-time buckets + "no response yet".
    var buckets = WeekSeries<[Int]>(empty: [0, 0, 0, 0, 0, 0, 0])
    let policyCount: Int

    public init(policyCount: Int) {
        self.policyCount = policyCount
        series = WeekSeries(empty: Week(policies: Array(repeating: PolicyWeek(), count: policyCount)))
    }

    /// Records one policy outcome of a row in the week of its start (`startWeek`).
    mutating func add<R: MeasuredRow>(policy p: Int, outcome: SLAOutcome, startWeek w: Int, row: R) {
        switch outcome {
        case .notApplicable:
            return
        case .missingDue:
            series[w].missingDue += 1
        case .invalid:
            series[w].invalidDurations += 1
        case .met(_, _, let e):
            series[w].policies[p].met += 1
            series[w].policies[p].stopped.append(e)
        case .breached(let start, let stop, let e, let due):
            series[w].policies[p].breached += 1
            if stop != .missing { series[w].policies[p].stopped.append(e) }
            series[w].breaches.append(
                RawBreach(policy: Int32(p), keys: row.breachKeys, start: start, stop: stop, elapsed: e, due: due))
        case .pending(let start, let due):
            series[w].policies[p].pending += 1
            series[w].pending.append(
                RawBreach(policy: Int32(p), keys: row.breachKeys, start: start, stop: .missing, elapsed: 0, due: due))
        }
    }

    /// Counts the bucket policy's outcome of a ticket in its creation week.
    mutating func addBucket(outcome: SLAOutcome, createdWeek w: Int) {
        let i: Int
        switch outcome {
        case .notApplicable, .invalid, .missingDue:
            return
        case .pending, .breached(_, .missing, _, _):
            i = 6
        case .met(_, _, let e), .breached(_, _, let e, _):
            i = Self.bucket(seconds: e)
        }
        buckets[w][i] += 1
    }

    /// Index of elapsed seconds in `WeeklySummary.responseBucketEdgesHours` (<1, 1–4, 4–8,
    /// 8–24, 24–48, ≥48 h). Lower edges are inclusive.
    static func bucket(seconds e: Int64) -> Int {
        var i = 0
        for edge in WeeklySummary.responseBucketEdgesHours {
            if Double(e) < edge * 3600 { return i }
            i += 1
        }
        return i
    }

    public mutating func merge(_ other: SLAAccumulator) {
        series.merge(other.series) { a, b in
            for p in 0..<a.policies.count {
                a.policies[p].met += b.policies[p].met
                a.policies[p].breached += b.policies[p].breached
                a.policies[p].pending += b.policies[p].pending
                a.policies[p].stopped.merge(b.policies[p].stopped)
            }
            a.invalidDurations += b.invalidDurations
            a.missingDue += b.missingDue
            a.breaches.merge(b.breaches)
            a.pending.merge(b.pending)
        }
        buckets.merge(other.buckets) { a, b in
            for i in 0..<a.count { a[i] += b[i] }
        }
    }

    /// Fills `sla`, `responseBuckets` and the data-quality counts of week `w`, and with
    /// `records` its `breaches` (else `breachRecords` makes them when they are rendered).
    func finish(week w: Int, into s: inout WeeklySummary, context ctx: MetricsContext, records: Bool = true) {
        let week = series[w]
        let policies = ctx.config.policies
        s.sla = policies.indices.map { p in
            let pol = policies[p]
            let pw = week.policies[p]
            var r = SLAResult(pol, goal: ctx.config.goal(of: pol))
            r.skipped = ctx.skippedColumn[pol.name]
            r.met = pw.met
            r.breached = pw.breached
            r.pending = pw.pending
            r.eligible = pw.met + pw.breached + pw.pending
            if pw.met + pw.breached > 0 { r.attainment = Double(pw.met) / Double(pw.met + pw.breached) }
            (r.p50Hours, r.p90Hours) = Percentile.hours(pw.stopped.buffers)
            return r
        }
        s.dataQuality.invalidDurations = week.invalidDurations
        s.dataQuality.missingDue = week.missingDue
        if ctx.bucketPolicy != nil { s.responseBuckets = buckets[w] }
        if records { s.breaches = breachRecords(week: w, context: ctx) }
    }

    /// The rows of week `w`'s `sla_breaches.csv`, in their order.
    func breachRecords(week w: Int, context ctx: MetricsContext) -> [BreachRecord] {
        let week = series[w]
        let policies = ctx.config.policies
        // Sort by policy (config order), start, row id (bytes), then the rest for a total order.
        // Ids are compared as bytes only on ties, so sorting needs no strings.
        let pool = ctx.pool
        let sorted = week.breaches.joined.sorted { x, y in
            if x.policy != y.policy { return x.policy < y.policy }
            if x.start != y.start { return x.start < y.start }
            if x.keys.id != y.keys.id { return pool.precedes(x.keys.id, y.keys.id) }
            if x.keys.ticket != y.keys.ticket { return pool.precedes(x.keys.ticket, y.keys.ticket) }
            if x.keys.order != y.keys.order { return pool.precedes(x.keys.order, y.keys.order) }
            if x.stop != y.stop { return x.stop < y.stop }
            return x.elapsed < y.elapsed
        }
        let names = policies.map(\.name)
        return sorted.map { b in
            let p = Int(b.policy)
            var r = BreachRecord(
                ticketID: pool.string(b.keys.ticket), orderID: pool.string(b.keys.order), policy: names[p],
                start: b.start, stop: b.stop, elapsedHours: Double(b.elapsed) / 3600,
                targetHours: policies[p].targetHours,
                state: b.stop == .missing ? SLAAccumulator.openBreachState : SLAAccumulator.breachedState)
            r.table = policies[p].table
            r.id = pool.string(b.keys.id)
            r.due = b.due != .missing ? b.due : ctx.deadline(policy: p, start: b.start)
            r.agent = pool.string(b.keys.agent)
            r.type = b.keys.type == 0 ? "" : TicketType(rawValue: b.keys.type)!.name
            r.priority = b.keys.priority == 0 ? "" : Priority(rawValue: b.keys.priority)!.name
            return r
        }
    }

    /// The clocks whose start falls in `weeks` (nil: every week) still running at as_of
    /// (`open_items.csv`, or a period's "act now" list): pending ones and breaches without a
    /// stop, sorted by due, then policy name, then id (bytes), then start and order for a total
    /// order.
    func openItems(weeks: Range<Int>? = nil, context ctx: MetricsContext) -> [OpenItem] {
        var out: [OpenItem] = []
        forEachOpenItem(weeks: weeks, context: ctx) { out.append($0) }
        return out
    }

    /// Calls `body` with every open item of `weeks` (all without), in open_items.csv's order; each
    /// item is made when it is passed (a million open clocks are never held as items at once).
    func forEachOpenItem(weeks: Range<Int>? = nil, context ctx: MetricsContext, _ body: (OpenItem) throws -> Void)
        rethrows
    {
        var raw = openClocks(weeks: weeks, context: ctx)
        let precedes = openOrder(ctx)
        raw.sort(by: precedes)
        for c in raw { try body(openItem(c, ctx)) }
    }

    /// The open clocks of `weeks` (all without) in open_items.csv's order, as items with what
    /// orders them beyond the item: the policy's index and the row's ticket id (a partial's
    /// lists, merged by `OpenItemKey`).
    func keyedOpenItems(weeks: Range<Int>? = nil, context ctx: MetricsContext) -> [OpenItemKey] {
        var raw = openClocks(weeks: weeks, context: ctx)
        raw.sort(by: openOrder(ctx))
        return raw.map {
            OpenItemKey(
                item: openItem($0, ctx), policy: Int($0.row.policy), ticket: ctx.pool.string($0.row.keys.ticket))
        }
    }

    /// An open clock: its row, its due instant, and whether it is past due at as_of.
    typealias OpenClock = (row: RawBreach, due: Int64, overdue: Bool)

    /// The clocks of `weeks` (all without) still running at as_of, unsorted.
    private func openClocks(weeks: Range<Int>?, context ctx: MetricsContext) -> [OpenClock] {
        // The due column's value, else the instant the target runs out (as in sla_breaches.csv).
        func due(_ b: RawBreach) -> Int64 {
            b.due != .missing ? b.due : ctx.deadline(policy: Int(b.policy), start: b.start)
        }
        var raw: [OpenClock] = []
        for w in (weeks ?? series.weeks).clamped(to: series.weeks) {
            let week = series[w]
            for b in week.pending.joined { raw.append((b, due(b), false)) }
            for b in week.breaches.joined where b.stop == .missing { raw.append((b, due(b), true)) }
        }
        return raw
    }

    /// open_items.csv's order: by due, then policy name, then id (bytes), then start and order
    /// for a total order.
    private func openOrder(_ ctx: MetricsContext) -> (OpenClock, OpenClock) -> Bool {
        let names = ctx.config.policies.map(\.name)
        let pool = ctx.pool
        return { x, y in
            if x.due != y.due { return x.due < y.due }
            let (a, b) = (x.row, y.row)
            if a.policy != b.policy {
                let (n, m) = (names[Int(a.policy)], names[Int(b.policy)])
                if n != m { return n.utf8.lexicographicallyPrecedes(m.utf8) }
                return a.policy < b.policy
            }
            if a.keys.id != b.keys.id { return pool.precedes(a.keys.id, b.keys.id) }
            if a.start != b.start { return a.start < b.start }
            if a.keys.order != b.keys.order { return pool.precedes(a.keys.order, b.keys.order) }
            return pool.precedes(a.keys.ticket, b.keys.ticket)
        }
    }

    private func openItem(_ c: OpenClock, _ ctx: MetricsContext) -> OpenItem {
        let pool = ctx.pool
        let p = ctx.config.policies[Int(c.row.policy)]
        let b = c.row
        var r = OpenItem(
            state: c.overdue ? SLAAccumulator.openBreachState : OpenItem.pendingState, table: p.table,
            id: pool.string(b.keys.id), orderID: pool.string(b.keys.order), policy: p.name, start: b.start,
            due: c.due, secondsLeft: c.due &- ctx.asOf)
        r.agent = pool.string(b.keys.agent)
        r.type = b.keys.type == 0 ? "" : TicketType(rawValue: b.keys.type)!.name
        r.priority = b.keys.priority == 0 ? "" : Priority(rawValue: b.keys.priority)!.name
        r.status = pool.string(b.keys.status)
        return r
    }

    /// The open clocks period `w`'s page counts and lists: on the newest period (`newest`) every
    /// one open at as_of (the department's to-do list now), on an earlier one those whose clock
    /// started in it. Only the few most overdue are sorted and made into items.
    func openItems(page w: Int, newest: Int, context ctx: MetricsContext) -> OpenItemsDigest {
        let raw = openClocks(weeks: w >= newest ? nil : w..<(w + 1), context: ctx)
        let precedes = openOrder(ctx)
        var first: [OpenClock] = []  // the most overdue, in order, at most `listed`
        for c in raw where c.overdue {
            if first.count == OpenItemsDigest.listed, !precedes(c, first[first.count - 1]) { continue }
            let at = first.firstIndex { precedes(c, $0) } ?? first.count
            first.insert(c, at: at)
            if first.count > OpenItemsDigest.listed { first.removeLast() }
        }
        var d = OpenItemsDigest()
        for c in raw {
            d.count(start: c.row.start, due: c.due, secondsLeft: c.due &- ctx.asOf, overdue: c.overdue)
        }
        d.list(first.map { openItem($0, ctx) })
        return d
    }

    /// The `state` of a breach with a stop, and of an open one (no stop, past its target at
    /// as_of), as `BreachRecord` documents them and the renderers localise them.
    public static let breachedState = "breached"
    public static let openBreachState = "breached_open"
}

/// An open item with what orders it in open_items.csv beyond its own fields: its policy's index
/// (for two policies of one name) and its row's ticket id. `precedes` is `SLAAccumulator`'s
/// open order on strings (an empty id is an absent one and comes first, as in the pool order).
public struct OpenItemKey: Sendable {
    public var item: OpenItem
    public var policy: Int
    public var ticket: String

    public init(item: OpenItem, policy: Int, ticket: String) {
        self.item = item
        self.policy = policy
        self.ticket = ticket
    }

    package static func precedes(_ x: OpenItemKey, _ y: OpenItemKey) -> Bool {
        if x.item.due != y.item.due { return x.item.due < y.item.due }
        if x.policy != y.policy {
            let (n, m) = (x.item.policy, y.item.policy)
            if n != m { return n.utf8.lexicographicallyPrecedes(m.utf8) }
            return x.policy < y.policy
        }
        if x.item.id != y.item.id { return x.item.id.utf8.lexicographicallyPrecedes(y.item.id.utf8) }
        if x.item.start != y.item.start { return x.item.start < y.item.start }
        if x.item.orderID != y.item.orderID {
            return x.item.orderID.utf8.lexicographicallyPrecedes(y.item.orderID.utf8)
        }
        return x.ticket.utf8.lexicographicallyPrecedes(y.ticket.utf8)
    }
}
