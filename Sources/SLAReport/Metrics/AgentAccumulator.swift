/// Per-agent cohorts (SPEC 5 "Agents"): the tickets created in W by agent — those without an
/// agent as one more cohort, `(unassigned)` — with their ticket-policy results and scores
/// whenever those happened.
public struct AgentAccumulator: Sendable {
    /// Cohorts keyed by week index << 32 | agent StrID (`.none` for the unassigned tickets),
    /// numbered by `keys`; the numbers of cohort i are `stats[i * stride ..< (i + 1) * stride]`:
    /// tickets, responses, score sum, satisfied, then met and breached of each ticket policy.
    /// Flat 32-bit counters, only for the ticket policies (agents are measured on tickets): a
    /// ticket costs one cheap hash and a few additions, and a million agents about 100 MB.
    var keys = DenseKeys()
    var stats: [Int32] = []
    /// Policy indices (config order) of the ticket policies.
    let ticketPolicies: [Int]
    var stride: Int { 4 + 2 * ticketPolicies.count }

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

    /// Adds a ticket created in `week` (its agent may be `.none`); `outcomes` by policy index.
    /// `scores`: count the ticket's satisfaction (false when a surveys table gives the scores).
    mutating func add(ticket t: TicketRow, createdWeek week: Int, outcomes: UnsafeBufferPointer<SLAOutcome>,
                      scores: Bool = true)
    {
        let b = base(Self.key(week: week, agent: t.agent))
        let policies = ticketPolicies
        stats.withUnsafeMutableBufferPointer { s in
            s[b] &+= 1
            for k in policies.indices {
                switch outcomes[policies[k]] {
                case .met: s[b + 4 + 2 * k] &+= 1
                case .breached: s[b + 5 + 2 * k] &+= 1
                default: break
                }
            }
            if scores && t.satisfaction >= 1 && t.satisfaction <= 5 {
                s[b + 1] &+= 1
                s[b + 2] &+= Int32(t.satisfaction)
                if t.satisfaction >= 4 { s[b + 3] &+= 1 }
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
    }

    public mutating func merge(_ other: AgentAccumulator) {
        let m = stride
        for (i, k) in other.keys.keys.enumerated() {
            let b = base(k)
            for j in 0..<m { stats[b + j] &+= other.stats[i * m + j] }
        }
    }

    /// The agent table of each week index: rows by agent name (byte order), `(unassigned)` last.
    func finish(context ctx: MetricsContext) -> [Int: AgentTable] {
        var byWeek: [Int: [Int32]] = [:]
        for (i, k) in keys.keys.enumerated() { byWeek[Int(k >> 32), default: []].append(Int32(i)) }
        let names = ticketPolicies.map { ctx.config.policies[$0].name }
        let pool = ctx.pool
        let m = stride
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
            stats.withUnsafeBufferPointer { s in
                for i in sorted { values.append(contentsOf: s[Int(i) * m ..< (Int(i) + 1) * m]) }
            }
            let rowNames = sorted.map { i -> String in
                let a = agent(i)
                return a == .none ? AgentTable.unassigned : pool.string(a)
            }
            out[week] = AgentTable(policies: names, names: rowNames, values: values)
        }
        return out
    }
}
