import SLAFast

/// The run configuration (SPEC 4) as plain values. `Config.defaults` is SPEC 1 as data; loading
/// from TOML lives in Config/ConfigLoader.swift.

public enum Clock: String, Sendable, Equatable {
    case wallClock = "24x7"
    case business = "business"
}

public enum ReportLanguage: String, Sendable, Equatable, CaseIterable {
    case en, zh
}

public enum EncodingChoice: String, Sendable, Equatable {
    case auto = "auto"
    case utf8 = "utf-8"
    case gb18030 = "gb18030"
}

/// A filter of a policy: the row's value of `column` is one of `values` (enum values by meaning,
/// English or Chinese; text byte for byte after trimming; "" = empty).
public struct ColumnFilter: Sendable, Equatable {
    public var column: String
    public var values: [String]
    public init(column: String, values: [String]) {
        self.column = column
        self.values = values
    }
}

/// A service promise measured per row of a table: from `start` to `stop` within `target` on the
/// policy's clock, or by the row's own deadline column `due`.
public struct Policy: Sendable, Equatable {
    public var name: String
    public var label: String
    /// The table whose rows are measured: tickets, orders or surveys.
    /// (`when` and `unless` are kept sorted by column, so equal policies compare equal.)
    public var table: Table = .tickets
    /// Every filter must match (`when`), none of `unless` may.
    public var when: [ColumnFilter] = []
    public var unless: [ColumnFilter] = []
    /// Timestamp columns of the table (canonical or extra).
    public var start: String
    public var stop: String
    /// A deadline column instead of a target; nil for a target policy.
    public var due: String? = nil
    /// The target as written ("72h", "3bd"); "" for a due policy.
    public var targetText: String
    /// Target in seconds of the policy's clock (business seconds for `clock = business`); 0 for
    /// a due policy.
    public var targetSeconds: Int64
    public var clock: Clock
    /// This policy's attainment goal; nil = the config's `attainment_goal`.
    public var goal: Double? = nil

    public init(
        name: String, label: String, table: Table = .tickets, when: [ColumnFilter] = [],
        unless: [ColumnFilter] = [], start: String, stop: String, due: String? = nil,
        targetText: String, targetSeconds: Int64, clock: Clock, goal: Double? = nil
    ) {
        self.name = name
        self.label = label
        self.table = table
        self.when = when
        self.unless = unless
        self.start = start
        self.stop = stop
        self.due = due
        self.targetText = targetText
        self.targetSeconds = targetSeconds
        self.clock = clock
        self.goal = goal
    }

    /// A ticket policy with the v1 filters (type, priority, channel).
    public init(
        name: String, label: String, types: [TicketType]? = nil, priorities: [Priority]? = nil,
        channels: [String]? = nil, start: TicketTime, stop: TicketTime, targetText: String,
        targetSeconds: Int64, clock: Clock
    ) {
        var when: [ColumnFilter] = []
        if let types { when.append(ColumnFilter(column: "type", values: types.map(\.name))) }
        if let priorities { when.append(ColumnFilter(column: "priority", values: priorities.map(\.name))) }
        if let channels { when.append(ColumnFilter(column: "channel", values: channels)) }
        self.init(
            name: name, label: label, when: when.sorted { $0.column < $1.column }, start: start.column,
            stop: stop.column, targetText: targetText, targetSeconds: targetSeconds, clock: clock)
    }

    /// The `when` values of one column, nil when it has no filter.
    public func filter(_ column: String) -> [String]? { when.first { $0.column == column }?.values }

    public var types: [TicketType]? {
        filter("type").map {
            $0.compactMap { v in TicketType.allCases.first { $0.name == v || $0.chinese.contains(v) } }
        }
    }
    public var priorities: [Priority]? {
        filter("priority").map {
            $0.compactMap { v in Priority.allCases.first { $0.name == v || $0.chinese.contains(v) } }
        }
    }
    public var channels: [String]? {
        get { filter("channel") }
        set {
            when.removeAll { $0.column == "channel" }
            if let newValue { when.append(ColumnFilter(column: "channel", values: newValue)) }
            when.sort { $0.column < $1.column }
        }
    }

    /// Hours of the target; nil for a due policy.
    public var targetHours: Double? { due == nil ? Double(targetSeconds) / 3600 : nil }
}

/// The type of an `[tables.*.extra]` column.
public enum ExtraType: String, Sendable, Equatable, CaseIterable {
    case string, timestamp, int, decimal
}

/// A column beyond the built-in ones, declared in `[tables.<table>.extra]`.
public struct ExtraColumn: Sendable, Equatable {
    public var name: String
    /// The header it is read from, as written in the config.
    public var header: String
    public var type: ExtraType
    public init(name: String, header: String, type: ExtraType) {
        self.name = name
        self.header = header
        self.type = type
    }
}

