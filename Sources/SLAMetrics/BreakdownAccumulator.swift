import SLAFast
import SLAModel

/// The ticket breakdowns (by channel, type, priority, category, merchant): per period and
/// value, tickets created, each ticket policy's met/breached/pending, and the scores — each
/// counted in the period its total counts it in (creation, the policy's start, the response),
/// so a cut's rows add up to the period's totals.
///
/// Counters are flat `Int32` rows keyed by week << 35 | dimension << 32 | value id (a string id,
/// or an enum's raw value; `.none`/0 for an empty column): a ticket costs one cheap hash per cut
/// and period it touches, and no strings are made until `finish`. Each cut has its own
/// `DenseKeys`, so the few-valued cuts (type, priority, channel) probe small tables that stay in
/// cache and only the merchant cut pays for its size (one shared table: twice the ticket time).
///
/// A ticket without a merchant takes its order's (as the alerts do): the caller passes it
/// (`MetricsEngine` joins the orders once, before the shards run, see `OrderMerchants`).
public struct BreakdownAccumulator: Sendable {
    /// The key of each counter row, in row order.
    private(set) var rowKeys: [Int64] = []
    /// Per cut: its keys, and the row of each (by the key's number there).
    private var dimKeys: [DenseKeys]
    private var dimRows: [[Int32]]
    /// Rows folded into another by `finish` (a value written "(none)").
    private var dropped: Set<Int> = []
    /// Per key: tickets, responses, score sum, satisfied (4–5), then met, breached, pending of
    /// each ticket policy.
    var stats: [Int32] = []
    let ticketPolicies: [Int]
    /// The ticket cuts asked for (`[breakdowns] by`), in config order.
    let dims: [BreakdownDimension]
    /// `code` of each of `dims`.
    private let codes: [Int64]
    let stride: Int
    /// The current ticket's value per cut, and the counter offsets for `cachedWeek`.
    private var current: [Int32]
    private var cached: [Int]
    private var cachedWeek = Int.min

    init(ticketPolicies: [Int], dimensions: [BreakdownDimension]) {
        self.ticketPolicies = ticketPolicies
        dims = dimensions.filter(\.isTicketCut)
        codes = dims.map(Self.code)
        stride = 4 + 3 * ticketPolicies.count
        current = Array(repeating: 0, count: dims.count)
        dimKeys = Array(repeating: DenseKeys(), count: dims.count)
        dimRows = Array(repeating: [], count: dims.count)
        cached = Array(repeating: 0, count: dims.count)
    }

    var isActive: Bool { !dims.isEmpty }

    /// A cut's number in the keys (0–4).
    static func code(_ d: BreakdownDimension) -> Int64 { Int64(BreakdownDimension.allCases.firstIndex(of: d)!) }

    @inline(__always)
    static func key(week: Int, dim: Int64, value: Int32) -> Int64 {
        Int64(week) << 35 | dim << 32 | Int64(UInt32(bitPattern: value))
    }

    /// Sets the ticket the next `add…` calls count: its values of each cut (`merchant`: its
    /// own, else its order's).
    @inline(__always)
    mutating func begin(channel: StrID, type: UInt8, priority: UInt8, category: StrID, merchant: StrID) {
        for i in dims.indices {
            switch dims[i] {
            case .channel: current[i] = channel
            case .type: current[i] = Int32(type)
            case .priority: current[i] = Int32(priority)
            case .category: current[i] = category
            case .merchant: current[i] = merchant
            case .carrier: break  // not a ticket cut (filtered out in init)
            }
        }
        cachedWeek = Int.min
    }

    mutating func begin(ticket t: TicketRow, merchant: StrID) {
        begin(
            channel: t.channel, type: t.type.rawValue, priority: t.priority.rawValue, category: t.category,
            merchant: merchant)
    }

    /// The counter offsets of the current ticket's values in week `w`, adding them when new.
    @inline(__always)
    private mutating func bases(_ w: Int) {
        if w == cachedWeek { return }
        cachedWeek = w
        for i in dims.indices {
            cached[i] = row(Self.key(week: w, dim: codes[i], value: current[i]), cut: i) * stride
        }
    }

