import SLAFast

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
