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

    /// The goal line's label goes where no series runs: above its right end by default, to the
    /// left end when the newest points sit on the line, below when lines run above both ends,
    /// nowhere when lines cross all four places (the legend names the line).
    @Test(arguments: [
        ([0.80, 0.80, 0.80, 0.80], "x=\"546\" y=\"23.2\" class=\"goallab\" text-anchor=\"end\""),
        ([0.80, 0.85, 0.90, 0.95], "x=\"50\" y=\"23.2\" class=\"goallab\" text-anchor=\"start\""),
        ([0.97, 0.97, 0.97, 0.97], "x=\"546\" y=\"40.2\" class=\"goallab\" text-anchor=\"end\""),
        ([0.97, 0.90, 0.90, 0.97], nil),
    ])
    func goalLabelAvoidsTheLines(values: [Double], placed: String?) {
        let svg = SVGChart.lines(
            [SVGChart.Series(name: "s", color: "#000", values: values)],
            xLabels: ["W1", "W2", "W3", "W4"], percent: true, goal: (0.95, "goal 95%"),
            noData: "-", yMin: 0.4)
        #expect(svg.contains("class=\"goal\""))
        if let placed { #expect(svg.contains(placed), "\(svg)") } else { #expect(!svg.contains("goallab"), "\(svg)") }
    }

    /// A merchant's complaint rate has one decimal like every other percentage (0.02549 as
    /// "2.5%", not "2.55%"); the threshold stays as configured.
    @Test func alertRateHasOneDecimal() {
        var w = ReportFixtures.small()
        w.alerts[1].value = 0.02549
        w.alerts[1].threshold = 0.0225
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [w], rejects: [])
        let html = renderedText(files, "2026-W47/report.html")
        // This week, last week (none), the rise in points, the threshold.
        #expect(
            html.contains(
                "<td class=\"n bad\">2.5%</td><td class=\"n\">—</td><td class=\"n\">+2.5 pp</td><td class=\"n\">≥ 2.25%</td>"
            ), "\(html)")
        #expect(renderedText(files, "2026-W47/report.md").contains("| 2.5% | — | +2.5 pp | ≥ 2.25% |"))
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
        #expect(
            files.map(\.path) == [
                "2026-W48/summary.json", "2026-W48/report.html", "2026-W48/report.md",
                "2026-W48/sla_breaches.csv", "2026-W48/low_scores.csv", "2026-W48/agents.csv",
                "2026-W48/alerts.csv", "2026-W48/repeat_contacts.csv", "index.html", "weeks.csv", "open_items.csv",
                "run.json",
                "rejects.csv",
            ])
    }
}
