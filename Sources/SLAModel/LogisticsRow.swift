import SLAFast

public struct LogisticsRow: Sendable, Equatable {
    public var trackingNo: StrID
    public var orderID: StrID = .none
    public var carrier: StrID = .none
    public var event: LogisticsEventKind
    /// nil = empty exception column.
    public var exception: ExceptionType? = nil
    public var eventAt: Timestamp
    public var seq: ReadSeq = 0
    public init(trackingNo: StrID, event: LogisticsEventKind, eventAt: Timestamp) {
        self.trackingNo = trackingNo
        self.event = event
        self.eventAt = eventAt
    }
}
