/// Per-agent cohorts (SPEC 5 "Agents"): the tickets created in W that name an agent, with their
/// policy results and scores whenever those happened.
public struct AgentAccumulator: Sendable {
    /// Cohorts keyed by week index << 32 | agent StrID, numbered by `keys`; the numbers of
    /// cohort i are `stats[i * stride ..< (i + 1) * stride]`: tickets, responses, score sum,
    /// satisfied, then met and breached per policy. Flat counters instead of a dictionary of
    /// structs holding arrays: a ticket costs one cheap hash and a few additions.
    var keys = DenseKeys()
    var stats: [Int] = []
    let policyCount: Int
    var stride: Int { 4 + 2 * policyCount }

    public init(policyCount: Int) { self.policyCount = policyCount }

    @inline(__always)
    static func key(week: Int, agent: StrID) -> Int64 { Int64(week) << 32 | Int64(UInt32(bitPattern: agent)) }

    /// The offset of a cohort's counters, adding the cohort when new.
    @inline(__always)
    private mutating func base(_ key: Int64) -> Int {
        let (i, inserted) = keys.insert(key)
        if inserted { stats.append(contentsOf: repeatElement(0, count: stride)) }
        return i * stride
    }

    /// Adds a ticket created in `week` with a non-empty agent; `outcomes` in policy order.
    /// `scores`: count the ticket's satisfaction (false when a surveys table gives the scores).
    mutating func add(ticket t: TicketRow, createdWeek week: Int, outcomes: UnsafeBufferPointer<SLAOutcome>,
                      scores: Bool = true)
    {
        let b = base(Self.key(week: week, agent: t.agent))
        let n = policyCount
        stats.withUnsafeMutableBufferPointer { s in
            s[b] += 1
            for p in 0..<outcomes.count {
                switch outcomes[p] {
                case .met: s[b + 4 + p] += 1
                case .breached: s[b + 4 + n + p] += 1
                default: break
                }
            }
            if scores && t.satisfaction >= 1 && t.satisfaction <= 5 {
                s[b + 1] += 1
                s[b + 2] += Int(t.satisfaction)
                if t.satisfaction >= 4 { s[b + 3] += 1 }
            }
        }
    }

    /// Adds a survey response (score 1–5) attributed to `agent` in the response's week.
    mutating func add(response score: UInt8, agent: StrID, week: Int) {
        let b = base(Self.key(week: week, agent: agent))
        stats[b + 1] += 1
        stats[b + 2] += Int(score)
        if score >= 4 { stats[b + 3] += 1 }
    }

    public mutating func merge(_ other: AgentAccumulator) {
        let m = stride
        for (i, k) in other.keys.keys.enumerated() {
            let b = base(k)
            for j in 0..<m { stats[b + j] += other.stats[i * m + j] }
        }
    }

    /// Agent summaries per week index, each list sorted by agent name (byte order).
    func finish(context ctx: MetricsContext) -> [Int: [AgentSummary]] {
        var out: [Int: [AgentSummary]] = [:]
        let n = policyCount
        for (i, k) in keys.keys.enumerated() {
            let week = Int(k >> 32)
            let agent = StrID(bitPattern: UInt32(truncatingIfNeeded: k))
            let b = i * stride
            var a = AgentSummary(agent: ctx.pool.string(agent))
            a.tickets = stats[b]
            a.sla = ctx.ticketPolicies.map { p in
                var r = AgentPolicyResult(policy: ctx.config.policies[p].name)
                r.met = stats[b + 4 + p]
                r.breached = stats[b + 4 + n + p]
                if r.met + r.breached > 0 { r.attainment = Double(r.met) / Double(r.met + r.breached) }
                return r
            }
            a.responses = stats[b + 1]
            if a.responses > 0 {
                a.mean = Double(stats[b + 2]) / Double(a.responses)
                a.csat = Double(stats[b + 3]) / Double(a.responses)
            }
            out[week, default: []].append(a)
        }
        for w in out.keys { out[w]!.sort { $0.agent.utf8.lexicographicallyPrecedes($1.agent.utf8) } }
        return out
    }
}
