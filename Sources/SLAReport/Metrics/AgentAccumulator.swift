/// Per-agent cohorts (SPEC 5 "Agents"): the tickets created in W that name an agent, with their
/// policy results and scores whenever those happened.
public struct AgentAccumulator: Sendable {
    struct Cohort: Sendable {
        var tickets = 0
        var met: [Int]
        var breached: [Int]
        var responses = 0
        var scoreSum = 0
        var satisfied = 0
    }

    /// Key: week index << 32 | agent StrID.
    var cohorts: [Int64: Cohort] = [:]
    let policyCount: Int

    public init(policyCount: Int) { self.policyCount = policyCount }

    @inline(__always)
    static func key(week: Int, agent: StrID) -> Int64 { Int64(week) << 32 | Int64(UInt32(bitPattern: agent)) }

    /// Adds a ticket created in `week` with a non-empty agent; `outcomes` in policy order.
    mutating func add(ticket t: TicketRow, createdWeek week: Int, outcomes: UnsafeBufferPointer<SLAOutcome>) {
        let n = policyCount
        let k = Self.key(week: week, agent: t.agent)
        cohorts[k, default: Cohort(met: Array(repeating: 0, count: n), breached: Array(repeating: 0, count: n))]
            .add(t, outcomes)
    }

    public mutating func merge(_ other: AgentAccumulator) {
        for (k, b) in other.cohorts {
            if var a = cohorts.removeValue(forKey: k) {
                a.tickets += b.tickets
                for p in 0..<a.met.count {
                    a.met[p] += b.met[p]
                    a.breached[p] += b.breached[p]
                }
                a.responses += b.responses
                a.scoreSum += b.scoreSum
                a.satisfied += b.satisfied
                cohorts[k] = a
            } else {
                cohorts[k] = b
            }
        }
    }

    /// Agent summaries per week index, each list sorted by agent name (byte order).
    func finish(context ctx: MetricsContext) -> [Int: [AgentSummary]] {
        var out: [Int: [AgentSummary]] = [:]
        for (k, c) in cohorts {
            let week = Int(k >> 32)
            let agent = StrID(bitPattern: UInt32(truncatingIfNeeded: k))
            var a = AgentSummary(agent: ctx.pool.string(agent))
            a.tickets = c.tickets
            a.sla = ctx.config.policies.indices.map { p in
                var r = AgentPolicyResult(policy: ctx.config.policies[p].name)
                r.met = c.met[p]
                r.breached = c.breached[p]
                if r.met + r.breached > 0 { r.attainment = Double(r.met) / Double(r.met + r.breached) }
                return r
            }
            a.responses = c.responses
            if c.responses > 0 {
                a.mean = Double(c.scoreSum) / Double(c.responses)
                a.csat = Double(c.satisfied) / Double(c.responses)
            }
            out[week, default: []].append(a)
        }
        for w in out.keys { out[w]!.sort { $0.agent.utf8.lexicographicallyPrecedes($1.agent.utf8) } }
        return out
    }
}

extension AgentAccumulator.Cohort {
    @inline(__always)
    mutating func add(_ t: TicketRow, _ outcomes: UnsafeBufferPointer<SLAOutcome>) {
        tickets += 1
        for p in 0..<outcomes.count {
            switch outcomes[p] {
            case .met: met[p] += 1
            case .breached: breached[p] += 1
            default: break
            }
        }
        if t.satisfaction >= 1 && t.satisfaction <= 5 {
            responses += 1
            scoreSum += Int(t.satisfaction)
            if t.satisfaction >= 4 { satisfied += 1 }
        }
    }
}
