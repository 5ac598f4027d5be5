import SLAFast
import SLAModel

/// Per-agent cohorts (SPEC 5 "Agents"): the tickets created in W by agent — those without an
/// agent as one more cohort, `(unassigned)` — with their ticket-policy results and scores
/// whenever those happened.
public struct AgentAccumulator: Sendable {
    /// Cohorts keyed by week index << 32 | agent StrID (`.none` for the unassigned tickets),
    /// numbered by `keys`; the numbers of cohort i are `stats[i * stride ..< (i + 1) * stride]`:
    /// tickets, responses, score sum, satisfied, then met and breached of each ticket policy,
    /// then resolved and low scores (1–2).
    /// Flat 32-bit counters, only for the ticket policies (agents are measured on tickets): a
    /// ticket costs one cheap hash and a few additions, and a million agents about 100 MB.
    var keys = DenseKeys()
    var stats: [Int32] = []
    /// Handling times of the resolved tickets, one `Int64` each: cohort number << 32 | seconds
    /// from created to resolved (capped at UInt32.max, 136 years). Eight bytes per resolved
    /// ticket keep the median exact; sorted once in `finish`, which groups them by cohort.
    var handling: [Int64] = []
    /// Policy indices (config order) of the ticket policies.
    let ticketPolicies: [Int]
    var stride: Int { AgentTable.stride(policies: ticketPolicies.count) }
    /// Offsets of the resolved and low-score counters inside a cohort's counters.
    var resolvedSlot: Int { 4 + 2 * ticketPolicies.count }

    public init(ticketPolicies: [Int]) { self.ticketPolicies = ticketPolicies }

    @inline(__always)
    static func key(week: Int, agent: StrID) -> Int64 { Int64(week) << 32 | Int64(UInt32(bitPattern: agent)) }

    /// The offset of a cohort's counters, adding the cohort when new.
    @inline(__always)
    private mutating func base(_ key: Int64) -> Int {
        let (i, inserted) = keys.insert(key)
        if inserted { stats.append(contentsOf: repeatElement(0, count: stride)) }
        return i * stride
    }

    /// Adds a ticket created in `week` (its agent may be `.none`); `outcome` of a policy index.
    /// `scores`: count the ticket's satisfaction (false when a surveys table gives the scores).
    mutating func add(
        ticket t: TicketRow, createdWeek week: Int, outcome: (Int) -> SLAOutcome,
        scores: Bool = true
    ) {
        let b = base(Self.key(week: week, agent: t.agent))
        let policies = ticketPolicies
        let r = resolvedSlot
        let created = t[.createdAt]
        let resolved = t[.resolvedAt]
        // A resolution stamped before the creation is a data error: neither resolved nor timed.
        if resolved != .missing && resolved >= created {
            stats[b + r] &+= 1
            let seconds = UInt32(clamping: resolved - created)
            handling.append(Int64(b / stride) << 32 | Int64(seconds))
        }
        // Unchecked bumps (one ticket touches up to 4 + 2·policies counters): safe because
        // base(_:) returned the start of a block of `stride` counters it appended, and every
        // offset below is < stride = 4 + 2·policies + 2.
        assert(b >= 0 && b + stride <= stats.count && r + 1 < stride)
        stats.withUnsafeMutableBufferPointer { s in
            s[b] &+= 1
            for k in policies.indices {
                switch outcome(policies[k]) {
                case .met: s[b + 4 + 2 * k] &+= 1
                case .breached: s[b + 5 + 2 * k] &+= 1
                default: break
                }
            }
            if scores && t.satisfaction >= 1 && t.satisfaction <= 5 {
                s[b + 1] &+= 1
                s[b + 2] &+= Int32(t.satisfaction)
                if t.satisfaction >= 4 { s[b + 3] &+= 1 }
                if t.satisfaction <= 2 { s[b + r + 1] &+= 1 }
            }
        }
    }

