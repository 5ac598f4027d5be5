import SLAFast
import SLAModel

/// The figures of a share of the orders and tickets, for one period kind: what the partial
/// stage of a distributed run makes from its bucket of order groups (an order, every ticket
/// whose order it is after deduplication, and their rows only) and `merge` adds in place of
/// those rows.
///
/// It is `MetricsAccumulator` without its logistics (`LogisticsPartial` carries those): the
/// SLA figures of the order and ticket policies (counts, the elapsed times of stopped clocks for
/// exact percentiles, the breaches and the clocks pending at as_of, with their ids), the agent
/// cohorts (with each resolved ticket's handling time, for exact medians), the complaints, the
/// ticket breakdowns, volumes, satisfaction (with the low scores), orders per period, merchant
/// and product; and what the run makes from the tickets afterwards: arrivals by weekday and
/// hour, and the repeat contacts (found within an order group, so whole in one bucket) as rows.
///
/// Left out because nothing reads them after the run's ticket ← order join (`TicketOrderJoin`,
/// done in the bucket): the orders' product and merchant refs and the complaints' order ids.
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
///     a P AGENT COUNTS…                             an agent cohort's counters
///     h P AGENT SECONDS…                            its resolved tickets' handling times
///     cp P COUNT CATEGORY PRODUCT MERCHANT          complaints with those values
///     bt|be P CUT VALUE COUNTS…                     a breakdown row (text value: bt; enum: be)
///     vw P CREATED RESOLVED; vt|vr P COUNTS…        volumes, by type (vt), responsibility (vr)
///     vc P COUNT CHANNEL                            tickets created by channel
///     sw P RESPONSES SCORE_SUM D1…D5 RESOLVED RESOLVED_WITH_SCORE INVALID
///     sl P SCORE RESOLVED SURVEYED TICKET ORDER AGENT CATEGORY SURVEY COMMENT   a low score
///     ar P COUNT×168                                arrivals (Monday 00–01 first)
///     rp P CREATED PREVIOUS_RESOLVED TICKET ORDER PREVIOUS AGENT CATEGORY       a repeat contact
///
/// Strings are `PartialText` names.
public struct MetricsPartial: Sendable {
    public let period: PeriodKind
    public private(set) var minWeek = Int.max
    public private(set) var maxWeek = Int.min
    var sla: SLAAccumulator
    var agents: AgentAccumulator
    var complaints = ComplaintAccumulator()
    var satisfaction = SatisfactionAccumulator()
    var breakdowns: BreakdownAccumulator
    var volume = VolumeAccumulator()
    var orders = OrderAccumulator()
    /// The 168 arrival counts of each period with a ticket created.
    var arrivals: [Int: [Int32]] = [:]
    /// The repeat contacts of each period, as repeat_contacts.csv's rows (`repeats`), or only
    /// counted when their rows are listed elsewhere (`repeatsElsewhere`, see `ItemLists`).
    var repeats: [Int: [RepeatRecord]] = [:]
    var repeatsElsewhere: [Int: Int] = [:]

    /// Empty figures in `context`'s shape (its period kind and policies).
    init(context: MetricsContext) {
        let acc = MetricsAccumulator(context: context)
        period = context.period
        sla = acc.sla
        agents = acc.agents
        breakdowns = acc.breakdowns
    }

    /// The figures of a bucket's order groups: `orders` deduplicated, `tickets` deduplicated and
    /// joined to those orders (`TicketOrderJoin`), every ticket of each order among them;
    /// measured by `engine` (period kind, as_of, policies; ids in its pool). Surveys are the
    /// merge's (`SurveyTicket` gives it what they need of their tickets).
    public init(orders rows: [OrderRow], tickets: [TicketRow], engine: MetricsEngine) {
        let context = engine.context
        let acc = engine.accumulate(orders: rows, tickets: tickets, logistics: [])
        self.init(context: context)
        minWeek = acc.minWeek
        maxWeek = acc.maxWeek
        sla = acc.sla
        agents = acc.agents
        complaints = acc.complaints
        satisfaction = acc.satisfaction
        breakdowns = acc.breakdowns
        volume = acc.volume
        orders = acc.orders
        orders.refs = Chunked()
        let patterns = TicketPatterns(tickets: tickets, context: context, first: minWeek, last: maxWeek)
        if minWeek <= maxWeek {
            for w in minWeek...maxWeek {
                let c = patterns.arrivals.counts(period: w)
                if c.contains(where: { $0 != 0 }) { arrivals[w] = c.map { Int32($0) } }
                let r = patterns.repeats.records(period: w, tickets: tickets, pool: context.pool)
                if !r.isEmpty { repeats[w] = r }
            }
        }
    }

