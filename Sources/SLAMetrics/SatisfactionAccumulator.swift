import SLAFast
import SLAModel

/// Satisfaction (SPEC 5): scores by week of `surveyed_at` (else `resolved_at`), the response rate
/// by week of resolution, low scores for callbacks, and `invalid_scores`.
public struct SatisfactionAccumulator: Sendable {
    struct LowScore: Sendable {
        var ticket: StrID
        var order: StrID
        var agent: StrID
        var category: StrID
        var score: UInt8
        var resolved: Int64
        var surveyed: Int64
        var survey: StrID = .none
        var comment: StrID = .none
    }

    struct Week: Sendable {
        var responses = 0
        var scoreSum = 0
        /// Scores 1...5 at index 0...4.
        var distribution = [0, 0, 0, 0, 0]
        var lowScores: [LowScore] = []
        /// The response rate's denominator and numerator: tickets resolved in the week (and with
        /// a score), or, from a surveys table, surveys sent in the week (and answered).
        var resolved = 0
        var resolvedWithScore = 0
        var invalidScores = 0
        /// Low scores listed elsewhere (a partial's lists): counted, not held.
        var lowScoresElsewhere = 0
    }

    var series = WeekSeries<Week>(empty: Week())

    public init() {}

    /// `surveyWeek`: week of surveyed_at, else resolved_at (nil when both missing);
    /// `resolvedWeek`: week of resolved_at (nil when missing).
    mutating func add(ticket t: TicketRow, surveyWeek: Int?, resolvedWeek: Int?) {
        count(score: t.satisfaction, invalid: t.satisfactionInvalid, responseWeek: surveyWeek, rateWeek: resolvedWeek) {
            LowScore(
                ticket: t.ticketID, order: t.orderID, agent: t.agent, category: t.category, score: t.satisfaction,
                resolved: t[.resolvedAt], surveyed: t[.surveyedAt])
        }
    }

    /// A survey row (surveys table given): a response (valid score) in `responseWeek`
    /// (answered_at, else sent_at); the response rate counts it in `sentWeek`. `ticket`: its
    /// ticket's category and resolution time, when it names a known ticket.
    mutating func add(survey s: SurveyRow, responseWeek: Int?, sentWeek: Int?, ticket: SurveyTicketInfo?) {
        count(score: s.score, invalid: s.scoreInvalid, responseWeek: responseWeek, rateWeek: sentWeek) {
            LowScore(
                ticket: s.ticketID, order: s.orderID, agent: s.agent, category: ticket?.category ?? .none,
                score: s.score, resolved: ticket?.resolvedAt ?? .missing, surveyed: s.responseAt,
                survey: s.surveyID, comment: s.comment)
        }
    }

    /// One row's score (0 = none): the response rate's denominator (and numerator with a score)
    /// in `rateWeek`; invalid scores, the response and a low score's callback in `responseWeek`.
    private mutating func count(
        score s: UInt8, invalid: Bool, responseWeek: Int?, rateWeek: Int?,
        lowScore: () -> LowScore
    ) {
        let score = Int(s)
        let hasScore = score >= 1 && score <= 5
        if let w = rateWeek {
            series[w].resolved += 1
            if hasScore { series[w].resolvedWithScore += 1 }
        }
        guard let w = responseWeek else { return }
        if invalid { series[w].invalidScores += 1 }
        guard hasScore else { return }
        series[w].responses += 1
        series[w].scoreSum += score
        series[w].distribution[score - 1] += 1
        if score <= 2 { series[w].lowScores.append(lowScore()) }
    }

    public mutating func merge(_ other: SatisfactionAccumulator) {
        series.merge(other.series) { a, b in
            a.responses += b.responses
            a.scoreSum += b.scoreSum
            for i in 0..<5 { a.distribution[i] += b.distribution[i] }
            a.lowScores += b.lowScores
            a.resolved += b.resolved
            a.resolvedWithScore += b.resolvedWithScore
            a.invalidScores += b.invalidScores
            a.lowScoresElsewhere += b.lowScoresElsewhere
        }
    }

    /// Fills `satisfaction` and `invalid_scores` of week `w`, and with `records` its
    /// `lowScoreRecords` (else `lowScoreRecords(week:pool:)` makes them when they are rendered).
    func finish(week w: Int, into s: inout WeeklySummary, pool: StringPool, records: Bool = true) {
        let week = series[w]
        var out = SatisfactionSummary()
        out.responses = week.responses
        out.distribution = week.distribution
        if week.responses > 0 {
            out.mean = Double(week.scoreSum) / Double(week.responses)
            out.csat = Double(week.distribution[3] + week.distribution[4]) / Double(week.responses)
        }
        out.lowScores = week.lowScores.count + week.lowScoresElsewhere
        if week.resolved > 0 { out.responseRate = Double(week.resolvedWithScore) / Double(week.resolved) }
        s.satisfaction = out
        s.dataQuality.invalidScores = week.invalidScores
        if records { s.lowScoreRecords = lowScoreRecords(week: w, pool: pool) }
    }

    /// The rows of week `w`'s `low_scores.csv`, in their order.
    func lowScoreRecords(week w: Int, pool: StringPool) -> [LowScoreRecord] {
        let week = series[w]
        let records = week.lowScores.map { l in
            var r = LowScoreRecord(
                ticketID: pool.string(l.ticket), orderID: pool.string(l.order), agent: pool.string(l.agent),
                score: Int(l.score), category: ComplaintAccumulator.name(l.category, pool),
                resolvedAt: l.resolved, surveyedAt: l.surveyed)
            r.surveyID = pool.string(l.survey)
            r.comment = pool.string(l.comment)
            return r
        }
        return records.sorted(by: Self.precedes)
    }

    /// low_scores.csv's order: ticket id (bytes), then the remaining fields so duplicates still
    /// sort the same way.
    static func precedes(_ a: LowScoreRecord, _ b: LowScoreRecord) -> Bool {
        func before(_ x: String, _ y: String) -> Bool? {
            x.utf8.elementsEqual(y.utf8) ? nil : x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        if let r = before(a.ticketID, b.ticketID) { return r }
        if a.surveyedAt != b.surveyedAt { return a.surveyedAt < b.surveyedAt }
        if a.resolvedAt != b.resolvedAt { return a.resolvedAt < b.resolvedAt }
        if a.score != b.score { return a.score < b.score }
        if let r = before(a.surveyID, b.surveyID) { return r }
        if let r = before(a.orderID, b.orderID) { return r }
        return before(a.comment, b.comment) ?? false
    }
}

/// What a survey takes from its ticket (joined on ticket_id) for the callback list.
public struct SurveyTicketInfo: Sendable {
    public var category: StrID
    public var resolvedAt: Int64
    /// The ticket's values for the breakdowns (its merchant, else its order's).
    public var channel: StrID = .none
    public var type: UInt8 = 0
    public var priority: UInt8 = 0
    public var merchant: StrID = .none

    public init(category: StrID, resolvedAt: Int64) {
        self.category = category
        self.resolvedAt = resolvedAt
    }
}