    /// Adds a survey response (score 1–5) attributed to `agent` (`.none`: to no agent) in the
    /// response's week.
    mutating func add(response score: UInt8, agent: StrID, week: Int) {
        let b = base(Self.key(week: week, agent: agent))
        stats[b + 1] &+= 1
        stats[b + 2] &+= Int32(score)
        if score >= 4 { stats[b + 3] &+= 1 }
        if score <= 2 { stats[b + resolvedSlot + 1] &+= 1 }
    }

    public mutating func merge(_ other: AgentAccumulator) {
        let m = stride
        var renumber = [Int64](repeating: 0, count: other.keys.keys.count)
        for (i, k) in other.keys.keys.enumerated() {
            let b = base(k)
            renumber[i] = Int64(b / m) << 32
            for j in 0..<m { stats[b + j] &+= other.stats[i * m + j] }
        }
        handling.reserveCapacity(handling.count + other.handling.count)
        for h in other.handling { handling.append(renumber[Int(h >> 32)] | (h & 0xFFFF_FFFF)) }
    }

    /// The median handling time in hours of each cohort (by cohort number; NaN without a
    /// resolved ticket), linear interpolation as for the SLA percentiles.
    func handlingMedians() -> [Double] {
        var medians = [Double](repeating: .nan, count: keys.keys.count)
        var b = handling
        Int64Sort.sort(&b)
        do {
            var i = 0
            while i < b.count {
                let cohort = Int(b[i] >> 32)
                var j = i
                while j < b.count && Int(b[j] >> 32) == cohort { j += 1 }
                // Ranks inside [i, j): h = (n − 1) / 2.
                let n = j - i
                let lo = i + (n - 1) / 2
                let x0 = Double(b[lo] & 0xFFFF_FFFF) / 3600
                let x1 = Double(b[n % 2 == 0 ? lo + 1 : lo] & 0xFFFF_FFFF) / 3600
                medians[cohort] = n % 2 == 0 ? x0 + 0.5 * (x1 - x0) : x0
                i = j
            }
        }
        return medians
    }

    /// The agent table of each week index: rows by agent name (byte order), `(unassigned)` last.
    func finish(context ctx: MetricsContext) -> [Int: AgentTable] {
        var byWeek: [Int: [Int32]] = [:]
        for (i, k) in keys.keys.enumerated() { byWeek[Int(k >> 32), default: []].append(Int32(i)) }
        let names = ticketPolicies.map { ctx.config.policies[$0].name }
        let pool = ctx.pool
        let m = stride
        let medians = handlingMedians()
        var out: [Int: AgentTable] = [:]
        for (week, cohorts) in byWeek {
            func agent(_ i: Int32) -> StrID { StrID(bitPattern: UInt32(truncatingIfNeeded: keys.keys[Int(i)])) }
            let sorted = cohorts.sorted { x, y in
                let a = agent(x)
                let b = agent(y)
                if a == .none || b == .none { return b == .none && a != .none }
                return pool.precedes(a, b)
            }
            var values: [Int32] = []
            values.reserveCapacity(sorted.count * m)
            let p50 = sorted.map { medians[Int($0)] }
            // Safe: every i is a key number, so its block i·m ..< (i + 1)·m lies in stats.
            assert(sorted.allSatisfy { (Int($0) + 1) * m <= stats.count })
            stats.withUnsafeBufferPointer { s in
                for i in sorted { values.append(contentsOf: s[Int(i) * m..<(Int(i) + 1) * m]) }
            }
            let rowNames = sorted.map { i -> String in
                let a = agent(i)
                return a == .none ? AgentTable.unassigned : pool.string(a)
            }
            var table = AgentTable(policies: names, names: rowNames, values: values, handlingP50: p50)
            if ctx.period == .month { table.lowScoreFlag = ctx.config.agentLowScoreFlag }
            out[week] = table
        }
        return out
    }
}
