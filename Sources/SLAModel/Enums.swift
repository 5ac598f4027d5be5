import SLAFast

/// Enumerated column values (SPEC 2.3). Raw values are stored in compact rows; 0 is reserved for
/// "none/missing" where the column is optional.

public enum TicketType: UInt8, CaseIterable, Sendable {
    case inquiry = 1, `return`, exchange, repair, refund, complaint
    public var name: String { ["", "inquiry", "return", "exchange", "repair", "refund", "complaint"][Int(rawValue)] }
    public var chinese: [String] { [[], ["咨询"], ["退货"], ["换货"], ["维修"], ["退款"], ["投诉"]][Int(rawValue)] }
}

public enum Priority: UInt8, CaseIterable, Sendable {
    case normal = 1, urgent, major
    public var name: String { ["", "normal", "urgent", "major"][Int(rawValue)] }
    public var chinese: [String] { [[], ["普通"], ["紧急"], ["重大"]][Int(rawValue)] }
}

public enum Responsibility: UInt8, CaseIterable, Sendable {
    case merchant = 1, logistics, customer, platform
    public var name: String { ["", "merchant", "logistics", "customer", "platform"][Int(rawValue)] }
    public var chinese: [String] { [[], ["商家"], ["物流"], ["用户", "消费者"], ["平台"]][Int(rawValue)] }
}

public enum LogisticsEventKind: UInt8, CaseIterable, Sendable {
    case pickedUp = 1, inTransit, outForDelivery, delivered, exception
    public var name: String { ["", "picked_up", "in_transit", "out_for_delivery", "delivered", "exception"][Int(rawValue)] }
    public var chinese: [String] { [[], ["揽收"], ["运输中"], ["派送中"], ["签收"], ["异常"]][Int(rawValue)] }
}

public enum ExceptionType: UInt8, CaseIterable, Sendable {
    case damaged = 1, lost, missingItem, wrongItem, falseSignoff, noUpdate, other
    public var name: String {
        ["", "damaged", "lost", "missing_item", "wrong_item", "false_signoff", "no_update", "other"][Int(rawValue)]
    }
    public var chinese: [String] { [[], ["破损"], ["丢件"], ["漏发"], ["错发"], ["虚假签收"], ["无物流更新"], ["其他"]][Int(rawValue)] }
}

/// The timestamp columns of a ticket; policies name their start and stop by these (SPEC 4).
public enum TicketTime: Int, CaseIterable, Sendable {
    case createdAt = 0, firstResponseAt, faultConfirmedAt, repairPlanAt, planRejectedAt, escalatedAt, resolvedAt,
        surveyedAt, updatedAt
    public var column: String {
        ["created_at", "first_response_at", "fault_confirmed_at", "repair_plan_at", "plan_rejected_at",
         "escalated_at", "resolved_at", "surveyed_at", "updated_at"][rawValue]
    }
    public init?(column: String) {
        guard let t = TicketTime.allCases.first(where: { $0.column == column }) else { return nil }
        self = t
    }
}