/// `[tables.<table>]`: how one table's exports are found and read.
public struct TableConfig: Sendable, Equatable {
    /// More file-name globs for folder scans (case-insensitive, on the base name).
    public var files: [String] = []
    public var encoding: EncodingChoice? = nil
    public var delimiter: UInt8? = nil
    /// Column (canonical or extra) → header as written.
    public var columns: [String: String] = [:]
    public var extras: [ExtraColumn] = []
    /// Column → constant for files that lack it or rows that leave it empty.
    public var defaults: [String: String] = [:]
    public init() {}
}

/// Business calendar (SPEC 3). Minutes are minutes after local midnight; days are days since
/// 1970-01-01 in the local calendar; weekdays are ISO (1 = Monday … 7 = Sunday).
public struct CalendarConfig: Sendable, Equatable {
    public struct Interval: Sendable, Equatable {
        public var startMinute: Int
        public var endMinute: Int
        public init(startMinute: Int, endMinute: Int) {
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
    }
    public var businessHours: [Interval] = [Interval(startMinute: 9 * 60, endMinute: 18 * 60)]
    public var workdays: Set<Int> = [1, 2, 3, 4, 5]
    public var holidays: Set<Int> = []
    public var extraWorkdays: Set<Int> = []
    public init() {}

    /// Seconds of business time in one business day.
    public var businessDaySeconds: Int64 {
        Int64(businessHours.reduce(0) { $0 + ($1.endMinute - $1.startMinute) }) * 60
    }
}

public struct AlertConfig: Sendable, Equatable {
    /// A product needs at least this many complaints in the period…
    public var productComplaints: Int = 3
    /// …and, when it has orders in the period, a complaint rate ≥ this × the period's overall rate.
    public var productRateRatio: Double = 2.0
    /// A merchant's complaint rate must be ≥ this × the period's overall rate…
    public var merchantRateRatio: Double = 2.0
    /// …and ≥ this absolute floor (0 = off).
    public var merchantComplaintRate: Double = 0.0
    public var merchantMinOrders: Int = 50
    public var categorySpikeRatio: Double = 2.0
    public var categorySpikeMin: Int = 10
    public init() {}
}

public struct Config: Sendable, Equatable {
    public var timezone: String = "UTC"
    public var lang: ReportLanguage = .en
    public var input: String = "sample-data"
    public var out: String = "reports"
    public var maxRejectRate: Double = 0.05
    public var encoding: EncodingChoice = .auto
    /// Field separator of CSV files (.tsv files are always tab-separated).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var csvBOM: Bool = true
    /// Write `items.csv.gz`, one row per clock (row and policy) over all periods (opt-in: a
    /// year holds millions). Left out of the config hash: it changes no number.
    public var exportItems: Bool = false
    /// The periods reported: ISO weeks and/or calendar months.
    public var periods: [PeriodKind] = [.week, .month]
    /// The goal of every policy without its own (green/red in reports).
    public var attainmentGoal: Double = 0.95
    /// Timestamps before this local date are rejected as out of range (days since 1970-01-01).
    public var validFrom: Int = CivilDate.days(year: 2000, month: 1, day: 1)
    /// `[tables.*]`, by table; absent = built-in columns and aliases only.
    public var tables: [Table: TableConfig] = [:]
    public var topN: Int = 3
    /// `[breakdowns]`: the cuts reported and how many values each shows before "(other)".
    public var breakdowns = BreakdownConfig()
    public var complaintTypes: [TicketType] = [.return, .exchange, .repair, .refund, .complaint]
    public var stallHours: Double = 24
    /// Repeat contacts: a ticket is a repeat when its order had another ticket resolved at most
    /// this long (seconds) before it was created (`repeat_window`, default 7 days).
    public var repeatWindowSeconds: Int64 = 7 * 86_400
    /// `repeat_window` as written ("7d"), for the reports and the config hash.
    public var repeatWindowText: String = "7d"
    /// `[agents]`: month reports flag an agent with more low scores (1–2) than this in the month.
    public var agentLowScoreFlag: Int = 3
    public var calendar = CalendarConfig()
    public var alerts = AlertConfig()
    /// Extra header aliases: normalised header name → canonical column.
    public var aliases: [String: String] = [:]
    public var policies: [Policy] = Config.defaultPolicies
    /// Where this config came from ("built-in" or a path).
    public var source: String = "built-in"
    /// Lines of some keys in the config file, for errors found after loading ("tables.orders.files").
    public var keyLines: [String: Int] = [:]

