import SLAFast

/// Enumerated column values (SPEC 2.3). Raw values are stored in compact rows; 0 is reserved for
/// "none/missing" where the column is optional.

public enum TicketType: UInt8, CaseIterable, Sendable {
    case inquiry = 1
    case `return`, exchange, repair, refund, complaint
    public var name: String { ["", "inquiry", "return", "exchange", "repair", "refund", "complaint"][Int(rawValue)] }
    public var chinese: [String] { [[], ["咨询"], ["退货"], ["换货"], ["维修"], ["退款"], ["投诉"]][Int(rawValue)] }
}
