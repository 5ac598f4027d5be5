import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite struct ReportsCSVTests {
    @Test func quotingAndLineEnds() {
        var w = CSVWriter(bom: false)
        w.row([
            .text("a"), .text("b,c"), .text("say \"hi\""), .text("two\nlines"), .int(3), .number(0.1 + 0.2),
            .number(nil),
        ])
        #expect(w.text == "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",3,0.3,\r\n")
        #expect(w.bytes.first == UInt8(ascii: "a"))
    }

    @Test func bomOnAndOff() {
        var on = CSVWriter(bom: true)
        on.header(["x"])
        #expect(Array(on.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        var off = CSVWriter(bom: false)
        off.header(["x"])
        #expect(off.bytes == Array("x\r\n".utf8))
    }

    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+8613800138000", "'+8613800138000"),
        ("-5", "'-5"),
        ("@sum", "'@sum"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("A07", "A07"),
        ("质量问题", "质量问题"),
    ])
    func formulaNeutralisation(raw: String, cell: String) {
        var w = CSVWriter(bom: false)
        w.row([.input(raw)])
        #expect(w.text == cell + "\r\n")
    }

    @Test func numbersAreNotNeutralised() {
        var w = CSVWriter(bom: false)
        w.row([.int(-5), .number(-0.25)])
        #expect(w.text == "-5,-0.25\r\n")
    }

    @Test func perWeekFiles() {
        let cfg = ReportFixtures.config()
        let files = ReportSet(config: cfg, zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [ReportFixtures.small()], rejects: [])
        let breaches = renderedText(files, "2026-W47/sla_breaches.csv")
        // 1_795_000_000 = 2026-11-18 11:06:40 UTC = 19:06:40 in Shanghai (UTC+8); due one day later.
        // An agent copied from the input that starts with "-" is neutralised with a quote.
        #expect(
            breaches == "\u{FEFF}ticket_id,order_id,policy,start,stop,elapsed_hours,target_hours,state,table,id,due,"
                + "agent,type,priority\r\n"
                + "T3,O3,first_response,2026-11-18T19:06:40+08:00,,108.8889,24,breached_open,tickets,T3,"
                + "2026-11-19T19:06:40+08:00,'-A07,complaint,urgent\r\n")
        let agents = renderedText(files, "2026-W47/agents.csv")
        #expect(
            agents.contains(
                "agent,tickets,first_response_met,first_response_breached,first_response_attainment,"
                    + "repair_fault_confirm_met,repair_fault_confirm_breached,repair_fault_confirm_attainment,responses,mean,csat,"
                    + "resolved,handling_p50_hours,low_scores,low_score_flagged\r\n"))
        // A week file: the monthly low-score flag is empty.
        #expect(agents.contains("A07,3,2,1,0.6667,0,0,,3,3.3333,0.3333,0,,0,\r\n"))
        let low = renderedText(files, "2026-W47/low_scores.csv")
        #expect(
            low.hasPrefix(
                "\u{FEFF}ticket_id,order_id,agent,score,category,resolved_at,surveyed_at,survey_id,comment\r\n"))
        // 1_795_100_000 = 2026-11-19 14:53:20 UTC = 22:53:20 +08:00; the comment is quoted (comma, quotes).
        #expect(low.hasSuffix("T2,,A07,1,质量问题,2026-11-19T22:53:20+08:00,,S9,\"太慢了, \"\"再也不买\"\"\"\r\n"))
        // alerts.csv: every alert with the previous period's value (P123 had 2; M9 none).
        #expect(
            renderedText(files, "2026-W47/alerts.csv") == "\u{FEFF}kind,subject,value,threshold,previous\r\n"
                + "product_complaints,P123,4,3,2\r\nmerchant_complaint_rate,M9,0.025,0.02,\r\n")
        let weeks = renderedText(files, "weeks.csv")
        // Then per policy eligible, met, breached, pending, p50, p90 (first_response 3, 2, 1, 0, 0.5, 0.3;
        // repair_fault_confirm nothing), and the scores 1, 3, 4: sum 8, one 4–5, one 1–2.
        #expect(
            weeks.contains(
                "2026-W47,2026-11-16,2026-11-22,120,3,2,0.6667,,0.3333,3,2,4,1,2,"
                    + "3,2,1,0,0.5,0.3,0,0,0,0,,,8,1,1\r\n"))
    }

    @Test func rejectsRawLine() {
        let r = Reject(
            table: .tickets, location: RowLocation(file: "t.csv", line: 7, record: 6), kind: .fieldCount,
            reason: "3 fields, header has 4", raw: ["T1", "a,b", "=1+1"])
        let csv = CSVReports(zone: .utc, policies: [], bom: false).rejects([r])
        #expect(
            String(decoding: csv, as: UTF8.self)
                == "file,line,table,kind,reason,raw\r\nt.csv,7,tickets,field_count,\"3 fields, header has 4\",\"T1,\"\"a,b\"\",=1+1\"\r\n"
        )
    }
}

@Suite struct AgentOrderTests {
    static func agent(_ name: String, met: Int, breached: Int) -> AgentSummary {
        var a = AgentSummary(agent: name)
        var r = AgentPolicyResult(policy: "first_response")
        (r.met, r.breached) = (met, breached)
        a.sla = [r]
        return a
    }

    /// Worst first: attainment ascending (none last), then breaches descending, then name.
    @Test func worstFirst() {
        let agents = [
            Self.agent("A1", met: 9, breached: 1),  // 90 %
            Self.agent("A2", met: 1, breached: 1),  // 50 %, 1 breach
            Self.agent("A3", met: 0, breached: 0),  // no result: last
            Self.agent("A4", met: 2, breached: 2),  // 50 %, 2 breaches: before A2
            Self.agent("A0", met: 9, breached: 1),  // 90 %, same as A1: by name
        ]
        #expect(AgentOrder.worstFirst(agents).map(\.agent) == ["A4", "A2", "A0", "A1", "A3"])
    }

    /// The page lists the 40 worst agents and says how many more agents.csv holds.
    @Test func pageCapsTheAgentTable() {
        var w = ReportFixtures.small()
        w.agents = (0..<45).map { Self.agent("B\(100 + $0)", met: $0, breached: 1) }
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [w], rejects: [])
        let html = String(decoding: files.first { $0.path == "2026-W47/report.html" }!.bytes, as: UTF8.self)
        #expect(html.contains("<td>B100</td>") && html.contains("<td>B139</td>") && !html.contains("<td>B140</td>"))
        #expect(html.contains("5 more agents, all in agents.csv"))
        let csv = String(decoding: files.first { $0.path == "2026-W47/agents.csv" }!.bytes, as: UTF8.self)
        #expect(csv.contains("B144"))
    }
}
