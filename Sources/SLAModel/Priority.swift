import SLAFast

public enum Priority: UInt8, CaseIterable, Sendable {
    case normal = 1
    case urgent, major
    public var name: String { ["", "normal", "urgent", "major"][Int(rawValue)] }
    public var chinese: [String] { [[], ["普通"], ["紧急"], ["重大"]][Int(rawValue)] }
}
