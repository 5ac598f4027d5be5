/// The canonical columns policies may name, by table, as slots of `MeasuredRow`.
package enum MeasuredColumns {
    package static let ticketTimes = TicketTime.allCases.map(\.column) + ["due_at"]
    package static let ticketValues = [
        "ticket_id", "order_id", "product_id", "merchant_id", "channel", "agent", "category", "status", "type",
        "priority", "responsibility",
    ]
    package static let orderTimes = [
        "ordered_at", "paid_at", "shipped_at", "signed_at", "updated_at", "promised_ship_at", "promised_delivery_at",
    ]
    package static let orderValues = ["order_id", "customer_id", "merchant_id", "product_id", "category", "status"]
    package static let surveyTimes = ["sent_at", "answered_at", "updated_at"]
    package static let surveyValues = ["survey_id", "ticket_id", "order_id", "agent", "comment"]

    package static func timeSlot(_ t: Table, _ column: String) -> Int? {
        switch t {
        case .tickets: return ticketTimes.firstIndex(of: column)
        case .orders: return orderTimes.firstIndex(of: column)
        case .surveys: return surveyTimes.firstIndex(of: column)
        case .logistics: return nil
        }
    }

    package static func valueSlot(_ t: Table, _ column: String) -> Int? {
        switch t {
        case .tickets: return ticketValues.firstIndex(of: column)
        case .orders: return orderValues.firstIndex(of: column)
        case .surveys: return surveyValues.firstIndex(of: column)
        case .logistics: return nil
        }
    }

    /// For an enum column: its value names (lower-cased, English or Chinese) → raw value.
    package static func enumValues(_ t: Table, _ column: String) -> ((String) -> UInt8?)? {
        guard t == .tickets else { return nil }
        switch column {
        case "type": return { v in TicketType.allCases.first { $0.name == v || $0.chinese.contains(v) }?.rawValue }
        case "priority": return { v in Priority.allCases.first { $0.name == v || $0.chinese.contains(v) }?.rawValue }
        case "responsibility":
            return { v in Responsibility.allCases.first { $0.name == v || $0.chinese.contains(v) }?.rawValue }
        default: return nil
        }
    }
}
