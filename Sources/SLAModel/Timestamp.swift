import SLAFast

/// Epoch seconds (UTC). `Timestamp.missing` marks an empty optional column.
public typealias Timestamp = Int64

extension Timestamp {
    public static let missing: Int64 = Int64.min
}
