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

/// The report's words and numbers: durations and moments in words, Chinese punctuation, the
/// labels that tell after-sales cases from complaints, chart titles, promises in words.
@Suite struct ReportsWordsTests {
    static let en = Localization(.en), zh = Localization(.zh)

    static func render(_ weeks: [WeeklySummary], lang: ReportLanguage = .en, policies: [Policy]? = nil)
        -> [(path: String, bytes: [UInt8])]
    {
        let cfg = policies.map { ReportFixtures.config(lang: lang, policies: $0) } ?? ReportFixtures.config(lang: lang)
        return ReportSet(config: cfg, zone: ReportFixtures.zone, run: ReportFixtures.run).render(
            weeks: weeks, rejects: [])
    }

    /// Under a minute-rounded hour: minutes; under a day: hours and minutes; from a day: days and
    /// whole hours (146.4 h = 6 × 24 + 2.4 → 6 d 2 h).
    @Test(arguments: [
        (0.0, "0 min", "0分钟"),
        (59.0 / 60, "59 min", "59分钟"),
        (59.6 / 60, "1 h", "1小时"),  // 59.6 min rounds to 60
        (1.0, "1 h", "1小时"),
        (1.5, "1 h 30 min", "1小时30分钟"),
        (23.99, "23 h 59 min", "23小时59分钟"),  // 1439.4 min
        (24.0, "1 d", "1天"),
        (25.0, "1 d 1 h", "1天1小时"),
        (48.4, "2 d", "2天"),
        (146.4, "6 d 2 h", "6天2小时"),
        (-2.5, "−2 h 30 min", "−2小时30分钟"),
    ])
    func durationInWords(hours: Double, en: String, zh: String) {
        #expect(Self.en.duration(hours: hours) == en)
        #expect(Self.zh.duration(hours: hours) == zh)
    }

    @Test func noDurationIsADash() {
        #expect(Self.en.duration(hours: nil) == "—")
        #expect(Self.zh.duration(hours: .nan) == "—")
    }

    /// 2026-11-20 18:00 in Shanghai is 10:00 UTC: 1_795_392_000 (23 Nov 08:00 +08:00, the
    /// fixture's as-of) − 2 d 14 h (223_200 s) = 1_795_168_800.
    @Test func momentInLocalWordsWithTheZone() {
        let t: Int64 = 1_795_168_800
        #expect(Self.en.moment(t, zone: ReportFixtures.zone) == "Fri 20 Nov 2026, 18:00 (UTC+08:00)")
        #expect(Self.zh.moment(t, zone: ReportFixtures.zone) == "2026年11月20日 周五 18:00（UTC+08:00）")
        #expect(Self.en.moment(t, zone: ReportFixtures.zone, short: true) == "Fri 20 Nov, 18:00")
        #expect(Self.zh.moment(t, zone: ReportFixtures.zone, short: true) == "11月20日 周五 18:00")
        // New York in November is UTC−5: the same instant + 13 h is 18:00 there.
        let ny = ZoneRules(identifier: "America/New_York")!
        #expect(Self.en.moment(t + 13 * 3600, zone: ny) == "Fri 20 Nov 2026, 18:00 (UTC-05:00)")
    }

    @Test func reportHeaderSaysAsOfInWords() {
        let files = Self.render([ReportFixtures.small()])
        // The fixture's as-of: 2026-11-23T08:00:00+08:00, a Monday.
        #expect(renderedText(files, "2026-W47/report.html").contains("Data as of: Mon 23 Nov 2026, 08:00 (UTC+08:00)"))
        #expect(renderedText(files, "2026-W47/report.md").contains("Data as of: Mon 23 Nov 2026, 08:00 (UTC+08:00)"))
        #expect(renderedText(files, "index.html").contains("Mon 23 Nov 2026, 08:00 (UTC+08:00)"))
        let zh = renderedText(Self.render([ReportFixtures.small()], lang: .zh), "2026-W47/report.md")
        #expect(zh.contains("数据截至：2026年11月23日 周一 08:00（UTC+08:00）"))
    }

