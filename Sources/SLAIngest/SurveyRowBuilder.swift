import SLAFast
import SLAModel

/// Turns survey records into `SurveyRow`s. Column positions are resolved once, in `init`;
/// `build` allocates nothing unless it rejects.
///
/// A survey export has no required header column, but every row needs `sent_at` or
/// `answered_at` (else `missing_required`). Checks, first failure wins: field count; one of the
/// two times non-empty; every timestamp column readable. A `score` other than one digit 1–5 is
/// kept as no score with `scoreInvalid` set (the row is then an unanswered invitation).
public struct SurveyRowBuilder: Sendable {
    private var f: FieldReader
    private let cSurvey, cTicket, cOrder, cAgent, cScore, cSent, cAnswered, cComment, cUpdated: Int
    /// The row's extra values (one slot per `[tables.surveys.extra]` column), for the loader.
    public private(set) var extraValues: [Int64]

    /// See `FieldReader.validRange`.
    public var validRange: ClosedRange<Int64> {
        get { f.validRange }
        set { f.validRange = newValue }
    }

    /// Greatest timestamp of the rows accepted so far; `Int64.min` when none.
    public var maxTimestamp: Int64 { f.maxTimestamp }
    /// Extra int/decimal values that could not be read (kept as missing).
    public var invalidNumbers: Int { f.invalidNumbers }

    public init(header: HeaderMap, zone: ZoneRules, pool: StringPool) {
        precondition(header.table == .surveys, "SurveyRowBuilder needs a surveys header")
        f = FieldReader(header: header, zone: zone, pool: pool)
        cSurvey = f.column("survey_id")
        cTicket = f.column("ticket_id")
        cOrder = f.column("order_id")
        cAgent = f.column("agent")
        cScore = f.column("score")
        cSent = f.column("sent_at")
        cAnswered = f.column("answered_at")
        cComment = f.column("comment")
        cUpdated = f.column("updated_at")
        extraValues = [Int64](repeating: 0, count: header.extras.count)
    }

    /// Interns from now on into `pool` (the ids of rows built so far refer to the previous one).
    public mutating func use(pool: StringPool) {
        f.pool = pool
    }

    public mutating func build(_ r: RecordView) -> RowResult<SurveyRow> {
        if r.count != f.header.recordFieldCount { return .reject(.fieldCount, f.fieldCountReason(r)) }
        if FieldReader.field(r, cSent).count == 0 && FieldReader.field(r, cAnswered).count == 0 {
            let named = [cSent, cAnswered].filter { $0 >= 0 }.map { f.header.label(ofField: $0) }
            let which =
                named.isEmpty
                ? "the file has neither sent_at nor answered_at" : named.joined(separator: " and ") + " are both empty"
            return .reject(.missingRequired, "a survey needs sent_at or answered_at: \(which)")
        }
        guard let sent = f.timestamp(r, cSent) else { return f.timestampReject(r, cSent) }
        guard let answered = f.timestamp(r, cAnswered) else {
            return f.timestampReject(r, cAnswered)
        }
        guard let updated = f.timestamp(r, cUpdated) else { return f.timestampReject(r, cUpdated) }
        if !extraValues.isEmpty, let c = f.readExtras(r, into: &extraValues) {
            return f.timestampReject(r, c)
        }
        var row = SurveyRow()
        row.surveyID = f.string(r, cSurvey)
        row.ticketID = f.string(r, cTicket)
        row.orderID = f.string(r, cOrder)
        row.agent = f.string(r, cAgent)
        row.comment = f.string(r, cComment)
        row.sentAt = sent
        row.answeredAt = answered
        row.updatedAt = updated
        let sp = FieldReader.field(r, cScore)
        if sp.count > 0 {
            if let s = ValueParser.score(sp) { row.score = s } else { row.scoreInvalid = true }
        }
        let latest = max(sent, max(answered, updated))
        if latest > f.maxTimestamp { f.maxTimestamp = latest }
        return .row(row)
    }
}
