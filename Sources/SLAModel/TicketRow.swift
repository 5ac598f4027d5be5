import SLAFast

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