    /// Chinese messages use full-width ：（），； — a colon between digits (00:00) stays.
    @Test func chineseMessagesUseChinesePunctuation() {
        for (id, pair) in Localization.messages {
            let zh = pair.zh
            #expect(!zh.contains("(") && !zh.contains(")") && !zh.contains(",") && !zh.contains(";"), "\(id): \(zh)")
            let scalars = Array(zh.unicodeScalars)
            for (i, u) in scalars.enumerated() where u == ":" {
                let digitsAround =
                    i > 0 && i + 1 < scalars.count && scalars[i - 1].properties.numericType != nil
                    && scalars[i + 1].properties.numericType != nil
                #expect(digitsAround, "\(id): \(zh)")
            }
        }
        let md = renderedText(Self.render([ReportFixtures.small()], lang: .zh), "2026-W47/report.md")
        #expect(md.contains("日期：2026-11-16 – 2026-11-22 · 时区：Asia/Shanghai"))
        #expect(md.contains("物流异常：破损"))
    }

    /// "After-sales cases" (every complaint type) and the type "complaint" never share a name.
    @Test func afterSalesCasesAndComplaintsAreLabelledApart() {
        let html = renderedText(Self.render([ReportFixtures.small()]), "2026-W47/report.html")
        #expect(html.contains("<div class=\"cap\">After-sales cases</div>"))
        #expect(html.contains("2 after-sales cases this week (return, exchange, repair, refund, complaint)"))
        #expect(html.contains("complaint <b>2</b>"))  // tickets by type
        #expect(!html.contains(">Complaints<"))
        let zh = renderedText(Self.render([ReportFixtures.small()], lang: .zh), "2026-W47/report.html")
        #expect(zh.contains("<div class=\"cap\">售后单</div>"))
        #expect(zh.contains("本周售后单共 2 单（退货、换货、维修、退款、投诉）"))
        #expect(zh.contains("投诉 <b>2</b>"))
    }

    /// The trend's title counts the weeks drawn.
    @Test func trendTitleCountsTheWeeksShown() {
        var second = ReportFixtures.small()
        second.week = "2026-W48"
        let files = Self.render([ReportFixtures.small(), second])
        #expect(renderedText(files, "2026-W47/report.html").contains("<h2>This week</h2>"))
        #expect(renderedText(files, "2026-W48/report.html").contains("<h2>Trend over the last 2 weeks</h2>"))
        #expect(!renderedText(files, "2026-W48/report.html").contains("12-week"))
        #expect(renderedText(files, "index.html").contains("<h2>Trends over all 2 weeks</h2>"))
        let zh = Self.render([ReportFixtures.small(), second], lang: .zh)
        #expect(renderedText(zh, "2026-W48/report.html").contains("<h2>近2周趋势</h2>"))
    }

    /// A policy without a label reads as a sentence made from its columns.
    @Test func promisesWithoutALabelReadNaturally() {
        let ship = Policy(
            name: "ship_fast", label: "", table: .orders, start: "paid_at", stop: "shipped_at",
            targetText: "24h", targetSeconds: 24 * 3600, clock: .wallClock)
        let deliver = Policy(
            name: "delivered_as_promised", label: "", table: .orders, start: "ordered_at",
            stop: "signed_at", due: "promised_delivery_at", targetText: "", targetSeconds: 0,
            clock: .wallClock)
        var w = ReportFixtures.small()
        w.sla = [SLAResult(ship, goal: 0.95), SLAResult(deliver, goal: 0.9)]
        let en = renderedText(Self.render([w], policies: [ship, deliver]), "2026-W47/report.html")
        #expect(en.contains("Shipped within 24 h of payment"))
        #expect(en.contains("Delivered by the promised delivery date"))
        // The deadline policy's tile says "by …", not "target by …".
        #expect(en.contains("goal 90%</span> · <span class=\"nw\">by the promised delivery date"))
        #expect(
            en.contains(
                "Delivered by the promised delivery date: from order placed to delivered, by the promised delivery date."
            ))
        let zh = renderedText(Self.render([w], lang: .zh, policies: [ship, deliver]), "2026-W47/report.html")
        #expect(zh.contains("付款后24小时内发货"))
        #expect(zh.contains("不晚于承诺送达时间签收"))
    }

    /// report.md marks each promise against its goal with a mark that survives plain text.
    @Test func markdownMarksPromisesAgainstTheirGoal() {
        var w = ReportFixtures.small()
        w.sla[1].eligible = 4
        w.sla[1].met = 4
        w.sla[1].attainment = 1
        let md = renderedText(Self.render([w]), "2026-W47/report.md")
        #expect(md.contains("| ❌ 66.7% |"))  // 2 of 3 against 95 %
        #expect(md.contains("| ✅ 100% |"))
    }
}