    /// Adds another share's figures (same period kind and config, ids in the same pool).
    public mutating func merge(_ other: MetricsPartial) {
        precondition(other.period == period, "MetricsPartial.merge: period kinds differ")
        minWeek = min(minWeek, other.minWeek)
        maxWeek = max(maxWeek, other.maxWeek)
        sla.merge(other.sla)
        agents.merge(other.agents)
        complaints.merge(other.complaints)
        satisfaction.merge(other.satisfaction)
        breakdowns.merge(other.breakdowns)
        volume.merge(other.volume)
        orders.merge(other.orders)
        for (w, c) in other.arrivals {
            if var a = arrivals[w] {
                for i in a.indices { a[i] &+= c[i] }
                arrivals[w] = a
            } else {
                arrivals[w] = c
            }
        }
        for (w, r) in other.repeats { repeats[w, default: []] += r }
        for (w, n) in other.repeatsElsewhere { repeatsElsewhere[w, default: 0] += n }
    }

    /// Appends the text form; ids are read from `pool`. `items: false` leaves out the item lists
    /// (breaches, open clocks, low scores, repeat contacts: `ItemLists` writes them apart) and
    /// writes their counts instead (`lse`, `rc` lines).
    package func encode(pool: StringPool, into w: inout PartialText.Writer, items: Bool = true) {
        w.line("period \(period.rawValue) \(minWeek) \(maxWeek)")
        sla.encode(pool: pool, into: &w, items: items)
        orders.encode(pool: pool, into: &w)
        agents.encode(pool: pool, into: &w)
        complaints.encode(pool: pool, into: &w)
        breakdowns.encode(pool: pool, into: &w)
        volume.encode(pool: pool, into: &w)
        satisfaction.encode(pool: pool, into: &w, items: items)
        if !items {
            for (week, list) in repeats.sorted(by: { $0.key < $1.key }) where !list.isEmpty {
                w.tag("rc")
                w.ints([Int64(week), Int64(list.count)])
                w.endLine()
            }
        }
        for (week, c) in arrivals.sorted(by: { $0.key < $1.key }) {
            w.counts("ar", week, c.map(Int64.init))
        }
        for (week, list) in repeats.sorted(by: { $0.key < $1.key }) where items {
            for r in list {
                w.tag("rp")
                w.ints([Int64(week), r.createdAt, r.previousResolvedAt])
                for s in [r.ticketID, r.orderID, r.previousTicketID, r.agent, r.category] { w.name(s) }
                w.endLine()
            }
        }
    }

    /// Reads `encode`'s text (one period kind) from the reader's next line up to the end or a
    /// `section` line, interning its strings into `context`'s pool.
    package static func decode(_ r: inout PartialText.Reader, context: MetricsContext)
        throws(PartialFormatError) -> MetricsPartial
    {
        guard r.nextLine(before: "section"), r.tag("period"), let kind = PeriodKind(rawValue: try r.word()),
            kind == context.period
        else {
            throw r.error("expected 'period \(context.period.rawValue) MIN MAX'")
        }
        let pool = context.pool
        var p = MetricsPartial(context: context)
        p.minWeek = try r.int()
        p.maxWeek = try r.int()
        while r.nextLine(before: "section") {
            // Each part reads the lines whose tag is its own.
            var done = try p.sla.decodeLine(&r, pool: pool)
            if !done { done = try p.orders.decodeLine(&r, pool: pool) }
            if !done { done = try p.agents.decodeLine(&r, pool: pool) }
            if !done { done = try p.complaints.decodeLine(&r, pool: pool) }
            if !done { done = try p.breakdowns.decodeLine(&r, pool: pool) }
            if !done { done = try p.volume.decodeLine(&r, pool: pool) }
            if !done { done = try p.satisfaction.decodeLine(&r, pool: pool) }
            if done {
            } else if r.tag("ar") {
                let w: Int = try r.int()
                let v = try r.rest()
                guard v.count == ArrivalPattern.cells else {
                    throw r.error("ar: expected \(ArrivalPattern.cells) counts")
                }
                var c = p.arrivals[w] ?? Array(repeating: 0, count: ArrivalPattern.cells)
                for i in v.indices { c[i] &+= Int32(truncatingIfNeeded: v[i]) }
                p.arrivals[w] = c
            } else if r.tag("rc") {
                let w: Int = try r.int()
                p.repeatsElsewhere[w, default: 0] += try r.int()
            } else if r.tag("rp") {
                let w: Int = try r.int()
                let (created, previousResolved): (Int64, Int64) = (try r.int(), try r.int())
                var s: [String] = []
                for _ in 0..<5 { s.append(try r.string() ?? "") }
                p.repeats[w, default: []].append(
                    RepeatRecord(
                        ticketID: s[0], orderID: s[1], createdAt: created, previousTicketID: s[2],
                        previousResolvedAt: previousResolved, agent: s[3], category: s[4]))
            } else {
                throw r.error("unknown tag \(try r.word())")
            }
            guard r.atLineEnd else { throw r.error("too many fields") }
        }
        return p
    }
}

