import Foundation
import Testing
@testable import SLAReport

@Suite struct ReportsHTMLTests {
    static func nastyWeek() -> WeeklySummary {
        var w = ReportFixtures.small()
        w.complaints.top[0].category = "<script>alert(1)</script>"
        w.agents[0].agent = "A\"&'7"
        w.alerts[0].subject = "<img src=x onerror=alert(1)>"
        w.breaches[0].ticketID = "<b>T3</b>"
        return w
    }

    @Test func escapesInputValues() {
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [Self.nastyWeek()], rejects: [])
        let html = renderedText(files, "2026-W47/report.html")
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("A&quot;&amp;&#39;7"))
        #expect(!html.contains("A\"&'7"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>T3"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        let index = renderedText(files, "index.html")
        #expect(!index.contains("<script") && !index.contains("http://") && !index.contains("https://"))
    }

    @Test func emptyWeekShowsDashesNotZeros() {
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [ReportFixtures.small(), ReportFixtures.emptyWeek()], rejects: [])
        let html = renderedText(files, "2026-W48/report.html")
        #expect(html.contains("No data in this week."))
        #expect(html.contains("<div class=\"big\">—</div>"))
        #expect(!html.contains("<div class=\"big\">0</div>"))
        #expect(!html.contains("0.0%"))
    }

    @Test func allFilesPresent() {
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [ReportFixtures.small(), ReportFixtures.emptyWeek()], written: 1..<2, rejects: [])
        #expect(files.map(\.path) == ["2026-W48/summary.json", "2026-W48/report.html", "2026-W48/report.md",
                                      "2026-W48/sla_breaches.csv", "2026-W48/low_scores.csv", "2026-W48/agents.csv",
                                      "index.html", "weeks.csv", "run.json", "rejects.csv"])
    }
}