    /// The counter row of `key` in cut `i` (of `dims`), adding it when new.
    @inline(__always)
    private mutating func row(_ key: Int64, cut i: Int) -> Int {
        let (k, inserted) = dimKeys[i].insert(key)
        if !inserted { return Int(dimRows[i][k]) }
        let r = rowKeys.count
        dimRows[i].append(Int32(r))
        rowKeys.append(key)
        stats.append(contentsOf: repeatElement(0, count: stride))
        return r
    }

    @inline(__always)
    private mutating func bump(_ offset: Int) {
        // Safe: `cached` holds block starts bases(_:) made, and offset < the block's stride.
        assert(cached.allSatisfy { $0 >= 0 && $0 + offset < stats.count })
        stats.withUnsafeMutableBufferPointer { s in
            for b in cached { s[b + offset] &+= 1 }
        }
    }

    /// The current ticket, created in week `w`.
    mutating func addTicket(week w: Int) {
        bases(w)
        bump(0)
    }

    /// The outcome of the `k`-th ticket policy for the current ticket, in its start's week.
    @inline(__always)
    mutating func add(policySlot k: Int, outcome: SLAOutcome, week w: Int) {
        let offset: Int
        switch outcome {
        case .met: offset = 4 + 3 * k
        case .breached: offset = 5 + 3 * k
        case .pending: offset = 6 + 3 * k
        default: return
        }
        bases(w)
        bump(offset)
    }

    /// A score (1–5) of the current ticket, in the week of its response.
    mutating func add(score: UInt8, week w: Int) {
        bases(w)
        let s = Int32(score)
        // Safe: as in bump(_:), offsets 1...3 lie inside each cached block.
        assert(cached.allSatisfy { $0 >= 0 && $0 + 3 < stats.count })
        stats.withUnsafeMutableBufferPointer { st in
            for b in cached {
                st[b + 1] &+= 1
                st[b + 2] &+= s
                if s >= 4 { st[b + 3] &+= 1 }
            }
        }
    }

    public mutating func merge(_ other: BreakdownAccumulator) {
        let m = stride
        for (i, k) in other.rowKeys.enumerated() {
            let j = row(k, cut: codes.firstIndex(of: (k >> 32) & 7)!)
            for x in 0..<m { stats[j * m + x] &+= other.stats[i * m + x] }
        }
        cachedWeek = Int.min
    }

    /// Appends the counter rows as `bt` (text value) and `be` (enum value) lines (see
    /// `MetricsPartial`).
    func encode(pool: StringPool, into w: inout PartialText.Writer) {
        let m = stride
        for (i, k) in rowKeys.enumerated() {
            let dim = (k >> 32) & 7
            let value = Int32(truncatingIfNeeded: k)
            let isEnum = dim == Self.code(.type) || dim == Self.code(.priority)
            w.tag(isEnum ? "be" : "bt")
            w.ints([k >> 35, dim])
            if isEnum { w.int(Int64(value)) } else { w.name(value, pool) }
            w.ints(stats[(i * m)..<((i + 1) * m)].map(Int64.init))
            w.endLine()
        }
    }

    /// Reads one `encode` line into these counters when its tag is one of them; false otherwise.
    mutating func decodeLine(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError) -> Bool {
        let isEnum: Bool
        if r.tag("bt") { isEnum = false } else if r.tag("be") { isEnum = true } else { return false }
        let w: Int = try r.int()
        let dim: Int64 = try r.int()
        guard let cut = codes.firstIndex(of: dim),
            isEnum == (dim == Self.code(.type) || dim == Self.code(.priority))
        else { throw r.error("no breakdown cut \(dim) in this config") }
        let value: Int32 = isEnum ? Int32(truncatingIfNeeded: try r.int() as Int64) : try r.name(pool)
        let v = try r.rest()
        guard v.count == stride else { throw r.error("expected \(stride) counters") }
        let j = row(Self.key(week: w, dim: dim, value: value), cut: cut)
        for x in 0..<stride { stats[j * stride + x] &+= Int32(truncatingIfNeeded: v[x]) }
        cachedWeek = Int.min
        return true
    }