extension OrderAccumulator {
    func encode(pool: StringPool, into w: inout PartialText.Writer) {
        for week in placed.weeks where placed[week] != 0 {
            w.tag("n")
            w.ints([Int64(week), Int64(placed[week])])
            w.endLine()
        }
        for (tag, counts): (StaticString, KeyCounts) in [("m", merchantOrders), ("r", productOrders)] {
            counts.forEach { key, n in
                w.tag(tag)
                w.ints([key >> 32, Int64(n)])
                w.name(StrID(truncatingIfNeeded: key), pool)
                w.endLine()
            }
        }
    }

    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        if r.tag("n") {
            let w: Int = try r.int()
            placed[w] += try r.int()
        } else if r.tag("m") {
            let w: Int = try r.int()
            let n: Int = try r.int()
            merchantOrders.add(AgentAccumulator.key(week: w, agent: try r.name(pool)), n)
        } else if r.tag("r") {
            let w: Int = try r.int()
            let n: Int = try r.int()
            productOrders.add(AgentAccumulator.key(week: w, agent: try r.name(pool)), n)
        } else {
            return false
        }
        return true
    }
}

extension AgentAccumulator {
    func encode(pool: StringPool, into w: inout PartialText.Writer) {
        var byCohort = [[Int64]](repeating: [], count: keys.count)
        for h in handling { byCohort[Int(h >> 32)].append(h & 0xFFFF_FFFF) }
        let m = stride
        for (i, key) in keys.keys.enumerated() {
            let agent = StrID(bitPattern: UInt32(truncatingIfNeeded: key))
            w.tag("a")
            w.int(key >> 32)
            w.name(agent, pool)
            w.ints(stats[(i * m)..<((i + 1) * m)].map(Int64.init))
            w.endLine()
            if !byCohort[i].isEmpty {
                w.tag("h")
                w.int(key >> 32)
                w.name(agent, pool)
                w.ints(byCohort[i])
                w.endLine()
            }
        }
    }

    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        if r.tag("a") {
            let w: Int = try r.int()
            let agent = try r.name(pool)
            let v = try r.rest()
            guard v.count == stride else { throw r.error("a: expected \(stride) counters") }
            let (i, inserted) = keys.insert(Self.key(week: w, agent: agent))
            if inserted { stats.append(contentsOf: repeatElement(0, count: stride)) }
            for j in v.indices { stats[i * stride + j] &+= Int32(truncatingIfNeeded: v[j]) }
        } else if r.tag("h") {
            let w: Int = try r.int()
            let agent = try r.name(pool)
            guard let i = keys.find(Self.key(week: w, agent: agent)) else { throw r.error("h: before its a line") }
            for s in try r.rest() {
                guard s >= 0 && s <= Int64(UInt32.max) else { throw r.error("h: bad seconds") }
                handling.append(Int64(i) << 32 | s)
            }
        } else {
            return false
        }
        return true
    }
}

extension ComplaintAccumulator {
    /// As counts of (period, category, product, merchant): the order ids are not carried.
    func encode(pool: StringPool, into w: inout PartialText.Writer) {
        var counts: [[Int32]: Int] = [:]
        records.forEach { counts[[$0.week, $0.category, $0.product, $0.merchant], default: 0] += 1 }
        for (k, n) in counts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            w.tag("cp")
            w.ints([Int64(k[0]), Int64(n)])
            for id in k[1...] { w.name(id, pool) }
            w.endLine()
        }
    }

    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        guard r.tag("cp") else { return false }
        let w: Int = try r.int()
        let n: Int = try r.int()
        let record = Record(
            week: Int32(truncatingIfNeeded: w), category: try r.name(pool), order: .none, product: try r.name(pool),
            merchant: try r.name(pool))
        for _ in 0..<n { records.append(record) }
        return true
    }
}

