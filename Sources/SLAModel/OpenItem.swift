import SLAFast

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

    public init(
        state: String, table: Table, id: String, orderID: String, policy: String, start: Timestamp,
        due: Timestamp, secondsLeft: Int64
    ) {
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

/// What a period's page shows of its open items ("act now"): how many there are, how many are
/// overdue or due soon, their ages, and the few most overdue. Built item by item in
/// open_items.csv's order (by due), so a page of a million open clocks never holds them all.
public struct OpenItemsDigest: Sendable, Equatable {
    /// Open items listed on a page; the rest are counted and linked to open_items.csv.
    public static let listed = 15
    /// "Due soon" means due within this many seconds of as_of.
    public static let dueSoonSeconds: Int64 = 24 * 3600
    /// Lower edges of the backlog age buckets, in days: < 1 d, 1–3 d, 3–7 d, ≥ 7 d.
    public static let ageEdgesDays: [Int64] = [1, 3, 7]

    public struct AgeBucket: Sendable, Equatable {
        public var total = 0
        public var overdue = 0
    }

    public private(set) var open = 0
    public private(set) var overdueCount = 0
    /// Pending items due within `dueSoonSeconds` of as_of.
    public private(set) var dueSoon = 0
    /// Open items by age since their start (as_of − start).
    public private(set) var aging = Array(repeating: AgeBucket(), count: OpenItemsDigest.ageEdgesDays.count + 1)
    /// The first `listed` overdue items added: the most overdue, since items come by due.
    public private(set) var mostOverdue: [OpenItem] = []

    public init() {}

    /// The digest of `items`, given in open_items.csv's order.
    public init(_ items: [OpenItem]) {
        for i in items { add(i) }
    }

    public mutating func add(_ item: OpenItem) {
        count(start: item.start, due: item.due, secondsLeft: item.secondsLeft, overdue: item.isOverdue)
        if item.isOverdue && mostOverdue.count < Self.listed {
            assert(mostOverdue.last.map { $0.due <= item.due } ?? true, "open items must come by due")
            mostOverdue.append(item)
        }
    }

    /// Counts one open clock without listing it.
    public mutating func count(start: Timestamp, due: Timestamp, secondsLeft: Int64, overdue: Bool) {
        open += 1
        // as_of is the deadline minus the time left.
        let age = due &- secondsLeft &- start
        let k = Self.ageEdgesDays.firstIndex { age < $0 * 86_400 } ?? Self.ageEdgesDays.count
        aging[k].total += 1
        if overdue {
            overdueCount += 1
            aging[k].overdue += 1
        } else if secondsLeft <= Self.dueSoonSeconds {
            dueSoon += 1
        }
    }

    /// Sets the listed items: the most overdue of those counted, most overdue first.
    public mutating func list(_ items: [OpenItem]) {
        assert(items.count <= Self.listed && items.allSatisfy(\.isOverdue))
        mostOverdue = items
    }
}
