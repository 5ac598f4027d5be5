import SLAFast
import SLAModel

/// What every accumulator of one run shares and never changes: the config resolved into
/// row-loop form (bit masks instead of arrays of enums), the zone, the business calendar,
/// as_of and the string pool (read only; rows must be interned before `finish`).
public final class MetricsContext: Sendable {
    public let config: Config
    public let zone: ZoneRules
    public let asOf: Int64
    public let pool: StringPool
    /// The pool of the logistics rows' ids (tracking number, carrier): the pipeline merges
    /// tracking events apart from the other tables; `pool` when they share it.
    public let eventPool: StringPool
    /// `[breakdowns] by` lists `carrier`.
    let carrierCut: Bool
    public let calendar: BusinessCalendar
    let rules: [PolicyRule]
    /// The filters of all rules (`PolicyRule.filters`/`excludes` are ranges in it) and the string
    /// ids they accept (`FilterRule.ids`). Kept out of `PolicyRule` so a rule is plain data
    /// (copying one in the row loop retains nothing).
    let filters: [FilterRule]
    let filterIDs: [StrID]
    /// Policies by table, in config order.
    let ticketPolicies: [Int]
    let orderPolicies: [Int]
    let surveyPolicies: [Int]
    /// Extra values of the rows (per table).
    let extras: [Table: ExtraStore]
    /// Satisfaction comes from the surveys table (at least one surveys file was read).
    public let surveysGiven: Bool
    /// Policy whose elapsed times fill `responseBuckets`: `first_response`, else the first.
    let bucketPolicy: Int?
    /// Bit `TicketType.rawValue` set for complaint types.
    let complaintTypes: UInt32
    let stallSeconds: Double

    /// Policy name → the column missing from every file of its table (the policy is not computed).
    public let skippedColumn: [String: String]

    /// Weeks or months: every "week" of the accumulators is a period of this kind.
    public let period: PeriodKind

    /// `skipped`: policies not computed, with the missing column. `period`: the accumulators'
    /// buckets are ISO weeks or calendar months (the same metrics either way).
    public init(
        config: Config, zone: ZoneRules, asOf: Int64, pool: StringPool, extras: [Table: ExtraStore] = [:],
        skipped: [String: String] = [:], surveysGiven: Bool = false, period: PeriodKind = .week,
        eventPool: StringPool? = nil
    ) {
        self.period = period
        self.eventPool = eventPool ?? pool
        self.carrierCut = config.breakdowns.byCarrier
        self.config = config
        self.zone = zone
        self.asOf = asOf
        self.pool = pool
        self.calendar = BusinessCalendar(config.calendar, zone: zone)
        self.extras = extras
        self.surveysGiven = surveysGiven
        self.skippedColumn = skipped
        var filters: [FilterRule] = []
        var ids: [StrID] = []
        self.rules = config.policies.map { p in
            PolicyRule(p, config: config, skipped: skipped[p.name] != nil, pool: pool, filters: &filters, ids: &ids)
        }
        self.filters = filters
        self.filterIDs = ids
        ticketPolicies = config.policies.indices.filter { config.policies[$0].table == .tickets }
        orderPolicies = config.policies.indices.filter { config.policies[$0].table == .orders }
        surveyPolicies = config.policies.indices.filter { config.policies[$0].table == .surveys }
        self.bucketPolicy =
            config.policies.firstIndex { $0.name == "first_response" && $0.table == .tickets }
            ?? ticketPolicies.first
        self.complaintTypes = config.complaintTypes.reduce(0) { $0 | (1 << UInt32($1.rawValue)) }
        self.stallSeconds = config.stallHours * 3600
        (weekTableStart, weekTableEnd, weekTable) = Self.weekTable(zone: zone, asOf: asOf, period: period)
    }

    /// The period index (ISO week, or calendar month) of a UTC instant in the configured zone.
    /// Named `week` because weeks came first; every accumulator buckets by it.
    @inline(__always)
    func week(_ t: Int64) -> Int {
        if t >= weekTableStart && t < weekTableEnd {
            let w = weekTable[Int((t - weekTableStart) / 3600)]
            if w != Int32.min { return Int(w) }
        }
        return period == .week ? ISOWeek.index(utc: t, zone: zone) : CalendarMonth.index(utc: t, zone: zone)
    }

