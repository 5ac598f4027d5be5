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
/// Text form (`encode`/`decode`), after `period week|month MIN MAX` (MIN > MAX: none), per
/// period P:
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
/// Strings are `PartialText` names.
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

    /// The text form; ids are read from `pool`.
    public func encode(pool: StringPool) -> String {
        var s = "period \(period.rawValue) \(minWeek) \(maxWeek)\n"
        func line(_ tag: String, _ w: Int, _ values: [Int64], _ names: [String] = []) {
            s += tag + " \(w)"
            for v in values { s += " \(v)" }
            for n in names { s += " " + n }
            s += "\n"
        }
        func name(_ id: StrID) -> String { PartialText.name(id, pool) }
        for w in sla.series.weeks {
            let week = sla.series[w]
            if week.invalidDurations != 0 || week.missingDue != 0 {
                line("q", w, [Int64(week.invalidDurations), Int64(week.missingDue)])
            }
            for (p, pw) in week.policies.enumerated() where pw.met + pw.breached + pw.pending > 0 || !pw.stopped.isEmpty
            {
                line("p", w, [Int64(p), Int64(pw.met), Int64(pw.breached), Int64(pw.pending)])
                line("s", w, [Int64(p)] + pw.stopped.joined)
            }
            for (tag, list) in [("b", week.breaches), ("o", week.pending)] {
                list.forEach { b in
                    let k = b.keys
                    line(
                        tag, w,
                        [Int64(b.policy), b.start, b.stop, b.elapsed, b.due, Int64(k.type), Int64(k.priority)],
                        [name(k.ticket), name(k.order), name(k.id), name(k.agent), name(k.status)])
                }
            }
        }
        for w in sla.buckets.weeks where sla.buckets[w].contains(where: { $0 != 0 }) {
            line("k", w, sla.buckets[w].map(Int64.init))
        }
        for w in orders.placed.weeks where orders.placed[w] != 0 { line("n", w, [Int64(orders.placed[w])]) }
        for (tag, counts) in [("m", orders.merchantOrders), ("r", orders.productOrders)] {
            counts.forEach { key, n in
                line(tag, Int(key >> 32), [Int64(n)], [name(StrID(truncatingIfNeeded: key))])
            }
        }
        return s
    }

    /// Reads `encode`'s text (one period kind), interning its strings into `pool`; the context's
    /// `policyCount` policies. Throws the line (counted from `firstLine`) and what is wrong.
    public static func decode<Lines: Sequence>(
        _ lines: Lines, firstLine: Int = 1, policyCount: Int, pool: StringPool
    ) throws(PartialFormatError) -> OrderPartial where Lines.Element == Substring {
        var it = lines.makeIterator()
        var n = firstLine - 1
        func bad(_ m: String) -> PartialFormatError { PartialFormatError(line: n, message: m) }
        guard let head = it.next() else { throw bad("empty") }
        n += 1
        let h = head.split(separator: " ", omittingEmptySubsequences: false)
        guard h.count == 4, h[0] == "period", let kind = PeriodKind(rawValue: String(h[1])),
            let lo = Int(h[2]), let hi = Int(h[3])
        else { throw bad("expected 'period week|month MIN MAX'") }
        var p = OrderPartial(period: kind, policyCount: policyCount)
        p.minWeek = lo
        p.maxWeek = hi
        while let text = it.next() {
            n += 1
            let f = text.split(separator: " ", omittingEmptySubsequences: false)
            guard f.count >= 2, let w = Int(f[1]) else { throw bad("expected a tag and a period") }
            func ints(_ r: Range<Int>) throws(PartialFormatError) -> [Int64] {
                guard r.upperBound <= f.count else { throw bad("\(f[0]): too few fields") }
                var out: [Int64] = []
                out.reserveCapacity(r.count)
                for i in r {
                    guard let v = Int64(f[i]) else { throw bad("not a number: \(f[i])") }
                    out.append(v)
                }
                return out
            }
            func id(_ i: Int) throws(PartialFormatError) -> StrID {
                guard i < f.count, let v = PartialText.id(f[i], pool) else { throw bad("\(f[0]): bad name") }
                return v
            }
            func policy(_ v: Int64) throws(PartialFormatError) -> Int {
                guard v >= 0 && v < Int64(policyCount) else { throw bad("no policy \(v)") }
                return Int(v)
            }
            switch f[0] {
            case "q":
                let v = try ints(2..<4)
                p.sla.series[w].invalidDurations += Int(v[0])
                p.sla.series[w].missingDue += Int(v[1])
            case "p":
                let v = try ints(2..<6)
                let k = try policy(v[0])
                p.sla.series[w].policies[k].met += Int(v[1])
                p.sla.series[w].policies[k].breached += Int(v[2])
                p.sla.series[w].policies[k].pending += Int(v[3])
            case "s":
                let v = try ints(2..<f.count)
                guard let first = v.first else { throw bad("s: no policy") }
                let k = try policy(first)
                for e in v.dropFirst() { p.sla.series[w].policies[k].stopped.append(e) }
            case "b", "o":
                guard f.count == 14 else { throw bad("\(f[0]): expected 12 fields after the period") }
                let v = try ints(2..<9)
                guard let type = UInt8(exactly: v[5]), let priority = UInt8(exactly: v[6]) else {
                    throw bad("\(f[0]): bad type or priority")
                }
                let keys = BreachKeys(
                    ticket: try id(9), order: try id(10), id: try id(11), agent: try id(12), status: try id(13),
                    type: type, priority: priority)
                let b = SLAAccumulator.RawBreach(
                    policy: Int32(try policy(v[0])), keys: keys, start: v[1], stop: v[2], elapsed: v[3], due: v[4])
                if f[0] == "b" { p.sla.series[w].breaches.append(b) } else { p.sla.series[w].pending.append(b) }
            case "k":
                let v = try ints(2..<f.count)
                guard v.count == p.sla.buckets[w].count else {
                    throw bad("k: expected \(p.sla.buckets[w].count) counts")
                }
                for i in v.indices { p.sla.buckets[w][i] += Int(v[i]) }
            case "n":
                p.orders.placed[w] += Int(try ints(2..<3)[0])
            case "m", "r":
                guard f.count == 4 else { throw bad("\(f[0]): expected a count and a name") }
                let count = Int(try ints(2..<3)[0])
                let key = AgentAccumulator.key(week: w, agent: try id(3))
                if f[0] == "m" {
                    p.orders.merchantOrders.add(key, count)
                } else {
                    p.orders.productOrders.add(key, count)
                }
            default:
                throw bad("unknown tag \(f[0])")
            }
        }
        return p
    }
}
