import SLAFast

public enum Responsibility: UInt8, CaseIterable, Sendable {
    case merchant = 1
    case logistics, customer, platform
    public var name: String { ["", "merchant", "logistics", "customer", "platform"][Int(rawValue)] }
    public var chinese: [String] { [[], ["商家"], ["物流"], ["用户", "消费者"], ["平台"]][Int(rawValue)] }
}
