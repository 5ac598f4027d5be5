import SLAReport

/// One satisfaction survey of a resolved ticket: the invitation and, when answered before the
/// export, its score and comment. Timestamps are local seconds, -1 = empty.
struct Survey: Sendable {
    var ticket: Int32
    var sent: Int64
    var answered: Int64 = -1
    /// 0 = not answered, 1...5.
    var score: UInt8 = 0
    /// Index into `Vocabulary.surveyComments`, -1 = none.
    var comment: Int16 = -1
    /// The export leaves the agent empty; slareport takes it from the ticket.
    var hideAgent = false
    var updated: Int64 = -1
}

/// The surveys of a shop's tickets, sorted by `sent_at`: an invitation shortly after about 60 %
/// of the resolved tickets, most of them answered within hours. Drawn from their own stream
/// (41), so adding surveys changes nothing in the other tables.
struct SurveyBook: Sendable {
    var surveys: [Survey] = []

    static let invitedPercent: UInt64 = 60
    static let answerRate = 0.7
    static let commentRate = 0.55
    static let hiddenAgentRate = 0.15
    /// How often the survey repeats the score the ticket's own follow-up call recorded.
    static let sameAsTicketRate = 0.8

    init(tickets: [Ticket], cfg: GenConfig) {
        var rng = PRNG(seed: cfg.seed, stream: 41)
        let cut = cfg.span.cutoff
        var byScore: [[Int16]] = Array(repeating: [], count: 6)
        for (k, c) in Vocabulary.surveyComments.enumerated() {
            for s in c.scores { byScore[Int(s)].append(Int16(k)) }
        }
        for (i, t) in tickets.enumerated() where t.resolved >= 0 && cfg.h(6, i) % 100 < SurveyBook.invitedPercent {
            // Every invited ticket draws the same values whatever the cutoff, so a shorter span
            // does not shift the surveys of earlier tickets.
            var s = Survey(ticket: Int32(i), sent: t.resolved + 120 + Int64(rng.below(2 * 3600)))
            s.hideAgent = rng.chance(SurveyBook.hiddenAgentRate)
            let answers = rng.chance(SurveyBook.answerRate)
            let answered = s.sent + 60 + rng.logNormal(median: 4 * 3600, sigma: 1.3)
            var score = t.satisfaction
            if score == 0 || !rng.chance(SurveyBook.sameAsTicketRate) {
                let breached =
                    t.firstResponse - t.created > 24 * 3600 || t.resolved - t.created > 5 * 24 * 3600
                    || t.escalated >= 0
                let weights: [Double] = breached ? [24, 14, 20, 22, 20] : [5, 4, 9, 27, 55]
                score = UInt8(1 + rng.pick(cumulative(weights)))
            }
            let pool = byScore[Int(score)]
            let comment = rng.chance(SurveyBook.commentRate) ? pool[rng.below(pool.count)] : -1
            let lag = Int64(1 + rng.below(600))
            guard s.sent <= cut else { continue }
            if answers && answered <= cut {
                s.answered = answered
                s.score = score
                s.comment = comment
            }
            s.updated = min(cut, max(s.sent, s.answered) + lag)
            surveys.append(s)
        }
        surveys.sort { ($0.sent, $0.ticket) < ($1.sent, $1.ticket) }
    }
}