    /// The ticket cuts of each week index, in config order, each with at most `topN` named rows
    /// (most tickets first, then value name in byte order) and `(other)` for the rest.
    func finish(context ctx: MetricsContext) -> [Int: [TicketBreakdown]] {
        guard isActive else { return [:] }
        // An empty value and one written "(none)" are one row, as in the complaint categories.
        if let literal = ctx.pool.lookup(Breakdowns.none), rowKeys.contains(where: { Self.isLiteralNone($0, literal) })
        {
            var merged = self
            merged.foldLiteralNone(literal)
            return merged.rows(context: ctx)
        }
        return rows(context: ctx)
    }

    /// A row of a text cut whose value is the string "(none)".
    private static func isLiteralNone(_ key: Int64, _ literal: StrID) -> Bool {
        let dim = (key >> 32) & 7
        return dim != code(.type) && dim != code(.priority) && Int32(truncatingIfNeeded: key) == literal
    }

    /// Adds the rows whose value is written "(none)" to the empty value's rows and drops them.
    private mutating func foldLiteralNone(_ literal: StrID) {
        let m = stride
        for i in rowKeys.indices where Self.isLiteralNone(rowKeys[i], literal) {
            let k = rowKeys[i]
            let j = row(
                Self.key(week: Int(k >> 35), dim: (k >> 32) & 7, value: .none),
                cut: codes.firstIndex(of: (k >> 32) & 7)!)
            for x in 0..<m {
                stats[j * m + x] &+= stats[i * m + x]
                stats[i * m + x] = 0
            }
            dropped.insert(i)
        }
    }

    private func rows(context ctx: MetricsContext) -> [Int: [TicketBreakdown]] {
        let topN = ctx.config.breakdowns.topN
        let names = ticketPolicies.map { ctx.config.policies[$0].name }
        let pool = ctx.pool
        var groups: [Int64: [Int32]] = [:]  // week << 3 | dim → key numbers
        for (i, k) in rowKeys.enumerated() where !dropped.contains(i) {
            groups[(k >> 35) << 3 | (k >> 32) & 7, default: []].append(Int32(i))
        }
        var out: [Int: [TicketBreakdown]] = [:]
        let weeks = Set(groups.keys.map { Int($0 >> 3) })
        for w in weeks {
            out[w] = dims.map { d in
                var cut = TicketBreakdown(dimension: d)
                let members = groups[Int64(w) << 3 | Self.code(d)] ?? []
                let isEnum = d == .type || d == .priority
                func value(_ i: Int32) -> Int32 { Int32(truncatingIfNeeded: rowKeys[Int(i)]) }
                func name(_ v: Int32) -> String {
                    if isEnum {
                        if v == 0 { return Breakdowns.none }
                        return d == .type ? TicketType(rawValue: UInt8(v))!.name : Priority(rawValue: UInt8(v))!.name
                    }
                    return v == .none ? Breakdowns.none : pool.string(v)
                }
                func nameBefore(_ a: Int32, _ b: Int32) -> Bool {
                    if isEnum || a == .none || b == .none {
                        return name(a).utf8.lexicographicallyPrecedes(name(b).utf8)
                    }
                    return pool.precedes(a, b)
                }
                let sorted = members.sorted { x, y in
                    let tx = stats[Int(x) * stride]
                    let ty = stats[Int(y) * stride]
                    return tx != ty ? tx > ty : nameBefore(value(x), value(y))
                }
                func row<S: Collection<Int32>>(_ name: String, _ of: S) -> TicketBreakdownRow {
                    var r = TicketBreakdownRow(value: name)
                    r.values = of.count
                    r.sla = names.map(BreakdownPolicy.init(policy:))
                    for i in of {
                        let b = Int(i) * stride
                        r.tickets += Int(stats[b])
                        r.responses += Int(stats[b + 1])
                        r.scoreSum += Int(stats[b + 2])
                        r.satisfied += Int(stats[b + 3])
                        for k in names.indices {
                            r.sla[k].met += Int(stats[b + 4 + 3 * k])
                            r.sla[k].breached += Int(stats[b + 5 + 3 * k])
                            r.sla[k].pending += Int(stats[b + 6 + 3 * k])
                        }
                    }
                    return r
                }
                let named = sorted.prefix(topN)
                cut.rows = named.map { row(name(value($0)), [$0]) }
                if sorted.count > topN { cut.rows.append(row(Breakdowns.other, sorted[topN...])) }
                return cut
            }
        }
        return out
    }
}
