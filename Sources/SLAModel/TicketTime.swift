import SLAFast

/// The timestamp columns of a ticket; policies name their start and stop by these (SPEC 4).
public enum TicketTime: Int, CaseIterable, Sendable {
    case createdAt = 0
    case firstResponseAt, faultConfirmedAt, repairPlanAt, planRejectedAt, escalatedAt, resolvedAt,
        surveyedAt, updatedAt
    public var column: String {
        [
            "created_at", "first_response_at", "fault_confirmed_at", "repair_plan_at", "plan_rejected_at",
            "escalated_at", "resolved_at", "surveyed_at", "updated_at",
        ][rawValue]
    }
    public init?(column: String) {
        guard let t = TicketTime.allCases.first(where: { $0.column == column }) else { return nil }
        self = t
    }
}
