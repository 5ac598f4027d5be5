import SLAFast

/// One satisfaction survey: an invitation, answered (a valid `score`) or not.
public struct SurveyRow: Sendable, Equatable {
    public var surveyID: StrID = .none
    public var ticketID: StrID = .none
    public var orderID: StrID = .none
    public var agent: StrID = .none
    public var comment: StrID = .none
    public var extra: ExtraIndex = -1
    /// 1...5, or 0 when missing or invalid.
    public var score: UInt8 = 0
    /// The score field was present but not one of 1–5 (data-quality count).
    public var scoreInvalid: Bool = false
    public var sentAt: Timestamp = .missing
    public var answeredAt: Timestamp = .missing
    public var updatedAt: Timestamp = .missing
    public var seq: ReadSeq = 0
    public init() {}

    /// The instant a response counts at: answered_at, else sent_at.
    public var responseAt: Timestamp { answeredAt != .missing ? answeredAt : sentAt }
}