    /// `week` by UTC hour for the three years up to as_of (where the rows are): the week of each
    /// hour, or Int32.min when it changes inside the hour (a week boundary off the UTC hour grid,
    /// or an offset change), which then takes the zone lookup. Every row asks for its week,
    /// several times; a search of the zone's transitions per ask was a tenth of the metrics.
    private let weekTable: [Int32]
    private let weekTableStart: Int64
    private let weekTableEnd: Int64

    private static func weekTable(zone: ZoneRules, asOf: Int64, period: PeriodKind)
        -> (start: Int64, end: Int64, table: [Int32])
    {
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
            if period == .month { return CalendarMonth(day: day).index }
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

    /// The outcome of policy `p` for a row of its table (SPEC 5): filters, start, then the
    /// deadline (due column or target on the policy's clock) against the stop or as_of.
    @inline(__always)
    func evaluate<R: MeasuredRow>(_ p: Int, _ row: R) -> SLAOutcome {
        let rule = rules[p]
        if rule.skipped { return .notApplicable }
        var i = Int(rule.filterStart)
        let whenEnd = i + Int(rule.whenCount)
        while i < whenEnd {
            if !matches(filters[i], row) { return .notApplicable }
            i += 1
        }
        let end = whenEnd + Int(rule.unlessCount)
        while i < end {
            if matches(filters[i], row) { return .notApplicable }
            i += 1
        }
        let start = time(rule.start, row)
        if start == .missing { return .notApplicable }
        let stop = time(rule.stop, row)
        if rule.due.kind != FieldRef.none {
            let due = time(rule.due, row)
            if due == .missing { return .missingDue(start: start) }
            if stop != .missing {
                if stop < start { return .invalid(start: start) }
                let e = stop - start
                return stop <= due
                    ? .met(start: start, stop: stop, elapsed: e)
                    : .breached(start: start, stop: stop, elapsed: e, due: due)
            }
            return asOf > due
                ? .breached(start: start, stop: .missing, elapsed: max(0, asOf - start), due: due)
                : .pending(start: start, due: due)
        }
        if stop != .missing {
            if stop < start { return .invalid(start: start) }
            let e = elapsed(rule, from: start, to: stop)
            return e <= rule.target
                ? .met(start: start, stop: stop, elapsed: e)
                : .breached(start: start, stop: stop, elapsed: e, due: .missing)
        }
        let e = elapsed(rule, from: start, to: asOf)
        return e > rule.target
            ? .breached(start: start, stop: .missing, elapsed: e, due: .missing)
            : .pending(start: start, due: .missing)
    }

    /// A due policy's deadline for a row: its due column's value (`.missing` when empty); nil
    /// for a target policy.
    func dueValue<R: MeasuredRow>(_ p: Int, _ row: R) -> Int64? {
        let rule = rules[p]
        return rule.due.kind == FieldRef.none ? nil : time(rule.due, row)
    }

    /// The instant a target policy's time runs out for a start (on its clock).
    func deadline(policy p: Int, start: Int64) -> Int64 {
        let rule = rules[p]
        if rule.business { return calendar.due(start: start, businessSeconds: rule.target) }
        return start &+ rule.target
    }

    @inline(__always)
    private func time<R: MeasuredRow>(_ f: FieldRef, _ row: R) -> Int64 {
        f.kind == FieldRef.extra ? extraValue(R.table, row.extra, Int(f.slot)) : row.time(Int(f.slot))
    }

    /// Slot `k` of a row's extra values (rare: only policies on extra columns get here).
    func extraValue(_ table: Table, _ e: ExtraIndex, _ k: Int) -> Int64 {
        (extras[table] ?? ExtraStore()).value(e, k)
    }

    @inline(__always)
    private func matches<R: MeasuredRow>(_ f: FilterRule, _ row: R) -> Bool {
        if f.isEnum { return f.enumMask & (1 << UInt64(row.value(Int(f.field.slot)))) != 0 }
        let v =
            f.field.kind == FieldRef.extra
            ? StrID(truncatingIfNeeded: extraValue(R.table, row.extra, Int(f.field.slot)))
            : StrID(row.value(Int(f.field.slot)))
        var k = Int(f.idStart)
        let end = k + Int(f.idCount)
        while k < end {
            if filterIDs[k] == v { return true }
            k += 1
        }
        return false
    }
}

/// Where a policy reads a column of its table's rows: a canonical timestamp or text slot
/// (`MeasuredRow`), or an extra slot (`ExtraStore`).
struct FieldRef: Sendable {
    static let none: UInt8 = 0
    static let time: UInt8 = 1
    static let value: UInt8 = 2
    static let extra: UInt8 = 3
    var kind: UInt8 = FieldRef.none
    var slot: Int32 = 0
}

/// A `when`/`unless` filter in row-loop form: an enum column as a bit mask of raw values, a
/// text column as a range of accepted string ids.
struct FilterRule: Sendable {
    var field: FieldRef
    var isEnum: Bool
    var enumMask: UInt64
    var idStart: Int32
    var idCount: Int32
}

/// A policy in row-loop form.
struct PolicyRule: Sendable {
    var start: FieldRef
    var stop: FieldRef
    var due: FieldRef
    var target: Int64
    var business: Bool
    var skipped: Bool
    var filterStart: Int32
    var whenCount: Int32
    var unlessCount: Int32

