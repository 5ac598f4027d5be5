import SLAFast
import SLAMetrics
import SLAModel

/// The low-score callback list (差评回访) as the reports show it: each response is due a call
/// back `dueHours` after it came in (the survey's answer time, else the ticket's resolution);
/// earliest deadline first, then the lower score, then ticket and survey id. `maxShown` rows;
/// low_scores.csv has every one.
enum Callbacks {
    static let dueHours: Int64 = 24
    static let maxShown = 10
    /// Comments are cut to this many characters in the reports (the CSV keeps them whole).
    static let commentLength = 60

    static func due(_ r: LowScoreRecord) -> Timestamp {
        let at = r.surveyedAt != .missing ? r.surveyedAt : r.resolvedAt
        return at == .missing ? .missing : at + dueHours * 3600
    }

    static func ordered(_ rows: [LowScoreRecord]) -> [(record: LowScoreRecord, due: Timestamp)] {
        rows.map { ($0, due($0)) }.sorted { x, y in
            // A missing deadline (no time at all) goes last.
            if x.due != y.due { return y.due == .missing || (x.due != .missing && x.due < y.due) }
            if x.record.score != y.record.score { return x.record.score < y.record.score }
            if x.record.ticketID != y.record.ticketID { return x.record.ticketID < y.record.ticketID }
            return x.record.surveyID < y.record.surveyID
        }
    }

    static func comment(_ text: String) -> String {
        let folded = text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : String($0) }.joined()
        guard folded.count > commentLength else { return folded }
        return String(folded.prefix(commentLength - 1)) + "…"
    }
}
