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

/// The capped lists of the reports: low-score callbacks and early warnings by kind.
@Suite struct ReportsListsTests {
    static func render(_ w: WeeklySummary, lang: ReportLanguage = .en) -> (html: String, md: String) {
        let files = ReportSet(
            config: ReportFixtures.config(lang: lang), zone: ReportFixtures.zone, run: ReportFixtures.run
        )
        .render(weeks: [w], rejects: [])
        return (renderedText(files, "2026-W47/report.html"), renderedText(files, "2026-W47/report.md"))
    }

    /// Twelve low scores answered an hour apart from Mon 2026-11-16 09:00 +08:00 (the fixture's
    /// as-of Mon 23 Nov 08:00 = 1_795_392_000, − 7 d + 1 h = 1_794_790_800), given in reverse: the list shows the ten due first, each 24 h after its
    /// answer, and counts the rest.
    static func twelveLowScores() -> WeeklySummary {
        var w = ReportFixtures.small()
        let first: Int64 = 1_794_790_800
        w.lowScoreRecords = (0..<12).reversed().map { k in
            var r = LowScoreRecord(
                ticketID: "T\(100 + k)", orderID: "", agent: "A\(k)", score: k % 2 + 1,
                category: "质量问题", resolvedAt: .missing, surveyedAt: first + Int64(k) * 3600)
            r.comment = k == 0 ? "东西坏了, 很失望" : ""
            return r
        }
        w.satisfaction.lowScores = 12
        return w
    }

