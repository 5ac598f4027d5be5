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
        self.bucketPolicy = config.policies.firstIndex { $0.name == "first_response" }
            ?? (config.policies.isEmpty ? nil : 0)
        self.complaintTypes = config.complaintTypes.reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        self.stallSeconds = config.stallHours * 3600
    }

    /// ISO week index of a UTC instant in the configured zone.
    @inline(__always)
    func week(_ t: Int64) -> Int { ISOWeek.index(utc: t, zone: zone) }

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
    var channels: [String]?
    var start: TicketTime
    var stop: TicketTime
    var target: Int64
    var business: Bool

    init(_ p: Policy) {
        types = (p.types ?? TicketType.allCases).reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        priorities = (p.priorities ?? Priority.allCases).reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        channels = p.channels
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
