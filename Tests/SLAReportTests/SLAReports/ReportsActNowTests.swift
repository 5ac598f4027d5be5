import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// The top of the page ("this week, first"), the "act now" section, the closed breaches and
/// open_items.csv, rendered from ReportFixtures.small() (first response 66.7 % against a 95 %
/// goal, one open breach 3 d 13 h overdue, one ticket due in 5 h, one low score, two alerts).
@Suite("Reports: act now")
struct ReportsActNowTests {
    func render(_ weeks: [WeeklySummary], lang: ReportLanguage = .en, openItems: [OpenItem] = []) -> [(
        path: String, bytes: [UInt8]
    )] {
        ReportSet(config: ReportFixtures.config(lang: lang), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: weeks, rejects: [], openItems: openItems)
    }

    /// The week before: first response at 80 % (so −13.3 pp), nothing else.
    func previousWeek() -> WeeklySummary {
        var p = WeeklySummary(
            week: "2026-W46", weekStart: "2026-11-09", weekEnd: "2026-11-15",
            timezone: "Asia/Shanghai", asOf: "2026-11-23T08:00:00+08:00")
        var fr = SLAResult(
            policy: "first_response", label: "First response within 24 h / 24小时内首次响应",
            targetHours: 24, clock: .wallClock)
        fr.eligible = 5
        fr.met = 4
        fr.breached = 1
        fr.attainment = 0.8
        p.sla = [fr]
        p.ticketsCreated = 5
        return p
    }

    @Test func firstBlockLeadsThePage() {
        let html = renderedText(render([previousWeek(), ReportFixtures.small()]), "2026-W47/report.html")
        let first = html.range(of: "id=\"first\"")!.lowerBound
        #expect(first < html.range(of: "class=\"tiles\"")!.lowerBound)
        let block = String(html[first...].prefix { _ in true }.split(separator: "</section>")[0])
        // 2 of 3 met = 66.7 % against the goal 95 %, 80 % the week before: −13.3 pp.
        #expect(block.contains("<b class=\"bad\">66.7%</b> First response within 24 h"))
        #expect(block.contains("goal 95% · −13.3 pp vs last week"))
        // One open breach, one pending item due in 5 h.
        #expect(block.contains("<b class=\"bad\">1</b> overdue · <b>1</b> due within 24 h"))
        #expect(
            block.contains(
                "<a href=\"low_scores.csv\"><b class=\"bad\">1</b> low scores (1–2) waiting for a callback</a>"))
        // One alert of each kind, the product's with last week's count.
        #expect(block.contains("Products with many after-sales cases: <b>P123</b> 4 <small>last week 2</small>"))
        #expect(block.contains("Merchants with a high after-sales rate: <b>M9</b> 2.5%"))
    }

    @Test func actNowListsTheOverdueWithAgentAndAging() {
        let html = renderedText(render([ReportFixtures.small()]), "2026-W47/report.html")
        let section = String(html[html.range(of: "id=\"act-now\"")!.lowerBound...].split(separator: "</section>")[0])
        // Newest week: every open item.
        #expect(section.contains("whichever week it started in"))
        #expect(section.contains("2 open: 1 overdue, 1 due within 24 h."))
        #expect(
            section.contains(
                "<td>T3</td><td>First response within 24 h</td><td>-A07</td><td>complaint</td><td>urgent</td>"))
        #expect(section.contains("<td class=\"n bad\">3 d 13 h</td>"))
        #expect(section.contains("<a href=\"../open_items.csv\">open_items.csv</a>"))
        // By age: T3 is 24 h + 84 h 53 min = 4.5 d old (3–7 d); T5 started 90 h after T3, so
        // 18 h 53 min before as_of (< 1 d).
        #expect(section.contains("<tr><td>&lt; 1 d</td><td class=\"n\">1</td><td class=\"n\">0</td></tr>"))
        #expect(section.contains("<tr><td>3–7 d</td><td class=\"n\">1</td><td class=\"n bad\">1</td></tr>"))
        // The closed-breaches section leaves the open breach out.
        let closed = String(html[html.range(of: "id=\"breaches\"")!.lowerBound...].split(separator: "</section>")[0])
        #expect(closed.contains("Breaches closed late"))
        #expect(!closed.contains("<td>T3</td>"))
    }

    @Test func actNowCapsTheListAndCountsTheRest() {
        var w = ReportFixtures.small()
        let template = w.openItems.mostOverdue[0]
        w.openItems = OpenItemsDigest(
            (0..<20).map { k in
                var i = template
                i.id = "T\(100 + k)"
                i.secondsLeft = -Int64(20 - k) * 3600
                i.due = template.due - Int64(20 - k) * 3600  // by due, as open_items.csv
                return i
            })
        let html = renderedText(render([w]), "2026-W47/report.html")
        #expect(html.contains("The 15 most overdue of 20; every open item is in"))
        #expect(html.contains("<td>T114</td>") && !html.contains("<td>T115</td>"))
        let md = renderedText(render([w]), "2026-W47/report.md")
        #expect(md.contains("The 15 most overdue of 20; every open item is in [open\\_items.csv](../open_items.csv)."))
        #expect(md.contains("| T100 | First response within 24 h | \\-A07 | complaint | urgent | 20 h |"))
    }

    @Test func chineseAndMarkdownSayTheSame() {
        let zh = renderedText(render([previousWeek(), ReportFixtures.small()], lang: .zh), "2026-W47/report.html")
        #expect(zh.contains("本周要点") && zh.contains("立即处理") && zh.contains("3天13小时"))
        #expect(zh.contains("较上周 −13.3 个百分点"))
        let md = renderedText(render([previousWeek(), ReportFixtures.small()]), "2026-W47/report.md")
        #expect(md.contains("## This week, first"))
        #expect(md.contains("  - **66.7%** First response within 24 h (goal 95% · −13.3 pp vs last week)"))
        #expect(md.contains("- Open now: 1 overdue · 1 due within 24 h"))
        #expect(md.contains("## Act now: open and overdue"))
    }

    @Test func openItemsCSV() {
        let items = ReportFixtures.small().openItems.mostOverdue + [ReportFixtures.dueSoonItem]
        let csv = renderedText(render([ReportFixtures.small()], openItems: items), "open_items.csv")
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "\u{FEFF}table,id,order_id,policy,start,due,state,hours_left,agent,type,priority,status")
        // start 1_795_000_000 = 2026-11-18T19:06:40+08:00; the agent "-A07" neutralised.
        #expect(
            lines[1]
                == "tickets,T3,O3,first_response,2026-11-18T19:06:40+08:00,2026-11-19T19:06:40+08:00,breached_open,-84.8833,'-A07,complaint,urgent,"
        )
        #expect(lines[2].hasPrefix("tickets,T5,,first_response,") && lines[2].contains(",pending,5,A07,,,"))
        #expect(lines.count == 3)
    }

    /// `attainment_goal` from the config draws the trend's goal line and marks the agents table
    /// (nothing hard-coded to 95 %).
    @Test func theConfigsAttainmentGoalDrivesTheMarks() {
        var config = ReportFixtures.config(lang: .en)
        config.attainmentGoal = 0.5
        let files = ReportSet(config: config, zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [previousWeek(), ReportFixtures.small()], rejects: [])
        let html = renderedText(files, "2026-W47/report.html")
        #expect(html.contains("goal 50%"))
        let index = renderedText(files, "index.html")
        #expect(index.contains("goal 50%"))
        let base = renderedText(render([previousWeek(), ReportFixtures.small()]), "2026-W47/report.html")
        #expect(base.contains("goal 95%") && html != base)
    }
}
