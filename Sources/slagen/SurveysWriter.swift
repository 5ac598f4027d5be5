import Foundation
import SLAReport

/// Writes the surveys table (`--surveys`): the main English file and, with `--messy`, a second
/// dump holding the answered versions of invitations the first export saw unanswered (some
/// without a survey_id, so they merge on ticket, order and sent_at) and exact copies, plus
/// invalid scores and rows with neither sent_at nor answered_at (rejected).
struct SurveysWriter {
    static let english = [
        "survey_id", "ticket_id", "order_id", "agent", "score", "sent_at", "answered_at", "comment",
        "updated_at",
    ]
    static let badScores = ["0", "4.5", "x", "0", "4.5", "x"]

    /// How `sent_at` is written: through the file's mixer, always standard (a key must match its
    /// other copy), or in another exact form (the copy that must still match).
    enum SentForm { case mixed, standard, otherForm }

    let cfg: GenConfig
    let tickets: TicketBook
    let manifest: Manifest
    let comments = Vocabulary.surveyComments.map { Swift.Array($0.text.utf8) }

    /// One row; `invitation` writes the survey as it stood before it was answered.
    func row(
        _ s: Survey, w: ByteWriter, ts: inout TimestampMixer, showID: Bool = true, invitation: Bool = false,
        sent: SentForm = .mixed, score: String? = nil
    ) {
        let i = Int(s.ticket)
        let t = tickets.tickets[i]
        if showID { w.surveyID(i) }
        w.sep()
        w.ticketID(i)
        w.sep()
        if t.order >= 0 { w.orderID(Int(t.order)) }
        w.sep()
        if !s.hideAgent && t.agent > 0 { w.agentID(Int(t.agent)) }
        w.sep()
        if let score { w.append(Swift.Array(score.utf8)) } else if !invitation && s.score > 0 { w.byte(48 + s.score) }
        w.sep()
        switch sent {
        case .mixed: ts.write(w, s.sent)
        case .standard: w.timestamp(s.sent)
        case .otherForm: ts.writeExactVariant(w, s.sent)
        }
        w.sep()
        if !invitation { ts.write(w, s.answered) }
        w.sep()
        if !invitation && s.comment >= 0 { w.quoted(comments[Int(s.comment)]) }
        // The invitation's own update, before any answer (answers come a minute or more later).
        w.sep()
        ts.write(w, invitation ? s.sent + 1 + Int64(s.ticket % 59) : s.updated)
        w.endRow()
    }

    func header(_ w: ByteWriter) {
        w.append(csvLine(SurveysWriter.english.map { Swift.Array($0.utf8) }))
        w.byte(10)
    }

