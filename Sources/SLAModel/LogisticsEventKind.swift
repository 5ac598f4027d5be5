import SLAFast

public enum LogisticsEventKind: UInt8, CaseIterable, Sendable {
    case pickedUp = 1
    case inTransit, outForDelivery, delivered, exception
    public var name: String {
        ["", "picked_up", "in_transit", "out_for_delivery", "delivered", "exception"][Int(rawValue)]
    }
    public var chinese: [String] { [[], ["揽收"], ["运输中"], ["派送中"], ["签收"], ["异常"]][Int(rawValue)] }
}
