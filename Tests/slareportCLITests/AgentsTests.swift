import Foundation
import Testing

/// End-to-end: the agents of a period in summary.json and agents.csv.
@Suite("CLI.agents", .serialized)
struct AgentsTests {
    /// 21,000 agents in one week: more than a period holds in memory, so summary.json and
    /// agents.csv are streamed to temporary files and staged from there. The files are whole,
    /// and no temporary file is left in the output folder.
    @Test func manyAgentsAreStreamedWhole() throws {
        let dir = try CLI.scratch()
        let n = 21_000
        var csv = "ticket_id,created_at,type,agent,first_response_at\n"
        for i in 0..<n {
            // Agent i answers after i mod 30 hours: over 24 h for i mod 30 in 25…29.
            csv +=
                "T\(i),2026-11-16 08:00,inquiry,AG\(100_000 + i),2026-11-\(16 + (8 + i % 30) / 24) \((8 + i % 30) % 24):00\n"
        }
        try CLI.write(csv, to: dir.appendingPathComponent("in/tickets.csv"))
        try CLI.write("timezone = \"UTC\"\nperiods = [\"week\"]\n", to: dir.appendingPathComponent("slareport.toml"))
        let r = try CLI.run(["run", "--input", "in", "--out", "out", "--as-of", "2026-11-23T00:00:00Z"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.appendingPathComponent("out")
        let s = try SummaryReading.object(out, "2026-W47/summary.json")
        let agents = try #require(s["agents"] as? [[String: Any]])
        #expect(agents.count == n)
        #expect(agents.first?["agent"] as? String == "AG100000" && agents.last?["agent"] as? String == "AG120999")
        let rows = try String(contentsOf: out.appendingPathComponent("2026-W47/agents.csv"), encoding: .utf8)
            .split(separator: "\r\n")
        #expect(rows.count == n + 1)
        // Worst first: the agents who missed (i mod 30 ≥ 25, answered after 33 h or more) by
        // name, then those who met, by name.
        #expect(rows[1].hasPrefix("AG100025,1,0,1,0,"))
        #expect(rows[n].hasPrefix("AG120994,1,1,0,1,"))  // 20994 mod 30 = 24: the last who met
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    static let config = """
        timezone = "UTC"
        periods = ["week"]

        [[policy]]
        name = "first_response"
        start = "created_at"
        stop = "first_response_at"
        target = "24h"

        [[policy]]
        name = "refund"
        when = { type = ["refund"] }
        start = "created_at"
        stop = "resolved_at"
        target = "24h"
        """

    /// Two agents and three tickets without one, in 2026-W47 (as of Monday 23rd 00:00):
    /// T1 A1 answered in 1 h (met), score 5; T2 A1 refund answered in 26 h (breached), resolved
    /// in 12 h (refund met), score 2; T3 B2 never answered (breached by as_of); T4 answered in
    /// 30 min, score 4; T5 refund answered in 48 h and never resolved (both breached); T6
    /// answered in 1 h. T7 (B2) was created the week before: not in W47's cohort.
    static let tickets = """
        ticket_id,created_at,type,agent,first_response_at,resolved_at,satisfaction
        T1,2026-11-16 08:00,inquiry,A1,2026-11-16 09:00,,5
        T2,2026-11-16 08:00,refund,A1,2026-11-17 10:00,2026-11-16 20:00,2
        T3,2026-11-17 08:00,inquiry,B2,,,
        T4,2026-11-18 08:00,inquiry,,2026-11-18 08:30,,4
        T5,2026-11-18 09:00,refund,,2026-11-20 09:00,,
        T6,2026-11-19 08:00,inquiry,,2026-11-19 09:00,,
        T7,2026-11-12 08:00,inquiry,B2,2026-11-12 09:00,,

        """

    /// The tickets without an agent are one row, `(unassigned)`, last in summary.json and among
    /// the others worst first in agents.csv; every ticket counts once.
    @Test func unassignedTicketsFormOneRow() throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        try CLI.write(Self.config, to: dir.appendingPathComponent("slareport.toml"))
        let r = try CLI.run(["run", "--input", "in", "--out", "out", "--as-of", "2026-11-23T00:00:00Z"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.appendingPathComponent("out")
        let s = try SummaryReading.object(out, "2026-W47/summary.json")
        let agents = try #require(s["agents"] as? [[String: Any]])
        #expect(agents.map { $0["agent"] as? String } == ["A1", "B2", "(unassigned)"])
        // Tickets: A1 2 + B2 1 + unassigned 3 = the 6 created in W47, each once.
        #expect(agents.map { ($0["tickets"] as? NSNumber)?.intValue } == [2, 1, 3])
        #expect(((s["tickets"] as? [String: Any])?["created"] as? NSNumber)?.intValue == 6)
        func sla(_ a: [String: Any], _ p: String) -> [String: Any] {
            (a["sla"] as? [String: Any])?[p] as? [String: Any] ?? [:]
        }
        let u = agents[2]
        // First response: T4, T6 met, T5 breached; refund: T5 breached.
        #expect((sla(u, "first_response")["met"] as? NSNumber)?.intValue == 2)
        #expect((sla(u, "first_response")["breached"] as? NSNumber)?.intValue == 1)
        #expect((sla(u, "refund")["breached"] as? NSNumber)?.intValue == 1)
        #expect((u["responses"] as? NSNumber)?.intValue == 1 && (u["mean"] as? NSNumber)?.doubleValue == 4)
        // B2 has no refund ticket: the policy is still listed, 0 and 0, attainment null.
        #expect(sla(agents[1], "refund")["attainment"] is NSNull)

        // Worst first by attainment over all results: B2 0/1 = 0, unassigned 2/4 = 0.5,
        // A1 (1 + 1 met, 1 breached) 2/3. Then resolved, median handling, low scores and the
        // (monthly) flag, empty in a week: A1's T2 resolved in 12 h with a score of 2.
        let csv = String(
            decoding: try Data(contentsOf: out.appendingPathComponent("2026-W47/agents.csv")), as: UTF8.self)
        #expect(
            csv == "\u{FEFF}agent,tickets,first_response_met,first_response_breached,first_response_attainment,"
                + "refund_met,refund_breached,refund_attainment,responses,mean,csat,resolved,handling_p50_hours,low_scores,"
                + "low_score_flagged\r\n"
                + "B2,1,0,1,0,0,0,,0,,,0,,0,\r\n"
                + "(unassigned),3,2,1,0.6667,0,1,0,1,4,1,0,,0,\r\n"
                + "A1,2,1,1,0.5,1,0,1,2,3.5,0.5,1,12,1,\r\n")
        let html = try String(contentsOf: out.appendingPathComponent("2026-W47/report.html"), encoding: .utf8)
        #expect(html.contains("<td>(unassigned)</td><td class=\"n\">3</td>"))
        let zh = try CLI.run(
            ["run", "--input", "in", "--out", "zh", "--lang", "zh", "--as-of", "2026-11-23T00:00:00Z"], cwd: dir)
        #expect(zh.status == 0, "\(zh.stderr)")
        let zhHTML = try String(contentsOf: dir.appendingPathComponent("zh/2026-W47/report.html"), encoding: .utf8)
        #expect(zhHTML.contains("<td>（未指派）</td><td class=\"n\">3</td>"))
        // The data files keep the name whatever the language.
        let zhJSON = try SummaryReading.object(dir.appendingPathComponent("zh"), "2026-W47/summary.json")
        #expect((zhJSON["agents"] as? [[String: Any]])?.last?["agent"] as? String == "(unassigned)")
    }

    /// With a surveys table, a response no agent is attributed to (neither the survey nor its
    /// ticket names one) counts in the `(unassigned)` row, in the response's week.
    @Test func unattributedResponsesCountAsUnassigned() throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        // S1 joins T1 (A1); S2 joins T4 (no agent); S3 has no ticket and no agent; S4 names B2.
        try CLI.write(
            """
            survey_id,ticket_id,agent,score,answered_at
            S1,T1,,5,2026-11-17 10:00
            S2,T4,,1,2026-11-18 12:00
            S3,,,3,2026-11-19 12:00
            S4,,B2,4,2026-11-19 13:00

            """, to: dir.appendingPathComponent("in/surveys.csv"))
        try CLI.write(Self.config, to: dir.appendingPathComponent("slareport.toml"))
        let r = try CLI.run(["run", "--input", "in", "--out", "out", "--as-of", "2026-11-23T00:00:00Z"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let s = try SummaryReading.object(dir.appendingPathComponent("out"), "2026-W47/summary.json")
        let agents = try #require(s["agents"] as? [[String: Any]])
        #expect(agents.map { $0["agent"] as? String } == ["A1", "B2", "(unassigned)"])
        // A1: S1 (5); B2: S4 (4); unassigned: S2 (1) and S3 (3), mean 2, csat 0.
        #expect(agents.map { ($0["responses"] as? NSNumber)?.intValue } == [1, 1, 2])
        #expect(
            (agents[2]["mean"] as? NSNumber)?.doubleValue == 2 && (agents[2]["csat"] as? NSNumber)?.doubleValue == 0)
    }
}
