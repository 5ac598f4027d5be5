import SLAFast

/// The numbers of one ISO week (SPEC 5), shaped like `summary.json` (SPEC 6). Renderers read
/// these values; the metrics engine fills them. Count maps are arrays of (key, count) in the
/// order they are written (keys sorted by byte order unless said otherwise).

public struct KeyCount: Sendable, Equatable {
    public var key: String
    public var count: Int
    public init(_ key: String, _ count: Int) {
        self.key = key
        self.count = count
    }
}

public struct SLAResult: Sendable, Equatable {
    public var policy: String
    public var label: String
    /// The table the policy measures.
    public var table: Table = .tickets
    /// nil for a due policy.
    public var targetHours: Double?
    /// The deadline column of a due policy, else nil.
    public var due: String? = nil
    /// nil for a due policy.
    public var clock: Clock?
    /// The goal in effect.
    public var goal: Double = 0.95
    /// The column whose absence from every file of the table kept this policy from being
    /// computed; nil when computed.
    public var skipped: String? = nil
    public var eligible: Int = 0
    public var met: Int = 0
    public var breached: Int = 0
    public var pending: Int = 0
    public var attainment: Double? = nil
    public var p50Hours: Double? = nil
    public var p90Hours: Double? = nil
    public init(policy: String, label: String, targetHours: Double?, clock: Clock?) {
        self.policy = policy
        self.label = label
        self.targetHours = targetHours
        self.clock = clock
    }

    /// The result shell of a configured policy (no counts yet).
    public init(_ p: Policy, goal: Double) {
        self.init(policy: p.name, label: p.label, targetHours: p.targetHours, clock: p.due == nil ? p.clock : nil)
        table = p.table
        due = p.due
        self.goal = goal
    }
}

public struct CategoryCount: Sendable, Equatable {
    public var category: String
    public var count: Int
    public var share: Double
    public var previousCount: Int
    public init(category: String, count: Int, share: Double, previousCount: Int) {
        self.category = category
        self.count = count
        self.share = share
        self.previousCount = previousCount
    }
}

public struct ComplaintSummary: Sendable, Equatable {
    public var total: Int = 0
    public var top: [CategoryCount] = []
    public init() {}
}

public struct SatisfactionSummary: Sendable, Equatable {
    public var responses: Int = 0
    public var mean: Double? = nil
    public var csat: Double? = nil
    /// Counts of scores 1...5 (index 0 = score 1).
    public var distribution: [Int] = [0, 0, 0, 0, 0]
    public var lowScores: Int = 0
    public var responseRate: Double? = nil
    public init() {}
}

public struct LogisticsSummary: Sendable, Equatable {
    public var shipments: Int = 0
    public var delivered: Int = 0
    public var stalled: Int = 0
    /// Exception type name → count (only > 0), sorted by key.
    public var exceptions: [KeyCount] = []
    public var p50DeliveryHours: Double? = nil
    public var p90DeliveryHours: Double? = nil
    public init() {}
}

public struct Alert: Sendable, Equatable {
    /// "product_complaints", "merchant_complaint_rate" or "category_spike".
    public var kind: String
    public var subject: String
    public var value: Double
    public var threshold: Double
    /// Whether value/threshold are integers in JSON (counts) or decimals (rates, ratios).
    public var valueIsCount: Bool
    public var thresholdIsCount: Bool
    /// The same kind and subject's value in the previous period (whether or not it alerted
    /// there); nil when that period has no value (no orders for a rate, no tickets for a count).
    public var previous: Double? = nil
    public init(
        kind: String, subject: String, value: Double, threshold: Double, valueIsCount: Bool,
        thresholdIsCount: Bool
    ) {
        self.kind = kind
        self.subject = subject
        self.value = value
        self.threshold = threshold
        self.valueIsCount = valueIsCount
        self.thresholdIsCount = thresholdIsCount
    }
}