    @Test func callbacksAreListedEarliestDueFirstAndCapped() {
        let (html, md) = Self.render(Self.twelveLowScores())
        // T100 answered Mon 16 Nov 09:00 → call back by Tue 17 Nov 09:00.
        #expect(
            html.contains(
                "<tr><td class=\"n bad\">1</td><td>A0</td><td>质量问题</td><td>东西坏了, 很失望</td><td class=\"nw\">Tue 17 Nov, 09:00</td><td>T100</td></tr>"
            ),
            "\(html)")
        #expect(html.contains("First 10 of 12; all in <a href=\"low_scores.csv\">low_scores.csv</a>."))
        #expect(html.contains("T109") && !html.contains("T110") && !html.contains("T111"))
        #expect(html.range(of: "T100")!.lowerBound < html.range(of: "T101")!.lowerBound)
        #expect(md.contains("| 1 | A0 | 质量问题 | 东西坏了, 很失望 | Tue 17 Nov, 09:00 | T100 |"), "\(md)")
        #expect(md.contains("| 2 | A9 | 质量问题 | — | Tue 17 Nov, 18:00 | T109 |"))
        #expect(md.contains("First 10 of 12; all in low_scores.csv.") && !md.contains("T110"))
        let zh = Self.render(Self.twelveLowScores(), lang: .zh).md
        #expect(zh.contains("| 1 | A0 | 质量问题 | 东西坏了, 很失望 | 11月17日 周二 09:00 | T100 |"))
        #expect(zh.contains("按回访截止时间排序。共 12 条，此处列出前 10 条；完整名单见 low_scores.csv。"))
    }

    /// Without a survey time the deadline counts from the ticket's resolution; a long comment is
    /// cut with "…" (the CSV keeps it whole).
    @Test func callbackFromResolutionAndLongComment() {
        var r = LowScoreRecord(
            ticketID: "T1", orderID: "", agent: "A1", score: 2, category: "", resolvedAt: 1_794_790_800,
            surveyedAt: .missing)
        r.comment = String(repeating: "慢", count: 70)
        #expect(Callbacks.due(r) == 1_794_790_800 + 24 * 3600)
        var w = ReportFixtures.small()
        w.lowScoreRecords = [r]
        let (html, _) = Self.render(w)
        #expect(html.contains("<td>" + String(repeating: "慢", count: 59) + "…</td>"))
        #expect(html.contains("All 1; also in <a href=\"low_scores.csv\">low_scores.csv</a>."))
    }

    static func alert(_ kind: String, _ subject: String, _ value: Double, previous: Double?) -> Alert {
        var a = Alert(
            kind: kind, subject: subject, value: value, threshold: kind == "category_spike" ? 2 : 3,
            valueIsCount: true, thresholdIsCount: kind != "category_spike")
        a.previous = previous
        return a
    }

    /// Seven products and one category spike, in the metrics' order (kind, value descending):
    /// the spike's group comes first, products by rise (P4: 5 − 0 = +5, P1: 9 − 6 = +3, …), five
    /// shown and two counted.
    @Test func alertsGroupedByKindBiggestRiseFirstAndCapped() {
        var w = ReportFixtures.small()
        w.alerts = [
            Self.alert("product_complaints", "P1", 9, previous: 6),  // +3
            Self.alert("product_complaints", "P2", 8, previous: 8),  // ±0
            Self.alert("product_complaints", "P3", 7, previous: 5),  // +2
            Self.alert("product_complaints", "P4", 5, previous: nil),  // +5
            Self.alert("product_complaints", "P5", 4, previous: 3),  // +1
            Self.alert("product_complaints", "P6", 3, previous: 3),  // ±0
            Self.alert("product_complaints", "P7", 3, previous: 1),  // +2
            Self.alert("category_spike", "质量问题", 106, previous: 18),  // +88
        ]
        #expect(AlertGroups.groups(w.alerts).map(\.kind) == ["category_spike", "product_complaints"])
        #expect(AlertGroups.groups(w.alerts)[1].alerts.map(\.subject) == ["P4", "P1", "P3", "P7", "P5", "P2", "P6"])
        let (html, md) = Self.render(w)
        #expect(
            html.range(of: "After-sales categories that jumped (1)")!.lowerBound
                < html.range(of: "Products with many after-sales cases (7)")!.lowerBound)
        #expect(
            html.contains(
                "<tr><td>质量问题</td><td class=\"n bad\">106</td><td class=\"n\">18</td><td class=\"n\">+88</td><td class=\"n\">≥ ×2</td></tr>"
            ))
        #expect(
            html.contains(
                "<tr><td>P4</td><td class=\"n bad\">5</td><td class=\"n\">—</td><td class=\"n\">+5</td><td class=\"n\">≥ 3</td></tr>"
            ))
        #expect(html.contains("2 more in <a href=\"alerts.csv\">alerts.csv</a>."))
        #expect(!html.contains("<td>P2</td>") && !html.contains("<td>P6</td>"))
        #expect(md.contains("### Products with many after-sales cases (7)"))
        #expect(md.contains("| P1 | 9 | 6 | +3 | ≥ 3 |"))
        #expect(md.contains("2 more in alerts.csv.") && !md.contains("| P6 |"))
        let zh = Self.render(w, lang: .zh).md
        #expect(zh.contains("### 售后单偏多的商品（7）"))
        #expect(zh.contains("另有 2 条，见 alerts.csv。"))
    }

    /// A week the size of the year dataset's worst (1,200 warnings, 600 low scores with long
    /// comments, 2,000 breaches, 300 agents) still fits chat and a browser tab: report.md
    /// ≤ 12 KB and report.html ≤ 400 KB, in both languages.
    @Test(arguments: [ReportLanguage.en, .zh])
    func bigWeekStaysSmall(lang: ReportLanguage) {
        var w = ReportFixtures.small()
        w.alerts = (0..<1_200).map { (k: Int) -> Alert in
            let kind = k % 40 == 0 ? "category_spike" : "product_complaints"
            let previous: Double? = k % 3 == 0 ? nil : Double(k % 5)
            return Self.alert(kind, "P\(100_000 + k)", Double(3 + k % 9), previous: previous)
        }
        w.lowScoreRecords = (0..<600).map { (k: Int) -> LowScoreRecord in
            let answered: Int64 = 1_794_790_800 + Int64(k) * 60
            var r = LowScoreRecord(
                ticketID: "T\(k)", orderID: "O\(k)", agent: "A\(k % 50)", score: 1 + k % 2,
                category: "商品与描述严重不符", resolvedAt: 1_794_790_800, surveyedAt: answered)
            r.comment = String(repeating: "东西坏了，换货又等了一周，很失望。", count: 8)
            return r
        }
        let b = w.breaches[0]
        w.breaches = Array(repeating: b, count: 2_000)
        let a = w.agents[0]
        w.agents = (0..<300).map { (k: Int) -> AgentSummary in
            var x = a
            x.agent = "Agent \(k)"
            return x
        }
        // Every cut full (top 10 and "(other)") with long names and every promise breached somewhere;
        // the page shows 3 of each and adds up the other 7 and the 1,234 of "(other)".
        w.breakdowns.tickets = BreakdownDimension.ticketCuts.map { d in
            var cut = TicketBreakdown(dimension: d)
            cut.rows = (0..<11).map { k in
                var r = TicketBreakdownRow(value: k == 10 ? Breakdowns.other : "天猫官方旗舰店（华东仓）第\(k)号 \(d)")
                r.values = k == 10 ? 1_234 : 1
                r.tickets = 9_000 - k
                r.sla = w.sla.map { s in
                    var p = BreakdownPolicy(policy: s.policy)
                    (p.met, p.breached, p.pending) = (1_000 + k, 100 + k, 10)
                    return p
                }
                (r.responses, r.scoreSum, r.satisfied) = (500, 2_000, 400)
                return r
            }
            return cut
        }
        let (html, md) = Self.render(w, lang: lang)
        #expect(html.contains("id=\"breakdowns\"") && md.contains("(other: 1,241)") == (lang == .en))
        #expect(md.utf8.count <= 12_000, "report.md \(md.utf8.count) bytes")
        #expect(html.utf8.count <= 400_000, "report.html \(html.utf8.count) bytes")
    }
}
