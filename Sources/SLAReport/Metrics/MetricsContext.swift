/// What every accumulator of one run shares and never changes: the config resolved into
/// row-loop form (bit masks instead of arrays of enums), the zone, the business calendar,
/// as_of and the string pool (read only; rows must be interned before `finish`).
public final class MetricsContext: Sendable {
    public let config: Config
    public let zone: ZoneRules
    public let asOf: Int64
    public let pool: StringPool
    public let calendar: BusinessCalendar
    let rules: [PolicyRule]
    /// Per policy: the channels its filter accepts (nil = all). Kept out of `PolicyRule` so a rule
    /// is plain data (copying one in the row loop retains nothing).
    let ruleChannels: [[String]?]
    /// Policy whose elapsed times fill `responseBuckets`: `first_response`, else the first.
    let bucketPolicy: Int?
    /// Bit `TicketType.rawValue` set for complaint types.
    let complaintTypes: UInt32
    let stallSeconds: Double

    public init(config: Config, zone: ZoneRules, asOf: Int64, pool: StringPool) {
        self.config = config
        self.zone = zone
        self.asOf = asOf
        self.pool = pool
        self.calendar = BusinessCalendar(config.calendar, zone: zone)
        self.rules = config.policies.map(PolicyRule.init)
        self.ruleChannels = config.policies.map(\.channels)
        self.bucketPolicy = config.policies.firstIndex { $0.name == "first_response" }
            ?? (config.policies.isEmpty ? nil : 0)
        self.complaintTypes = config.complaintTypes.reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        self.stallSeconds = config.stallHours * 3600
        (weekTableStart, weekTableEnd, weekTable) = Self.weekTable(zone: zone, asOf: asOf)
    }

    /// ISO week index of a UTC instant in the configured zone.
    @inline(__always)
    func week(_ t: Int64) -> Int {
        if t >= weekTableStart && t < weekTableEnd {
            let w = weekTable[Int((t - weekTableStart) / 3600)]
            if w != Int32.min { return Int(w) }
        }
        return ISOWeek.index(utc: t, zone: zone)
    }

    /// `week` by UTC hour for the three years up to as_of (where the rows are): the week of each
    /// hour, or Int32.min when it changes inside the hour (a week boundary off the UTC hour grid,
    /// or an offset change), which then takes the zone lookup. Every row asks for its week,
    /// several times; a search of the zone's transitions per ask was a tenth of the metrics.
    private let weekTable: [Int32]
    private let weekTableStart: Int64
    private let weekTableEnd: Int64

    private static func weekTable(zone: ZoneRules, asOf: Int64) -> (start: Int64, end: Int64, table: [Int32]) {
        let hours = 3 * 366 * 24 + 8 * 24
        // Whole UTC hours, from three years before as_of to a week after; none for absurd as_of.
        guard asOf > Int64.min / 2 && asOf < Int64.max / 2 else { return (0, 0, []) }
        let end = (asOf / 3600 + 7 * 24) * 3600
        let start = end - Int64(hours) * 3600
        let tr = zone.transitionsUTC
        // ISOWeek.index(utc:zone:) with the offset already known.
        func week(_ t: Int64, _ off: Int64) -> Int {
            let l = t + off
            let day = Int((l >= 0 ? l : l - 86_399) / 86_400)
            return (day - (CivilDate.weekday(day) - 1) + 3) / 7
        }
        var table = [Int32](repeating: Int32.min, count: hours)
        var next = 0  // transitions <= the hour's start (ZoneRules.offset(atUTC:) uses offsets[next])
        for h in 0..<hours {
            let a = start + Int64(h) * 3600
            let b = a + 3599
            while next < tr.count && tr[next] <= a { next += 1 }
            // An offset change inside (a, b] makes the local clock jump there: not uniform.
            if next < tr.count && tr[next] <= b { continue }
            // One offset for the whole hour: the local clock runs monotonic, so the week is the
            // same throughout when it is at both ends.
            let off = Int64(zone.offsets[next])
            let wa = week(a, off)
            if wa == week(b, off), let w = Int32(exactly: wa) { table[h] = w }
        }
        return (start, start + Int64(hours) * 3600, table)
    }

    @inline(__always)
    func isComplaint(_ t: TicketType) -> Bool { complaintTypes & (1 << UInt32(t.rawValue)) != 0 }

    /// Elapsed seconds on a policy's clock (0 when `to <= from`).
    @inline(__always)
    func elapsed(_ rule: PolicyRule, from: Int64, to: Int64) -> Int64 {
        if rule.business { return calendar.businessSeconds(from: from, to: to) }
        return to > from ? to - from : 0
    }

    /// The outcome of one policy for one ticket (SPEC 5). `channelOK` is the policy's channel
    /// filter already applied to the ticket's channel.
    @inline(__always)
    func evaluate(_ p: Int, _ t: TicketRow, channelOK: Bool) -> SLAOutcome {
        let rule = rules[p]
        guard channelOK, rule.types & (1 << UInt32(t.type.rawValue)) != 0,
              rule.priorities & (1 << UInt32(t.priority.rawValue)) != 0
        else { return .notApplicable }
        let start = t.times[rule.start]
        if start == .missing { return .notApplicable }
        let stop = t.times[rule.stop]
        if stop != .missing {
            if stop < start { return .invalid(start: start) }
            let e = elapsed(rule, from: start, to: stop)
            return e <= rule.target ? .met(start: start, stop: stop, elapsed: e)
                : .breached(start: start, stop: stop, elapsed: e)
        }
        let e = elapsed(rule, from: start, to: asOf)
        return e > rule.target ? .breached(start: start, stop: .missing, elapsed: e)
            : .pending(start: start)
    }
}

/// A policy in row-loop form.
struct PolicyRule: Sendable {
    var types: UInt32
    var priorities: UInt32
    var start: TicketTime
    var stop: TicketTime
    var target: Int64
    var business: Bool

    init(_ p: Policy) {
        types = (p.types ?? TicketType.allCases).reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        priorities = (p.priorities ?? Priority.allCases).reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        start = p.start
        stop = p.stop
        target = p.targetSeconds
        business = p.clock == .business
    }
}

/// One policy's result for one ticket.
enum SLAOutcome: Sendable {
    /// Filters do not match or the start is missing.
    case notApplicable
    /// Stop before start: not eligible, counted in `invalid_durations`.
    case invalid(start: Int64)
    case met(start: Int64, stop: Int64, elapsed: Int64)
    /// `stop == .missing` for an open clock past its target at as_of (elapsed to as_of).
    case breached(start: Int64, stop: Int64, elapsed: Int64)
    case pending(start: Int64)
}