public struct AgentPolicyResult: Sendable, Equatable {
    public var policy: String
    public var met: Int = 0
    public var breached: Int = 0
    public var attainment: Double? = nil
    public init(policy: String) { self.policy = policy }
}

public struct AgentSummary: Sendable, Equatable {
    public var agent: String
    public var tickets: Int = 0
    /// One entry per policy, in config order.
    public var sla: [AgentPolicyResult] = []
    public var responses: Int = 0
    public var mean: Double? = nil
    public var csat: Double? = nil
    /// Tickets of the cohort with a resolution (at or after creation), whenever resolved.
    public var resolved: Int = 0
    /// Median hours from created to resolved over those tickets; nil when none.
    public var handlingP50Hours: Double? = nil
    /// The agent's scores of 1–2 (counted like `responses`).
    public var lowScores: Int = 0
    /// Month reports only: more low scores than the configured threshold (`[agents]
    /// low_score_flag`); nil in week reports.
    public var lowScoreFlagged: Bool? = nil
    public init(agent: String) { self.agent = agent }
}

public struct DataQuality: Sendable, Equatable {
    public var invalidDurations: Int = 0
    public var invalidScores: Int = 0
    /// Rows of due policies without their due value (per row and policy, in the start's week).
    public var missingDue: Int = 0
    public init() {}
}

/// A row of `sla_breaches.csv`.
public struct BreachRecord: Sendable, Equatable {
    /// The row's ticket id (empty for an order policy) and order id.
    public var ticketID: String
    public var orderID: String
    public var policy: String
    public var start: Timestamp
    /// `.missing` when the stop is absent (breached by as_of).
    public var stop: Timestamp
    public var elapsedHours: Double
    /// nil for a due policy.
    public var targetHours: Double?
    /// "breached" (stop present) or "breached_open" (no stop by as_of).
    public var state: String
    /// The policy's table and the row's own key there (ticket, order or survey id).
    public var table: Table = .tickets
    public var id: String = ""
    /// The deadline: the due column's value, or when the target ran out on the policy's clock.
    public var due: Timestamp = .missing
    /// Empty where the table has no such column.
    public var agent: String = ""
    public var type: String = ""
    public var priority: String = ""
    public init(
        ticketID: String, orderID: String, policy: String, start: Timestamp, stop: Timestamp,
        elapsedHours: Double, targetHours: Double?, state: String
    ) {
        self.ticketID = ticketID
        self.orderID = orderID
        self.policy = policy
        self.start = start
        self.stop = stop
        self.elapsedHours = elapsedHours
        self.targetHours = targetHours
        self.state = state
    }
}

/// Repeat contacts of a period: tickets created in it whose order had another ticket resolved
/// within the window before (see `RepeatContacts` for the rule).
public struct RepeatSummary: Sendable, Equatable {
    /// The configured window in hours.
    public var windowHours: Double = 168
    public var count: Int = 0
    /// count / tickets created in the period; nil when none were created.
    public var share: Double? = nil
    public init() {}
}

/// A row of `repeat_contacts.csv`.
public struct RepeatRecord: Sendable, Equatable {
    public var ticketID: String
    public var orderID: String
    public var createdAt: Timestamp
    public var previousTicketID: String
    public var previousResolvedAt: Timestamp
    /// The repeat ticket's agent and category.
    public var agent: String
    public var category: String
    /// Hours from the previous ticket's resolution to this ticket's creation.
    public var hoursSince: Double { Double(createdAt - previousResolvedAt) / 3600 }
    public init(
        ticketID: String, orderID: String, createdAt: Timestamp, previousTicketID: String,
        previousResolvedAt: Timestamp, agent: String, category: String
    ) {
        self.ticketID = ticketID
        self.orderID = orderID
        self.createdAt = createdAt
        self.previousTicketID = previousTicketID
        self.previousResolvedAt = previousResolvedAt
        self.agent = agent
        self.category = category
    }
}

