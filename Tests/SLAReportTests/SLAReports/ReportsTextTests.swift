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

@Suite struct ReportsMarkdownTests {
    @Test func escapesPipesAndEmphasis() {
        #expect(MarkdownRenderer.escape("a|b*c_d`e<f>[g]") == "a\\|b\\*c\\_d\\`e\\<f\\>\\[g\\]")
        #expect(MarkdownRenderer.escape("-5") == "\\-5")
        #expect(MarkdownRenderer.escape("two\nlines") == "two lines")
        var w = ReportFixtures.small()
        w.complaints.top[0].category = "质量|问题*"
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [w], rejects: [])
        let md = renderedText(files, "2026-W47/report.md")
        #expect(md.contains("| 质量\\|问题\\* | 2 | 100% | 1 | +1 |"))
    }
}

@Suite struct ReportsStringTests {
    @Test func replacingAllMatchesBytes() {
        #expect("{0} of {1}, {0}".replacingAll("{0}", with: "7") == "7 of {1}, 7")
        #expect("a\"\"b".replacingAll("\"", with: "\"\"") == "a\"\"\"\"b")
        #expect("no match".replacingAll("{0}", with: "x") == "no match")
        #expect("".replacingAll("{0}", with: "x") == "")
        #expect("abc".replacingAll("", with: "x") == "abc")
        #expect("质量{0}问题".replacingAll("{0}", with: "·") == "质量·问题")
        // A quote followed by a combining mark is one Character but still a quote byte.
        #expect("x\"\u{301}y".replacingAll("\"", with: "\"\"") == "x\"\"\u{301}y")
        #expect(CSVWriter.field("a\"\u{301}") == "\"a\"\"\u{301}\"")
    }

    @Test func partsSplitOnWholeSeparator() {
        #expect("1 · 2 ·  · 3".parts(separatedBy: " · ", omittingEmpty: true) == ["1", "2", "3"])
        #expect(" · a · ".parts(separatedBy: " · ", omittingEmpty: false) == ["", "a", ""])
        #expect(" · a · ".parts(separatedBy: " · ", omittingEmpty: true) == ["a"])
        #expect("".parts(separatedBy: " · ", omittingEmpty: true) == [])
        #expect("".parts(separatedBy: " · ", omittingEmpty: false) == [""])
        #expect("abc".parts(separatedBy: "", omittingEmpty: true) == ["abc"])
        #expect("a //b/ c".parts(separatedBy: " / ", omittingEmpty: true) == ["a //b/ c"])
        #expect("维修 / 72小时".parts(separatedBy: " / ", omittingEmpty: true) == ["维修", "72小时"])
    }
}

@Suite struct ReportsLocalizationTests {
    @Test func everyMessageHasBothLanguages() {
        for (id, pair) in Localization.messages {
            #expect(!pair.en.isEmpty && !pair.zh.isEmpty, "\(id)")
            // Placeholders match in both languages.
            for k in 0..<8 { #expect(pair.en.contains("{\(k)}") == pair.zh.contains("{\(k)}"), "\(id) {\(k)}") }
        }
    }

    @Test func policyLabelSplit() {
        let en = Localization(.en)
        let zh = Localization(.zh)
        #expect(en.policyLabel("Repair plan within 72 h / 72小时内给出维修方案", name: "p") == "Repair plan within 72 h")
        #expect(zh.policyLabel("Repair plan within 72 h / 72小时内给出维修方案", name: "p") == "72小时内给出维修方案")
        #expect(zh.policyLabel("Only one", name: "p") == "Only one")
        #expect(en.policyLabel("", name: "p") == "p")
    }

    @Test func zhHasChineseLabelsAndSameNumbers() {
        func render(_ lang: ReportLanguage) -> [(path: String, bytes: [UInt8])] {
            ReportSet(config: ReportFixtures.config(lang: lang), zone: ReportFixtures.zone, run: ReportFixtures.run)
                .render(weeks: [ReportFixtures.small()], rejects: [])
        }
        let en = render(.en)
        let zh = render(.zh)
        let zhHTML = renderedText(zh, "2026-W47/report.html")
        for label in ["售后服务周报", "新建工单", "满意度", "24小时内首次响应", "高频售后问题类别", "口径说明", "不含暂停"] {
            #expect(zhHTML.contains(label), "\(label)")
        }
        #expect(!zhHTML.contains("Tickets created"))
        let enHTML = renderedText(en, "2026-W47/report.html")
        for number in ["66.7%", "33.3%", "3.33"] {
            #expect(enHTML.contains(number) && zhHTML.contains(number), "\(number)")
        }
        // Durations are words in each language: 30.25 h of delivery; how long an open item is
        // overdue.
        #expect(enHTML.contains("1 d 6 h") && zhHTML.contains("1天6小时"))
        #expect(enHTML.contains("3 d 13 h") && zhHTML.contains("3天13小时"))
        #expect(renderedText(zh, "2026-W47/report.md").contains("66.7%"))
        // Machine-readable files do not depend on the language.
        for f in ["2026-W47/summary.json", "2026-W47/agents.csv", "weeks.csv", "run.json"] {
            #expect(renderedText(en, f) == renderedText(zh, f), "\(f)")
        }
    }
}
