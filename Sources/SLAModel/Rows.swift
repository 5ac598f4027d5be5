import SLAFast

/// Epoch seconds (UTC). `Timestamp.missing` marks an empty optional column.
public typealias Timestamp = Int64

extension Timestamp {
    public static let missing: Int64 = Int64.min
}

/// Read order of a row: (rank of its file among the table's files sorted by base name, then full
/// path) << 32 | record index. Greater = read later. Used only for dedup tie-breaks (SPEC 2.5).
public typealias ReadSeq = Int64

/// Index of a row's `[tables.*.extra]` values in its `ExtraStore` (-1 = the table has none).
public typealias ExtraIndex = Int32

public struct OrderRow: Sendable, Equatable {
    public var orderID: StrID
    public var customer: StrID = .none
    public var merchant: StrID = .none
    public var product: StrID = .none
    public var category: StrID = .none
    public var status: StrID = .none
    public var extra: ExtraIndex = -1
    public var orderedAt: Timestamp
    public var paidAt: Timestamp = .missing
    public var shippedAt: Timestamp = .missing
    public var signedAt: Timestamp = .missing
    public var updatedAt: Timestamp = .missing
    /// Deadline columns: missing when empty, unreadable or out of range (never a reject).
    public var promisedShipAt: Timestamp = .missing
    public var promisedDeliveryAt: Timestamp = .missing
    /// Amount in cents; nil when missing or unparsable (unparsable is counted, row kept).
    public var amountCents: Int64? = nil
    public var seq: ReadSeq = 0
    public init(orderID: StrID, orderedAt: Timestamp) {
        self.orderID = orderID
        self.orderedAt = orderedAt
    }
}

public struct LogisticsRow: Sendable, Equatable {
    public var trackingNo: StrID
    public var orderID: StrID = .none
    public var carrier: StrID = .none
    public var event: LogisticsEventKind
    /// nil = empty exception column.
    public var exception: ExceptionType? = nil
    public var eventAt: Timestamp
    public var seq: ReadSeq = 0
    public init(trackingNo: StrID, event: LogisticsEventKind, eventAt: Timestamp) {
        self.trackingNo = trackingNo
        self.event = event
        self.eventAt = eventAt
    }
}

public struct TicketRow: Sendable, Equatable {
    public var ticketID: StrID
    public var orderID: StrID = .none
    public var product: StrID = .none
    public var merchant: StrID = .none
    public var channel: StrID = .none
    public var agent: StrID = .none
    public var category: StrID = .none
    public var status: StrID = .none
    public var extra: ExtraIndex = -1
    public var type: TicketType
    public var priority: Priority = .normal
    public var responsibility: Responsibility? = nil
    /// 1...5, or 0 when missing or invalid.
    public var satisfaction: UInt8 = 0
    /// The satisfaction field was present but not one of 1–5 (data-quality count).
    public var satisfactionInvalid: Bool = false
    /// Indexed by `TicketTime.rawValue`.
    public var times: TicketTimes
    /// The `due_at` deadline: missing when empty or unreadable (never a reject).
    public var dueAt: Timestamp = .missing
    public var seq: ReadSeq = 0

    public init(ticketID: StrID, type: TicketType, createdAt: Timestamp) {
        self.ticketID = ticketID
        self.type = type
        self.times = TicketTimes()
        self.times[.createdAt] = createdAt
    }

    public subscript(_ t: TicketTime) -> Timestamp {
        get { times[t] }
        set { times[t] = newValue }
    }
}

/// Nine ticket timestamps stored inline (no heap array per row).
public struct TicketTimes: Sendable, Equatable {
    public var createdAt: Timestamp = .missing
    public var firstResponseAt: Timestamp = .missing
    public var faultConfirmedAt: Timestamp = .missing
    public var repairPlanAt: Timestamp = .missing
    public var planRejectedAt: Timestamp = .missing
    public var escalatedAt: Timestamp = .missing
    public var resolvedAt: Timestamp = .missing
    public var surveyedAt: Timestamp = .missing
    public var updatedAt: Timestamp = .missing
    public init() {}

    public subscript(_ t: TicketTime) -> Timestamp {
        get {
            switch t {
            case .createdAt: return createdAt
            case .firstResponseAt: return firstResponseAt
            case .faultConfirmedAt: return faultConfirmedAt
            case .repairPlanAt: return repairPlanAt
            case .planRejectedAt: return planRejectedAt
            case .escalatedAt: return escalatedAt
            case .resolvedAt: return resolvedAt
            case .surveyedAt: return surveyedAt
            case .updatedAt: return updatedAt
            }
        }
        set {
            switch t {
            case .createdAt: createdAt = newValue
            case .firstResponseAt: firstResponseAt = newValue
            case .faultConfirmedAt: faultConfirmedAt = newValue
            case .repairPlanAt: repairPlanAt = newValue
            case .planRejectedAt: planRejectedAt = newValue
            case .escalatedAt: escalatedAt = newValue
            case .resolvedAt: resolvedAt = newValue
            case .surveyedAt: surveyedAt = newValue
            case .updatedAt: updatedAt = newValue
            }
        }
    }
}

/// One satisfaction survey: an invitation, answered (a valid `score`) or not.
public struct SurveyRow: Sendable, Equatable {
    public var surveyID: StrID = .none
    public var ticketID: StrID = .none
    public var orderID: StrID = .none
    public var agent: StrID = .none
    public var comment: StrID = .none
    public var extra: ExtraIndex = -1
    /// 1...5, or 0 when missing or invalid.
    public var score: UInt8 = 0
    /// The score field was present but not one of 1–5 (data-quality count).
    public var scoreInvalid: Bool = false
    public var sentAt: Timestamp = .missing
    public var answeredAt: Timestamp = .missing
    public var updatedAt: Timestamp = .missing
    public var seq: ReadSeq = 0
    public init() {}

    /// The instant a response counts at: answered_at, else sent_at.
    public var responseAt: Timestamp { answeredAt != .missing ? answeredAt : sentAt }
}
