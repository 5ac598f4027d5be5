import SLAFast

public enum ExceptionType: UInt8, CaseIterable, Sendable {
    case damaged = 1
    case lost, missingItem, wrongItem, falseSignoff, noUpdate, other
    public var name: String {
        ["", "damaged", "lost", "missing_item", "wrong_item", "false_signoff", "no_update", "other"][Int(rawValue)]
    }
    public var chinese: [String] { [[], ["破损"], ["丢件"], ["漏发"], ["错发"], ["虚假签收"], ["无物流更新"], ["其他"]][Int(rawValue)] }
}
