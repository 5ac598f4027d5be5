/// A row of `open_items.csv`: a clock still running at as_of (its stop is absent), pending or
/// already past its deadline. The to-do list behind the reports' "act now" section.
public struct OpenItem: Sendable, Equatable {
    /// "pending" (not yet due at as_of) or "breached_open" (past due, the same state name as in
    /// `sla_breaches.csv`).
    public var state: String
    public var table: Table
    /// The row's own key in its table (ticket, order or survey id) and its order.
    public var id: String
    public var orderID: String
    public var policy: String
    public var start: Timestamp
    /// The due column's value, or the instant the target runs out on the policy's clock.
    public var due: Timestamp
    /// Wall-clock seconds from as_of to `due`: negative when overdue.
    public var secondsLeft: Int64
    /// Empty where the table has no such column.
    public var agent: String = ""
    public var type: String = ""
    public var priority: String = ""
    public var status: String = ""

    public init(state: String, table: Table, id: String, orderID: String, policy: String, start: Timestamp,
                due: Timestamp, secondsLeft: Int64) {
        self.state = state
        self.table = table
        self.id = id
        self.orderID = orderID
        self.policy = policy
        self.start = start
        self.due = due
        self.secondsLeft = secondsLeft
    }

    public static let pendingState = "pending"

    /// Whether the item is past its deadline at as_of.
    public var isOverdue: Bool { state != OpenItem.pendingState }

    /// `hours_left` of open_items.csv.
    public var hoursLeft: Double { Double(secondsLeft) / 3600 }
}
