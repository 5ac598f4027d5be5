import SLAFast

/// The four input tables: orders, logistics events, tickets and satisfaction surveys.
public enum Table: String, CaseIterable, Sendable, Hashable, Comparable {
    case orders, logistics, tickets, surveys

    public static func < (a: Table, b: Table) -> Bool { a.order < b.order }
    private var order: Int {
        switch self {
        case .orders: return 0
        case .logistics: return 1
        case .tickets: return 2
        case .surveys: return 3
        }
    }
}
