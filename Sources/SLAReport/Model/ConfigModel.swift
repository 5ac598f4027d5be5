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

/// A service promise measured per ticket: from `start` to `stop` within `target`.
public struct Policy: Sendable, Equatable {
    public var name: String
    public var label: String
    /// Filters; nil = no filter.
    public var types: [TicketType]?
    public var priorities: [Priority]?
    public var channels: [String]?
    public var start: TicketTime
    public var stop: TicketTime
    /// The target as written ("72h", "3bd").
    public var targetText: String
    /// Target in seconds of the policy's clock (business seconds for `clock = business`).
    public var targetSeconds: Int64
    public var clock: Clock

    public init(name: String, label: String, types: [TicketType]? = nil, priorities: [Priority]? = nil,
                channels: [String]? = nil, start: TicketTime, stop: TicketTime, targetText: String,
                targetSeconds: Int64, clock: Clock) {
        self.name = name
        self.label = label
        self.types = types
        self.priorities = priorities
        self.channels = channels
        self.start = start
        self.stop = stop
        self.targetText = targetText
        self.targetSeconds = targetSeconds
        self.clock = clock
    }

    public var targetHours: Double { Double(targetSeconds) / 3600 }
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
    public var productComplaints: Int = 3
    public var merchantComplaintRate: Double = 0.02
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
    public var csvBOM: Bool = true
    public var topN: Int = 3
    public var complaintTypes: [TicketType] = [.return, .exchange, .repair, .refund, .complaint]
    public var stallHours: Double = 24
    public var calendar = CalendarConfig()
    public var alerts = AlertConfig()
    /// Extra header aliases: normalised header name → canonical column.
    public var aliases: [String: String] = [:]
    public var policies: [Policy] = Config.defaultPolicies
    /// Where this config came from ("built-in" or a path).
    public var source: String = "built-in"

    public init() {}

    public static let defaults = Config()

    /// SPEC 1 / SPEC 4: the default policies, in this order.
    public static let defaultPolicies: [Policy] = [
        Policy(name: "first_response", label: "First response within 24 h / 24小时内首次响应",
               start: .createdAt, stop: .firstResponseAt, targetText: "24h", targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(name: "repair_fault_confirm", label: "Repair: fault type confirmed within 24 h / 24小时内确认故障类型",
               types: [.repair], start: .createdAt, stop: .faultConfirmedAt, targetText: "24h",
               targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(name: "repair_plan", label: "Repair plan within 72 h / 72小时内给出维修方案",
               types: [.repair], start: .createdAt, stop: .repairPlanAt, targetText: "72h",
               targetSeconds: 72 * 3600, clock: .wallClock),
        Policy(name: "complaint_normal", label: "Normal complaint handled within 1 h / 普通投诉1小时内处理",
               types: [.complaint], priorities: [.normal], start: .createdAt, stop: .firstResponseAt,
               targetText: "1h", targetSeconds: 3600, clock: .wallClock),
        Policy(name: "complaint_urgent", label: "Urgent complaint handled within 4 h / 紧急投诉4小时内处理",
               types: [.complaint], priorities: [.urgent], start: .createdAt, stop: .firstResponseAt,
               targetText: "4h", targetSeconds: 4 * 3600, clock: .wallClock),
        Policy(name: "complaint_major", label: "Major complaint handled within 24 h / 重大投诉24小时内处理",
               types: [.complaint], priorities: [.major], start: .createdAt, stop: .firstResponseAt,
               targetText: "24h", targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(name: "escalation", label: "Escalation within 24 h of a rejected plan / 用户不接受方案24小时内升级",
               start: .planRejectedAt, stop: .escalatedAt, targetText: "24h", targetSeconds: 24 * 3600,
               clock: .wallClock),
        Policy(name: "refund", label: "Refund within 24 h / 收到退款申请后24小时内退款",
               types: [.refund], start: .createdAt, stop: .resolvedAt, targetText: "24h",
               targetSeconds: 24 * 3600, clock: .wallClock),
        Policy(name: "resolution_3bd", label: "Solution within 3 working days / 复杂问题3个工作日内给出解决方案",
               start: .createdAt, stop: .resolvedAt, targetText: "3bd", targetSeconds: 3 * 9 * 3600,
               clock: .business),
        Policy(name: "survey_followup", label: "Satisfaction follow-up within 3 days / 处理完成后3日内回访",
               start: .resolvedAt, stop: .surveyedAt, targetText: "72h", targetSeconds: 72 * 3600,
               clock: .wallClock),
    ]
}