    init(_ p: Policy, config: Config, skipped: Bool, pool: StringPool, filters: inout [FilterRule], ids: inout [StrID])
    {
        let extras = config.tables[p.table]?.extras ?? []
        func ref(_ column: String) -> FieldRef {
            if let k = extras.firstIndex(where: { $0.name == column }) {
                return FieldRef(kind: FieldRef.extra, slot: Int32(k))
            }
            if let s = MeasuredColumns.timeSlot(p.table, column) {
                return FieldRef(kind: FieldRef.time, slot: Int32(s))
            }
            if let s = MeasuredColumns.valueSlot(p.table, column) {
                return FieldRef(kind: FieldRef.value, slot: Int32(s))
            }
            preconditionFailure("policy \(p.name): column \(column) was not checked at config load")
        }
        start = ref(p.start)
        stop = ref(p.stop)
        due = p.due.map(ref) ?? FieldRef()
        target = p.targetSeconds
        business = p.clock == .business && p.due == nil
        self.skipped = skipped
        filterStart = Int32(filters.count)
        func compile(_ f: ColumnFilter) -> FilterRule {
            let field = ref(f.column)
            if let e = MeasuredColumns.enumValues(p.table, f.column) {
                var mask: UInt64 = 0
                for v in f.values {
                    let t = v.configTrimmed().lowercased()
                    if t.isEmpty { mask |= 1 } else if let raw = e(t) { mask |= 1 << UInt64(raw) }
                }
                return FilterRule(field: field, isEnum: true, enumMask: mask, idStart: 0, idCount: 0)
            }
            let begin = ids.count
            for v in f.values {
                let t = v.configTrimmed()
                if t.isEmpty { ids.append(.none) } else if let id = pool.lookup(t) { ids.append(id) }
            }
            return FilterRule(
                field: field, isEnum: false, enumMask: 0, idStart: Int32(begin), idCount: Int32(ids.count - begin))
        }
        for f in p.when { filters.append(compile(f)) }
        for f in p.unless { filters.append(compile(f)) }
        whenCount = Int32(p.when.count)
        unlessCount = Int32(p.unless.count)
    }
}

/// One policy's result for one row.
package enum SLAOutcome: Sendable {
    /// Filters do not match or the start is missing.
    case notApplicable
    /// A due policy's row without its due value: counted in `missing_due` only.
    case missingDue(start: Int64)
    /// Stop before start: not eligible, counted in `invalid_durations`.
    case invalid(start: Int64)
    case met(start: Int64, stop: Int64, elapsed: Int64)
    /// `stop == .missing` for an open clock past its deadline at as_of (elapsed to as_of).
    /// `due`: the due column's value for a due policy, `.missing` for a target policy.
    case breached(start: Int64, stop: Int64, elapsed: Int64, due: Int64)
    /// An open clock not yet past its deadline at as_of; `due` as for `breached`.
    case pending(start: Int64, due: Int64)

    /// The start of an applicable outcome, nil for `notApplicable`.
    package var start: Int64? {
        switch self {
        case .notApplicable: return nil
        case .missingDue(let s), .invalid(let s), .met(let s, _, _), .breached(let s, _, _, _), .pending(let s, _):
            return s
        }
    }
}
