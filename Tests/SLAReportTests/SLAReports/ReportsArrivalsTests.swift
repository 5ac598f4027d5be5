import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// The heat map, the repeat-contact tile and the flagged agents in report.html and report.md.
@Suite struct ReportsArrivalsTests {
    /// Three tickets: Tue 10–11 twice (the busiest, darkest cell), Sun 23–24 once; one repeat.
    static func week() -> WeeklySummary {
        var w = ReportFixtures.small()
        w.arrivals[1 * 24 + 10] = 2
        w.arrivals[6 * 24 + 23] = 1
        w.repeatContacts.count = 1
        w.repeatContacts.share = 1.0 / 3
        return w
    }

    @Test func heatMapIsAnAccessibleTable() {
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [Self.week()], rejects: [])
        let html = renderedText(files, "2026-W47/report.html")
        #expect(
            html.contains(
                "<table class=\"heat\">\n<caption>Tickets created this week, by weekday and local hour (Asia/Shanghai)")
        )
        #expect(html.contains("<th scope=\"row\">Tue</th>") && html.contains("<th scope=\"col\" class=\"n\">23</th>"))
        // The busiest cell is the darkest (q5); one of two is 3/5 of the way (⌈5 × 1 / 2⌉ = 3).
        #expect(html.contains("<td class=\"q5\" title=\"Tue 10:00–11:00, 2 created\">2</td>"))
        #expect(html.contains("<td class=\"q3\" title=\"Sun 23:00–24:00, 1 created\">1</td>"))
        #expect(html.contains("<td class=\"q0\" title=\"Mon 00:00–01:00, 0 created\"></td>"))
        #expect(html.contains("Busiest hours: Tue 10:00–11:00 (2), Sun 23:00–24:00 (1)"))
        // The repeat tile links the list; still no script and no network.
        #expect(html.contains("<a href=\"repeat_contacts.csv\">1 of 3 tickets</a>"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        let md = renderedText(files, "2026-W47/report.md")
        #expect(md.contains("| Repeat contacts (within 7 d) | 33.3% (1) |"))
        #expect(md.contains("\nBusiest hours: Tue 10:00–11:00 (2), Sun 23:00–24:00 (1)\n"))
    }

    @Test func zhUsesFullWidthPunctuation() {
        var config = ReportFixtures.config()
        config.lang = .zh
        let files = ReportSet(config: config, zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [Self.week()], rejects: [])
        let md = renderedText(files, "2026-W47/report.md")
        #expect(md.contains("最忙时段：周二 10:00–11:00（2）、周日 23:00–24:00（1）"))
        #expect(md.contains("| 二次申诉（7天内） | 33.3%（1） |"))
    }
}