    func writeAll() throws {
        let surveys = SurveyBook(tickets: tickets.tickets, cfg: cfg).surveys
        let mainName = cfg.messy ? "surveys-\(cfg.dayBefore)\(cfg.ext)" : "surveys-\(cfg.endDate)\(cfg.ext)"
        let mainFile = try OutputFile(directory: cfg.out, name: mainName, gzipLevel: cfg.gzLevel)
        let w = ByteWriter(sink: mainFile)
        header(w)
        var ts = TimestampMixer(seed: cfg.seed, stream: 42, rate: cfg.messy ? 0.01 : 0, zone: cfg.zone)
        var invalid: Set<Int32> = []
        defer { truth(surveys, invalid: invalid) }
        if !cfg.messy {
            for s in surveys {
                w.rowBoundary()
                row(s, w: w, ts: &ts)
            }
            w.flush()
            mainFile.close()
            manifest.file(
                mainFile, table: "surveys", rows: w.rows, details: ["encoding=utf-8", "header=english", "eol=lf"])
            return
        }
        let dumpFile = try OutputFile(directory: cfg.out, name: "surveys-\(cfg.endDate)-dump2.csv", gzipLevel: nil)
        let dw = ByteWriter(sink: dumpFile)
        header(dw)
        var dts = TimestampMixer(seed: cfg.seed, stream: 43, rate: 0, zone: cfg.zone)
        let n = surveys.count
        let rejects = 3
        var nextReject = 0
        var stale = 0
        var staleNoID = 0
        var dups = 0
        let bad = SurveysWriter.badScores
        for (k, s) in surveys.enumerated() {
            while nextReject < rejects && k >= (nextReject + 1) * n / (rejects + 1) {
                w.rowBoundary()
                rejectRow(surveys[(nextReject * 7919) % n], nextReject, w: w)
                nextReject += 1
            }
            w.rowBoundary()
            let h = cfg.h(6, Int(s.ticket))
            if s.score > 0 && (h >> 16) % 100 < 6 {
                // The first export saw the invitation; the second one has the answer (a later
                // updated_at). One pair in four carries no survey_id: the key is then
                // (ticket_id, order_id, sent_at), with sent_at written another way in the copy.
                let noID = (h >> 40) % 4 == 0
                row(s, w: w, ts: &ts, showID: !noID, invitation: true, sent: noID ? .standard : .mixed)
                dw.rowBoundary()
                row(s, w: dw, ts: &dts, showID: !noID, sent: noID ? .otherForm : .mixed)
                stale += 1
                if noID { staleNoID += 1 }
                continue
            }
            if s.score > 0 && invalid.count < bad.count && k >= (invalid.count + 1) * n / (bad.count + 1) {
                row(s, w: w, ts: &ts, score: bad[invalid.count])
                invalid.insert(s.ticket)
                continue
            }
            let start = w.count
            row(s, w: w, ts: &ts)
            if (h >> 24) % 1000 < 10 {
                dw.rowBoundary()
                dw.append(w.base + start, w.count - start)
                dw.rows += 1
                dups += 1
            }
        }
        manifest.add("surveys.kept.invalid_score", invalid.count)
        manifest.add("surveys.dup.invitation_then_answered", stale)
        manifest.add("surveys.dup.invitation_then_answered_without_survey_id", staleNoID)
        manifest.add("surveys.dup.exact_copy", dups)
        manifest.add("surveys.reject.missing_required", nextReject)
        for (f, wr, details) in [
            (
                mainFile, w,
                ["encoding=utf-8", "header=english", "eol=lf", "timestamps_nonstandard=" + variantSummary(ts)]
            ),
            (
                dumpFile, dw,
                [
                    "encoding=utf-8", "header=english", "eol=lf",
                    "content=answered versions of \(stale) invitations (\(staleNoID) without survey_id) + \(dups) exact copies of main-file rows",
                ]
            ),
        ] {
            wr.flush()
            f.close()
            manifest.file(f, table: "surveys", rows: wr.rows, details: details)
        }
    }

    /// A row with neither sent_at nor answered_at (ids SX…): slareport rejects it (missing_required).
    private func rejectRow(_ s: Survey, _ k: Int, w: ByteWriter) {
        let t = tickets.tickets[Int(s.ticket)]
        w.append(string: "SX\(10_001 + k)")
        w.sep()
        w.ticketID(Int(s.ticket))
        w.sep()
        if t.order >= 0 { w.orderID(Int(t.order)) }
        w.sep()
        if t.agent > 0 { w.agentID(Int(t.agent)) }
        w.sep()
        if k == 0 { w.byte(UInt8(ascii: "5")) }
        w.sep()
        w.sep()
        w.sep()
        if k == 0 { w.append(string: "好评") }
        w.sep()
        w.timestamp(s.updated)
        w.endRow()
    }

    /// What slareport should find after dedup: one survey per key.
    private func truth(_ surveys: [Survey], invalid: Set<Int32>) {
        var answered = 0
        var unanswered = 0
        var low = 0
        var withComment = 0
        var quoted = 0
        var agentJoin = 0
        var noAgent = 0
        for s in surveys {
            let t = tickets.tickets[Int(s.ticket)]
            if invalid.contains(s.ticket) {
            } else if s.score > 0 {
                answered += 1
                if s.score <= 2 { low += 1 }
            } else {
                unanswered += 1
            }
            if s.comment >= 0 {
                withComment += 1
                if comments[Int(s.comment)].contains(where: { $0 == 44 || $0 == 34 || $0 == 10 }) { quoted += 1 }
            }
            if t.agent == 0 { noAgent += 1 } else if s.hideAgent { agentJoin += 1 }
        }
        manifest.add("surveys.unique_ids", surveys.count)
        manifest.add("surveys.truth.answered_valid_score", answered)
        manifest.add("surveys.truth.unanswered", unanswered)
        manifest.add("surveys.truth.low_scores_1_2", low)
        manifest.add("surveys.truth.with_comment", withComment)
        manifest.add("surveys.truth.comment_needs_quoting", quoted)
        manifest.add("surveys.truth.agent_empty_join_from_ticket", agentJoin)
        manifest.add("surveys.truth.no_agent_anywhere", noAgent)
        manifest.fact(
            "surveys",
            "one invitation 2 min–2 h after resolved_at for \(SurveyBook.invitedPercent) % of resolved tickets; "
                + "~70 % answered (score 1–5, comment on ~55 % of answers); agent left empty on ~15 % of rows")
    }
}