/// A row of `low_scores.csv`.
public struct LowScoreRecord: Sendable, Equatable {
    public var ticketID: String
    public var orderID: String
    public var agent: String
    public var score: Int
    public var category: String
    public var resolvedAt: Timestamp
    /// From a surveys table: the response's time (answered_at, else sent_at).
    public var surveyedAt: Timestamp
    /// From a surveys table; empty otherwise.
    public var surveyID: String = ""
    public var comment: String = ""
    public init(
        ticketID: String, orderID: String, agent: String, score: Int, category: String,
        resolvedAt: Timestamp, surveyedAt: Timestamp
    ) {
        self.ticketID = ticketID
        self.orderID = orderID
        self.agent = agent
        self.score = score
        self.category = category
        self.resolvedAt = resolvedAt
        self.surveyedAt = surveyedAt
    }
}

/// The numbers of one period: an ISO week, or (with `periodKind` month) a calendar month, whose
/// name ("2026-11") and first and last day then fill `week`, `weekStart` and `weekEnd`.
public struct WeeklySummary: Sendable, Equatable {
    public static let schemaVersion = 2
    public var periodKind: PeriodKind = .week
    /// "2026-W47" (or "2026-11").
    public var week: String
    /// "2026-11-16" and "2026-11-22" (Monday and Sunday, local; first and last day of a month).
    public var weekStart: String
    public var weekEnd: String
    public var timezone: String
    /// ISO 8601 with the zone's offset, whole seconds.
    public var asOf: String
    public var ordersPlaced: Int = 0
    public var ticketsCreated: Int = 0
    public var ticketsResolved: Int = 0
    public var byType: [KeyCount] = []
    public var byChannel: [KeyCount] = []
    public var byResponsibility: [KeyCount] = []
    public var sla: [SLAResult] = []
    public var complaints = ComplaintSummary()
    public var satisfaction = SatisfactionSummary()
    public var logistics = LogisticsSummary()
    public var alerts: [Alert] = []
    /// The agents of the period, by name with `(unassigned)` last (compact: see `AgentTable`).
    public var agentTable = AgentTable()
    /// `agentTable` as summaries (for small tables: each access makes them all).
    public var agents: [AgentSummary] {
        get { agentTable.summaries }
        set { agentTable = AgentTable(newValue) }
    }
    public var dataQuality = DataQuality()
    /// The numbers by channel, type, priority, category, merchant and carrier.
    public var breakdowns = Breakdowns()
    /// First-response time distribution of tickets created in W (the policy named
    /// `first_response`, else the first policy): counts per bucket of elapsed hours with edges
    /// `responseBucketEdgesHours` (<1, 1–4, 4–8, 8–24, 24–48, ≥48), then one more entry for
    /// tickets with no response yet. Empty when no such policy.
    public var responseBuckets: [Int] = []
    public static let responseBucketEdgesHours: [Double] = [1, 4, 8, 24, 48]
    /// Tickets created in the period by local weekday and hour: 168 counts at
    /// (weekday − 1) × 24 + hour, Monday 00:00–01:00 first (all zero when none).
    public var arrivals: [Int] = Array(repeating: 0, count: 168)
    public var repeatContacts = RepeatSummary()

    // Detail rows for the per-week CSVs (not part of summary.json).
    public var breaches: [BreachRecord] = []
    public var lowScoreRecords: [LowScoreRecord] = []
    public var repeatRecords: [RepeatRecord] = []
    /// The clocks still running at as_of that this period's page counts and lists ("act now"):
    /// on the newest period every one, on an earlier period those whose clock started in it.
    public var openItems = OpenItemsDigest()

    public init(week: String, weekStart: String, weekEnd: String, timezone: String, asOf: String) {
        self.week = week
        self.weekStart = weekStart
        self.weekEnd = weekEnd
        self.timezone = timezone
        self.asOf = asOf
    }
}
