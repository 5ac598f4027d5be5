import SLAFast

/// The agents of one period (SPEC 5 "Agents"), in summary.json's order: by name in byte order,
/// the `(unassigned)` row (tickets without an agent) last.
///
/// A period can hold a million agents, so the metrics keep them as counters only — a name and
/// 4 + 2 × (ticket policies) 32-bit counts per agent, about 100 bytes with ten policies — and
/// `AgentSummary` values are made one at a time by the renderers (`self[i]`). A table built from
/// summaries (`init(_:)`, tests and hand-made reports) keeps them as they are.
public struct AgentTable: Sendable, Equatable {
    /// The name of the row of tickets without an agent.
    public static let unassigned = "(unassigned)"

    /// Counters per row: tickets, responses, score sum, satisfied (4–5), then met and breached
    /// of each ticket policy (`policies`, config order), then resolved and low scores (1–2).
    struct Counts: Sendable {
        var policies: [String]
        var names: [String]
        var values: [Int32]
        /// Median handling hours per row (NaN: no resolved ticket).
        var handlingP50: [Double]
        var stride: Int { AgentTable.stride(policies: policies.count) }
    }

    /// Counters per row for this many ticket policies.
    package static func stride(policies: Int) -> Int { 6 + 2 * policies }

    /// In month tables, the low-score count above which a row is flagged; nil in week tables.
    public var lowScoreFlag: Int? = nil

    enum Storage: Sendable {
        case summaries([AgentSummary])
        case counts(Counts)
    }

    var storage: Storage

    public init() { storage = .summaries([]) }

    /// A table of these summaries, in the order given.
    public init(_ summaries: [AgentSummary]) { storage = .summaries(summaries) }

    /// A table of counters (rows in the table's order, `stride` values each).
    package init(policies: [String], names: [String], values: [Int32], handlingP50: [Double]) {
        let c = Counts(policies: policies, names: names, values: values, handlingP50: handlingP50)
        assert(values.count == names.count * c.stride && handlingP50.count == names.count)
        storage = .counts(c)
    }

    public var count: Int {
        switch storage {
        case .summaries(let s): return s.count
        case .counts(let c): return c.names.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Row `i` as a summary (made on demand from the counters).
    public subscript(i: Int) -> AgentSummary {
        switch storage {
        case .summaries(let s):
            var a = s[i]
            if let f = lowScoreFlag { a.lowScoreFlagged = a.lowScores > f }
            return a
        case .counts(let c):
            let b = i * c.stride
            let v = c.values
            var a = AgentSummary(agent: c.names[i])
            a.tickets = Int(v[b])
            a.sla = c.policies.indices.map { k in
                var r = AgentPolicyResult(policy: c.policies[k])
                r.met = Int(v[b + 4 + 2 * k])
                r.breached = Int(v[b + 5 + 2 * k])
                if r.met + r.breached > 0 { r.attainment = Double(r.met) / Double(r.met + r.breached) }
                return r
            }
            a.responses = Int(v[b + 1])
            if a.responses > 0 {
                a.mean = Double(v[b + 2]) / Double(a.responses)
                a.csat = Double(v[b + 3]) / Double(a.responses)
            }
            let r = b + 4 + 2 * c.policies.count
            a.resolved = Int(v[r])
            a.lowScores = Int(v[r + 1])
            let p50 = c.handlingP50[i]
            a.handlingP50Hours = p50.isNaN ? nil : p50
            if let f = lowScoreFlag { a.lowScoreFlagged = a.lowScores > f }
            return a
        }
    }

    /// Every row as a summary (for small tables: a million agents make a million summaries).
    public var summaries: [AgentSummary] {
        switch storage {
        case .summaries(let s) where lowScoreFlag == nil: return s
        default: return (0..<count).map { self[$0] }
        }
    }

    /// Row `i`'s name.
    public func name(_ i: Int) -> String {
        switch storage {
        case .summaries(let s): return s[i].agent
        case .counts(let c): return c.names[i]
        }
    }

    /// Row `i`'s low scores (1–2), without making its summary.
    func lowScores(_ i: Int) -> Int {
        switch storage {
        case .summaries(let s): return s[i].lowScores
        case .counts(let c): return Int(c.values[i * c.stride + 5 + 2 * c.policies.count])
        }
    }

    /// The flagged rows of a month table (more low scores than `lowScoreFlag`): most low scores
    /// first, then name; empty in week tables.
    public func flagged() -> [(name: String, lowScores: Int)] {
        guard let f = lowScoreFlag else { return [] }
        var out: [(name: String, lowScores: Int)] = []
        for i in 0..<count where lowScores(i) > f { out.append((name(i), lowScores(i))) }
        return out.sorted {
            $0.lowScores != $1.lowScores
                ? $0.lowScores > $1.lowScores : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
        }
    }

    /// Row `i`'s met and breached over all its ticket-policy results.
    func totals(_ i: Int) -> (met: Int, breached: Int) {
        switch storage {
        case .summaries(let s):
            return (s[i].sla.reduce(0) { $0 + $1.met }, s[i].sla.reduce(0) { $0 + $1.breached })
        case .counts(let c):
            let b = i * c.stride
            var met = 0
            var breached = 0
            for k in c.policies.indices {
                met += Int(c.values[b + 4 + 2 * k])
                breached += Int(c.values[b + 5 + 2 * k])
            }
            return (met, breached)
        }
    }

    /// Row numbers worst first (see `AgentOrder`).
    public func worstFirst() -> [Int] {
        let keys = (0..<count).map { i -> AgentOrder.Key in
            let t = totals(i)
            return AgentOrder.Key(
                attainment: t.met + t.breached > 0 ? Double(t.met) / Double(t.met + t.breached) : nil,
                breached: t.breached)
        }
        return (0..<count).sorted { x, y in
            AgentOrder.precedes(keys[x], name(x), keys[y], name(y))
        }
    }

    public static func == (a: AgentTable, b: AgentTable) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }
}

/// The order agents are listed in agents.csv and the reports (summary.json lists them by name):
/// worst first — attainment over all their ticket-policy results ascending (agents without any
/// result last), then breaches descending, then name in byte order.
public enum AgentOrder {
    struct Key {
        var attainment: Double?
        var breached: Int
    }

    static func precedes(_ x: Key, _ xName: String, _ y: Key, _ yName: String) -> Bool {
        switch (x.attainment, y.attainment) {
        case (let a?, let b?) where a != b: return a < b
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        if x.breached != y.breached { return x.breached > y.breached }
        return xName.utf8.lexicographicallyPrecedes(yName.utf8)
    }

    public static func worstFirst(_ agents: [AgentSummary]) -> [AgentSummary] {
        let t = AgentTable(agents)
        return t.worstFirst().map { agents[$0] }
    }
}