extension VolumeAccumulator {
    func encode(pool: StringPool, into w: inout PartialText.Writer) {
        for week in series.weeks {
            let v = series[week]
            if v.created == 0 && v.resolved == 0 { continue }
            w.tag("vw")
            w.ints([Int64(week), Int64(v.created), Int64(v.resolved)])
            w.endLine()
            w.counts("vt", week, v.byType.map(Int64.init))
            w.counts("vr", week, v.byResponsibility.map(Int64.init))
        }
        for (i, k) in channelKeys.keys.enumerated() {
            w.tag("vc")
            w.ints([k >> 32, Int64(byChannel[i])])
            w.name(StrID(bitPattern: UInt32(truncatingIfNeeded: k)), pool)
            w.endLine()
        }
    }

    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        if r.tag("vw") {
            let w: Int = try r.int()
            series[w].created += try r.int()
            series[w].resolved += try r.int()
        } else if r.tag("vt") {
            let w: Int = try r.int()
            let v = try r.rest()
            guard v.count == series[w].byType.count else {
                throw r.error("vt: expected \(series[w].byType.count) counts")
            }
            for i in v.indices { series[w].byType[i] += Int(v[i]) }
        } else if r.tag("vr") {
            let w: Int = try r.int()
            let v = try r.rest()
            guard v.count == series[w].byResponsibility.count else {
                throw r.error("vr: expected \(series[w].byResponsibility.count) counts")
            }
            for i in v.indices { series[w].byResponsibility[i] += Int(v[i]) }
        } else if r.tag("vc") {
            let w: Int = try r.int()
            let n: Int = try r.int()
            let key = AgentAccumulator.key(week: w, agent: try r.name(pool))
            let (i, inserted) = channelKeys.insert(key)
            if inserted { byChannel.append(n) } else { byChannel[i] += n }
        } else {
            return false
        }
        return true
    }
}

extension SatisfactionAccumulator {
    /// `items: false`: the low scores counted (`lse`), not listed.
    func encode(pool: StringPool, into w: inout PartialText.Writer, items: Bool = true) {
        for week in series.weeks {
            let s = series[week]
            if s.responses == 0 && s.resolved == 0 && s.invalidScores == 0 && s.lowScores.isEmpty { continue }
            w.tag("sw")
            w.ints([Int64(week), Int64(s.responses), Int64(s.scoreSum)])
            w.ints(s.distribution.map(Int64.init))
            w.ints([Int64(s.resolved), Int64(s.resolvedWithScore), Int64(s.invalidScores)])
            w.endLine()
            if !items {
                w.tag("lse")
                w.ints([Int64(week), Int64(s.lowScores.count + s.lowScoresElsewhere)])
                w.endLine()
                continue
            }
            for l in s.lowScores {
                w.tag("sl")
                w.ints([Int64(week), Int64(l.score), l.resolved, l.surveyed])
                for id in [l.ticket, l.order, l.agent, l.category, l.survey, l.comment] { w.name(id, pool) }
                w.endLine()
            }
        }
    }

    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        if r.tag("sw") {
            let w: Int = try r.int()
            series[w].responses += try r.int()
            series[w].scoreSum += try r.int()
            for i in 0..<5 { series[w].distribution[i] += try r.int() }
            series[w].resolved += try r.int()
            series[w].resolvedWithScore += try r.int()
            series[w].invalidScores += try r.int()
        } else if r.tag("lse") {
            let w: Int = try r.int()
            series[w].lowScoresElsewhere += try r.int()
        } else if r.tag("sl") {
            let w: Int = try r.int()
            guard let score = UInt8(exactly: try r.int() as Int64) else { throw r.error("sl: bad score") }
            let (resolved, surveyed): (Int64, Int64) = (try r.int(), try r.int())
            series[w].lowScores.append(
                LowScore(
                    ticket: try r.name(pool), order: try r.name(pool), agent: try r.name(pool),
                    category: try r.name(pool), score: score, resolved: resolved, surveyed: surveyed,
                    survey: try r.name(pool), comment: try r.name(pool)))
        } else {
            return false
        }
        return true
    }
}

extension SLAAccumulator {
    /// Appends the SLA figures as `q`, `p`, `s`, `b`, `o` and `k` lines (see `MetricsPartial`);
    /// `items: false` leaves out the breaches and pending clocks (`b`, `o`).
    func encode(pool: StringPool, into w: inout PartialText.Writer, items: Bool = true) {
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
            for (tag, list): (StaticString, Chunked<RawBreach>) in [("b", wk.breaches), ("o", wk.pending)] where items {
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
            w.counts("k", week, buckets[week].map(Int64.init))
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
            let (met, breached, pending): (Int, Int, Int) = (try r.int(), try r.int(), try r.int())
            series[w].policies[k].met += met
            series[w].policies[k].breached += breached
            series[w].policies[k].pending += pending
            // Room for the b and o lines that follow (every breach and pending clock is listed).
            series[w].breaches.reserveCapacity(breached)
            series[w].pending.reserveCapacity(pending)
        } else if r.tag("s") {
            let w: Int = try r.int()
            let k = try policy(&r)
            var values = Chunked<Int64>()
            values.open = try r.rest()
            series[w].policies[k].stopped.merge(values)
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