    /// The `[tables.*] files` globs by table.
    public var fileGlobs: [Table: [String]] { tables.compactMapValues { $0.files.isEmpty ? nil : $0.files } }

    public init() {}

    public static let defaults = Config()

    /// SPEC 1 / SPEC 4: the default policies, in this order.
    public static let defaultPolicies: [Policy] = [
        Policy(
            name: "first_response", label: "First response within 24 h / 24小时内首次响应",
            start: .createdAt, stop: .firstResponseAt, targetText: "24h", targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(
            name: "repair_fault_confirm", label: "Repair: fault type confirmed within 24 h / 24小时内确认故障类型",
            types: [.repair], start: .createdAt, stop: .faultConfirmedAt, targetText: "24h",
            targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(
            name: "repair_plan", label: "Repair plan within 72 h / 72小时内给出维修方案",
            types: [.repair], start: .createdAt, stop: .repairPlanAt, targetText: "72h",
            targetSeconds: 72 * 3600, clock: .wallClock),
        Policy(
            name: "complaint_normal", label: "Normal complaint handled within 1 h / 普通投诉1小时内处理",
            types: [.complaint], priorities: [.normal], start: .createdAt, stop: .firstResponseAt,
            targetText: "1h", targetSeconds: 3600, clock: .wallClock),
        Policy(
            name: "complaint_urgent", label: "Urgent complaint handled within 4 h / 紧急投诉4小时内处理",
            types: [.complaint], priorities: [.urgent], start: .createdAt, stop: .firstResponseAt,
            targetText: "4h", targetSeconds: 4 * 3600, clock: .wallClock),
        Policy(
            name: "complaint_major", label: "Major complaint handled within 24 h / 重大投诉24小时内处理",
            types: [.complaint], priorities: [.major], start: .createdAt, stop: .firstResponseAt,
            targetText: "24h", targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(
            name: "escalation", label: "Escalation within 24 h of a rejected plan / 用户不接受方案24小时内升级",
            start: .planRejectedAt, stop: .escalatedAt, targetText: "24h", targetSeconds: 24 * 3600,
            clock: .wallClock),
        Policy(
            name: "refund", label: "Refund within 24 h / 收到退款申请后24小时内退款",
            types: [.refund], start: .createdAt, stop: .resolvedAt, targetText: "24h",
            targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(
            name: "resolution_3bd", label: "Solution within 3 working days / 复杂问题3个工作日内给出解决方案",
            start: .createdAt, stop: .resolvedAt, targetText: "3bd", targetSeconds: 3 * 9 * 3600,
            clock: .business),
        Policy(
            name: "survey_followup", label: "Satisfaction follow-up within 3 days / 处理完成后3日内回访",
            start: .resolvedAt, stop: .surveyedAt, targetText: "72h", targetSeconds: 72 * 3600,
            clock: .wallClock),
        // A canceled or unavailable order is never shipped: without the filter every one of them
        // was an open, ever more overdue shipment in the "act now" list.
        Policy(
            name: "ship_24h", label: "Shipped within 24 h of payment / 付款后24小时内发货", table: .orders,
            unless: [ColumnFilter(column: "status", values: ["canceled", "cancelled", "unavailable", "已取消"])],
            start: "paid_at", stop: "shipped_at", targetText: "24h", targetSeconds: 24 * 3600, clock: .wallClock),
    ]

    /// The goal in effect for a policy.
    public func goal(of p: Policy) -> Double { p.goal ?? attainmentGoal }
}

/// A column the reports cut their numbers by (`[breakdowns] by`): the ticket cuts, and
/// `carrier`, which cuts the logistics numbers (tracking events' `carrier` is read only then).
public enum BreakdownDimension: String, CaseIterable, Sendable {
    case channel, type, priority, category, merchant, carrier

    /// The cuts of ticket numbers.
    public static let ticketCuts: [BreakdownDimension] = [.channel, .type, .priority, .category, .merchant]
    public var isTicketCut: Bool { self != .carrier }
}

/// `[breakdowns]`: per period, the SLA counts and satisfaction of tickets by channel, type,
/// priority, category and merchant; each cut lists its `topN` largest values and folds the
/// rest into one "(other)" row.
public struct BreakdownConfig: Sendable, Equatable {
    public var topN: Int = 10
    /// The cuts reported, in report order.
    public var by: [BreakdownDimension] = BreakdownConfig.defaultBy
    public init() {}

    /// The cuts when `by` is not given.
    public static let defaultBy: [BreakdownDimension] = BreakdownDimension.ticketCuts

    /// The carrier cut of logistics is asked for.
    public var byCarrier: Bool { by.contains(.carrier) }
}
