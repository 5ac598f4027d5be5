import SLAFast
import SLAModel

/// Where a merge from partials takes the item lists of its periods instead of holding them in
/// its accumulators: the rows of a period's sla_breaches.csv, low_scores.csv and
/// repeat_contacts.csv, the open clocks started in a period, and all open clocks in
/// open_items.csv's order. `PeriodRecords` adds its own (the merge's surveys') and sorts. Read
/// from any thread (periods are rendered in parallel).
public protocol PeriodItemLists: AnyObject, Sendable {
    /// Breaches of a period, each with its policy's index (any order).
    func breaches(period: Int) -> [(record: BreachRecord, policy: Int)]
    func lowScores(period: Int) -> [LowScoreRecord]
    func repeats(period: Int) -> [RepeatRecord]
    /// The open clocks started in a period (any order).
    func openItems(period: Int) -> [OpenItemKey]
    /// Every open clock, and `more` (in that order already), in open_items.csv's order.
    func forEachOpenItem(merging more: [OpenItemKey], _ body: (OpenItemKey) -> Void)
    /// The first error met while reading (the lists given since then are incomplete): the merge
    /// checks it before publishing.
    var failure: (any Error)? { get }
}

/// The item lists of a partial (one period kind), as blocks of `PartialText` lines a merge can
/// read one period at a time, and the orders that merge them:
///
///     block breaches|lowscores|repeats|open P COUNT BYTES   a period's list (open: the clocks
///                                                           started in P), then BYTES of lines
///     block open-all 0 COUNT BYTES                          every open clock
///
/// Each list is in its file's order already (`precedes`), so a period's rows from all buckets
/// sorted again by the same total order are the run's rows.
package enum ItemLists {
    /// Block kinds.
    package static let breaches = "breaches"
    package static let lowScores = "lowscores"
    package static let repeats = "repeats"
    package static let open = "open"
    package static let openAll = "open-all"

    /// Writes `figures`' item lists (the partial that holds them, made in `context`): calls
    /// `block` with each block's kind, period, row count and lines.
    package static func write(
        _ figures: MetricsPartial, context ctx: MetricsContext, block: (String, Int, Int, [UInt8]) throws -> Void
    ) rethrows {
        let pool = ctx.pool
        func lines(_ body: (inout PartialText.Writer) -> Int) -> (Int, [UInt8]) {
            var w = PartialText.Writer()
            let n = body(&w)
            return (n, w.out.bytes)
        }
        let policies = ctx.config.policies
        let index = Dictionary(policies.indices.map { (policies[$0].name, $0) }, uniquingKeysWith: { a, _ in a })
        for p in figures.sla.series.weeks {
            let (nb, b) = lines { w in
                let records = figures.sla.breachRecords(week: p, context: ctx)
                for r in records { breach(r, policy: index[r.policy] ?? 0, into: &w) }
                return records.count
            }
            if nb > 0 { try block(breaches, p, nb, b) }
            let (no, o) = lines { w in
                let items = figures.sla.keyedOpenItems(weeks: p..<(p + 1), context: ctx)
                for k in items { openItem(k, into: &w) }
                return items.count
            }
            if no > 0 { try block(open, p, no, o) }
        }
        for p in figures.satisfaction.series.weeks {
            let (n, b) = lines { w in
                let records = figures.satisfaction.lowScoreRecords(week: p, pool: pool)
                for r in records { lowScore(r, into: &w) }
                return records.count
            }
            if n > 0 { try block(lowScores, p, n, b) }
        }
        for (p, list) in figures.repeats.sorted(by: { $0.key < $1.key }) where !list.isEmpty {
            let (n, b) = lines { w in
                for r in list { repeatContact(r, into: &w) }
                return list.count
            }
            try block(repeats, p, n, b)
        }
        let (n, b) = lines { w in
            let items = figures.sla.keyedOpenItems(context: ctx)
            for k in items { openItem(k, into: &w) }
            return items.count
        }
        try block(openAll, 0, n, b)
    }

    static func breach(_ r: BreachRecord, policy: Int, into w: inout PartialText.Writer) {
        w.tag("br")
        w.ints([Int64(policy), r.start, r.stop, Int64(bitPattern: r.elapsedHours.bitPattern), r.due])
        for s in [r.ticketID, r.orderID, r.id, r.agent, r.type, r.priority] { w.name(s) }
        w.endLine()
    }

    static func lowScore(_ r: LowScoreRecord, into w: inout PartialText.Writer) {
        w.tag("ls")
        w.ints([Int64(r.score), r.resolvedAt, r.surveyedAt])
        for s in [r.ticketID, r.orderID, r.agent, r.category, r.surveyID, r.comment] { w.name(s) }
        w.endLine()
    }

    static func repeatContact(_ r: RepeatRecord, into w: inout PartialText.Writer) {
        w.tag("rp")
        w.ints([r.createdAt, r.previousResolvedAt])
        for s in [r.ticketID, r.orderID, r.previousTicketID, r.agent, r.category] { w.name(s) }
        w.endLine()
    }

    static func openItem(_ k: OpenItemKey, into w: inout PartialText.Writer) {
        let i = k.item
        w.tag("oi")
        w.ints([Int64(k.policy), i.start, i.due, i.secondsLeft, i.isOverdue ? 1 : 0])
        for s in [i.id, i.orderID, i.agent, i.type, i.priority, i.status, k.ticket] { w.name(s) }
        w.endLine()
    }

    /// A breach line back (its policy's index beside it, for the order).
    package static func breach(_ r: inout PartialText.Reader, config: Config) throws(PartialFormatError)
        -> (record: BreachRecord, policy: Int)
    {
        guard r.tag("br") else { throw r.error("expected 'br …'") }
        let p: Int = try r.int()
        guard p >= 0 && p < config.policies.count else { throw r.error("no policy \(p)") }
        let (start, stop, bits, due): (Int64, Int64, Int64, Int64) = (
            try r.int(), try r.int(), try r.int(), try r.int()
        )
        var s: [String] = []
        for _ in 0..<6 { s.append(try r.string() ?? "") }
        let pol = config.policies[p]
        var b = BreachRecord(
            ticketID: s[0], orderID: s[1], policy: pol.name, start: start, stop: stop,
            elapsedHours: Double(bitPattern: UInt64(bitPattern: bits)), targetHours: pol.targetHours,
            state: stop == .missing ? SLAAccumulator.openBreachState : SLAAccumulator.breachedState)
        b.table = pol.table
        b.id = s[2]
        b.due = due
        b.agent = s[3]
        b.type = s[4]
        b.priority = s[5]
        return (b, p)
    }

    package static func lowScore(_ r: inout PartialText.Reader) throws(PartialFormatError) -> LowScoreRecord {
        guard r.tag("ls") else { throw r.error("expected 'ls …'") }
        let (score, resolved, surveyed): (Int, Int64, Int64) = (try r.int(), try r.int(), try r.int())
        var s: [String] = []
        for _ in 0..<6 { s.append(try r.string() ?? "") }
        var l = LowScoreRecord(
            ticketID: s[0], orderID: s[1], agent: s[2], score: score, category: s[3], resolvedAt: resolved,
            surveyedAt: surveyed)
        l.surveyID = s[4]
        l.comment = s[5]
        return l
    }

    package static func repeatContact(_ r: inout PartialText.Reader) throws(PartialFormatError) -> RepeatRecord {
        guard r.tag("rp") else { throw r.error("expected 'rp …'") }
        let (created, previous): (Int64, Int64) = (try r.int(), try r.int())
        var s: [String] = []
        for _ in 0..<5 { s.append(try r.string() ?? "") }
        return RepeatRecord(
            ticketID: s[0], orderID: s[1], createdAt: created, previousTicketID: s[2], previousResolvedAt: previous,
            agent: s[3], category: s[4])
    }

    package static func openItem(_ r: inout PartialText.Reader, config: Config) throws(PartialFormatError)
        -> OpenItemKey
    {
        guard r.tag("oi") else { throw r.error("expected 'oi …'") }
        let p: Int = try r.int()
        guard p >= 0 && p < config.policies.count else { throw r.error("no policy \(p)") }
        let (start, due, left, overdue): (Int64, Int64, Int64, Int64) = (
            try r.int(), try r.int(), try r.int(), try r.int()
        )
        var s: [String] = []
        for _ in 0..<7 { s.append(try r.string() ?? "") }
        let pol = config.policies[p]
        var i = OpenItem(
            state: overdue != 0 ? SLAAccumulator.openBreachState : OpenItem.pendingState, table: pol.table, id: s[0],
            orderID: s[1], policy: pol.name, start: start, due: due, secondsLeft: left)
        i.agent = s[2]
        i.type = s[3]
        i.priority = s[4]
        i.status = s[5]
        return OpenItemKey(item: i, policy: p, ticket: s[6])
    }

    /// sla_breaches.csv's order (`SLAAccumulator.breachRecords`) on records and policy indexes.
    package static func precedes(_ x: (record: BreachRecord, policy: Int), _ y: (record: BreachRecord, policy: Int))
        -> Bool
    {
        let (a, b) = (x.record, y.record)
        if x.policy != y.policy { return x.policy < y.policy }
        if a.start != b.start { return a.start < b.start }
        if a.id != b.id { return a.id.utf8.lexicographicallyPrecedes(b.id.utf8) }
        if a.ticketID != b.ticketID { return a.ticketID.utf8.lexicographicallyPrecedes(b.ticketID.utf8) }
        if a.orderID != b.orderID { return a.orderID.utf8.lexicographicallyPrecedes(b.orderID.utf8) }
        if a.stop != b.stop { return a.stop < b.stop }
        return a.elapsedHours < b.elapsedHours
    }

    /// low_scores.csv's order.
    package static func precedes(_ a: LowScoreRecord, _ b: LowScoreRecord) -> Bool {
        SatisfactionAccumulator.precedes(a, b)
    }

    /// repeat_contacts.csv's order.
    package static func sorted(_ r: [RepeatRecord]) -> [RepeatRecord] { RepeatContacts.sorted(r) }
}
