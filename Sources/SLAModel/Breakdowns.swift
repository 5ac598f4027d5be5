import SLAFast

/// A period's ticket numbers cut by channel, type, priority, category and merchant, as
/// `summary.json` writes them under `breakdowns`. Each cut lists its largest values (most
/// tickets first, then name in byte order) and folds the rest into one `(other)` row, so the
/// rows of a cut always add up to the period's totals.
public struct Breakdowns: Sendable, Equatable {
    /// The value name of the row that folds the values beyond `topN`.
    public static let other = "(other)"
    /// The value name of an empty column.
    public static let none = "(none)"

    public var topN: Int = 10
    /// The ticket cuts, in the config's order.
    public var tickets: [TicketBreakdown] = []
    public init() {}

    /// The logistics cut by carrier, when `[breakdowns] by` lists `carrier`.
    public var carrier: CarrierBreakdown? = nil

    public var isEmpty: Bool { tickets.isEmpty && carrier == nil }
}

/// The period's logistics numbers by carrier: a shipment's carrier is the one of its earliest
/// event that names one ("(none)" when none does). Shipments, delivered, stalled and the
/// delivery times count in the week of the shipment's first event, exceptions in their own
/// week, as the totals do, so the rows add up to the period's logistics totals.
public struct CarrierBreakdown: Sendable, Equatable {
    public var rows: [CarrierBreakdownRow] = []
    public init() {}
}

public struct CarrierBreakdownRow: Sendable, Equatable {
    public var value: String
    /// How many carriers `(other)` folds (1 for a named row).
    public var values: Int = 1
    public var shipments: Int = 0
    public var delivered: Int = 0
    public var stalled: Int = 0
    /// Exception events of the period (of any type).
    public var exceptions: Int = 0
    public var p50DeliveryHours: Double? = nil
    public var p90DeliveryHours: Double? = nil
    public init(value: String) { self.value = value }
}

/// One ticket cut: its rows, largest first, `(other)` last.
public struct TicketBreakdown: Sendable, Equatable {
    public var dimension: BreakdownDimension
    public var rows: [TicketBreakdownRow] = []
    public init(dimension: BreakdownDimension) { self.dimension = dimension }
}

/// The numbers of one value of a ticket cut. Each counts where the period's total counts it:
/// `tickets` by creation, a policy's outcome in the week its clock started, a score in the week
/// of its response.
public struct TicketBreakdownRow: Sendable, Equatable {
    public var value: String
    /// How many values `(other)` folds (1 for a named row).
    public var values: Int = 1
    public var tickets: Int = 0
    /// One per ticket policy, in config order.
    public var sla: [BreakdownPolicy] = []
    public var responses: Int = 0
    public var scoreSum: Int = 0
    public var satisfied: Int = 0
    public init(value: String) { self.value = value }

    public var mean: Double? { responses > 0 ? Double(scoreSum) / Double(responses) : nil }
    public var csat: Double? { responses > 0 ? Double(satisfied) / Double(responses) : nil }

    /// met ÷ (met + breached) over all its policies together (nil when nothing is decided).
    public var attainment: Double? {
        let met = sla.reduce(0) { $0 + $1.met }
        let decided = met + sla.reduce(0) { $0 + $1.breached }
        return decided > 0 ? Double(met) / Double(decided) : nil
    }

    public var breached: Int { sla.reduce(0) { $0 + $1.breached } }
}

/// One policy's counts in a breakdown row.
public struct BreakdownPolicy: Sendable, Equatable {
    public var policy: String
    public var met: Int = 0
    public var breached: Int = 0
    public var pending: Int = 0
    public init(policy: String) { self.policy = policy }

    public var eligible: Int { met + breached + pending }
    public var attainment: Double? { met + breached > 0 ? Double(met) / Double(met + breached) : nil }
}
