import Foundation
import Testing
@testable import SLAReport

private func text(_ files: [(path: String, bytes: [UInt8])], _ path: String) -> String {
    guard let f = files.first(where: { $0.path == path }) else { return "<missing \(path)>" }
    return String(decoding: f.bytes, as: UTF8.self)
}

@Suite struct ReportsNumberTests {
    @Test(arguments: [
        // (value, text)
        (1.0 / 3.0, "0.3333"),
        (2.0 / 3.0, "0.6667"),
        (0.1 + 0.2, "0.3"),
        (24.0, "24"),
        (0.5, "0.5"),
        (-0.00001, "0"),
        (-2.5, "-2.5"),
        (0.00005, "0.0001"),  // half away from zero
        (1e12 + 0.25, "1000000000000.25"),
        (1e20, "100000000000000000000"),
    ])
    func decimal(x: Double, expected: String) {
        #expect(NumberFormat.decimal(x) == expected)
    }

    @Test func jsonNumbersAndIntegers() {
        let v = JSONValue.object([("a", .number(0.1 + 0.2)), ("b", SummaryJSON.quantity(24.0)), ("c", SummaryJSON.quantity(0.5)),
                                  ("d", .number(nil)), ("e", .number(.nan))])
        #expect(v.text() == "{\n  \"a\": 0.3,\n  \"b\": 24,\n  \"c\": 0.5,\n  \"d\": null,\n  \"e\": null\n}\n")
    }

    @Test func jsonStringEscaping() {
        var out = ""
        JSONValue.quote("a\"b\\c\n\t\u{01}\u{7F}中文", into: &out)
        #expect(out == "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f中文\"")
    }

    @Test func groupingAndChanges() {
        #expect(NumberFormat.grouped(1_234_567) == "1,234,567")
        #expect(NumberFormat.grouped(-1000) == "-1,000")
        #expect(NumberFormat.countChange(5, 8) == "−3")
        #expect(NumberFormat.pointsChange(0.95, 0.9) == "+5")
        #expect(NumberFormat.pointsChange(0.9, 0.95) == "−5")
        #expect(NumberFormat.percent(2.0 / 3.0) == "66.7%")
    }
}

@Suite struct ReportsJSONTests {
    @Test func smallSummaryExactText() {
        let expected = #"""
        {
          "schema_version": 1,
          "week": "2026-W47",
          "week_start": "2026-11-16",
          "week_end": "2026-11-22",
          "timezone": "Asia/Shanghai",
          "as_of": "2026-11-23T08:00:00+08:00",
          "orders": {
            "placed": 120
          },
          "tickets": {
            "created": 3,
            "resolved": 2,
            "by_type": {
              "complaint": 2,
              "inquiry": 1
            },
            "by_channel": {
              "app": 3
            },
            "by_responsibility": {
              "(none)": 1,
              "merchant": 2
            }
          },
          "sla": [
            {
              "policy": "first_response",
              "label": "First response within 24 h / 24小时内首次响应",
              "target_hours": 24,
              "clock": "24x7",
              "eligible": 3,
              "met": 2,
              "breached": 1,
              "pending": 0,
              "attainment": 0.6667,
              "p50_hours": 0.5,
              "p90_hours": 0.3
            },
            {
              "policy": "repair_fault_confirm",
              "label": "Fault confirmed",
              "target_hours": 24,
              "clock": "24x7",
              "eligible": 0,
              "met": 0,
              "breached": 0,
              "pending": 0,
              "attainment": null,
              "p50_hours": null,
              "p90_hours": null
            }
          ],
          "complaints": {
            "total": 2,
            "top": [
              {
                "category": "质量问题 <quality>",
                "count": 2,
                "share": 1,
                "previous_count": 1
              }
            ]
          },
          "satisfaction": {
            "responses": 3,
            "mean": 3.3333,
            "csat": 0.3333,
            "distribution": {
              "1": 1,
              "2": 0,
              "3": 1,
              "4": 1,
              "5": 0
            },
            "low_scores": 1,
            "response_rate": 0.5
          },
          "logistics": {
            "shipments": 4,
            "delivered": 3,
            "stalled": 1,
            "exceptions": {
              "damaged": 1
            },
            "p50_delivery_hours": 30.25,
            "p90_delivery_hours": null
          },
          "alerts": [
            {
              "kind": "product_complaints",
              "subject": "P123",
              "value": 4,
              "threshold": 3
            },
            {
              "kind": "merchant_complaint_rate",
              "subject": "M9",
              "value": 0.025,
              "threshold": 0.02
            }
          ],
          "agents": [
            {
              "agent": "A07",
              "tickets": 3,
              "sla": {
                "first_response": {
                  "met": 2,
                  "breached": 1,
                  "attainment": 0.6667
                },
                "repair_fault_confirm": {
                  "met": 0,
                  "breached": 0,
                  "attainment": null
                }
              },
              "responses": 3,
              "mean": 3.3333,
              "csat": 0.3333
            }
          ],
          "data_quality": {
            "invalid_durations": 1,
            "invalid_scores": 0
          }
        }

        """#
        let got = SummaryJSON.text(ReportFixtures.small())
        #expect(got == expected)
        // Valid JSON for other tools.
        #expect((try? JSONSerialization.jsonObject(with: Data(got.utf8))) != nil)
    }

    @Test func emptyCountMapsAreObjects() {
        let got = SummaryJSON.text(ReportFixtures.emptyWeek())
        #expect(got.contains("\"by_type\": {}"))
        #expect(got.contains("\"alerts\": []"))
        #expect(got.contains("\"distribution\": {\n      \"1\": 0,"))
        #expect(got.contains("\"mean\": null"))
    }
}

@Suite struct ReportsCSVTests {
    @Test func quotingAndLineEnds() {
        var w = CSVWriter(bom: false)
        w.row([.text("a"), .text("b,c"), .text("say \"hi\""), .text("two\nlines"), .int(3), .number(0.1 + 0.2), .number(nil)])
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
        let breaches = text(files, "2026-W47/sla_breaches.csv")
        // 1_795_000_000 = 2026-11-18 11:06:40 UTC = 19:06:40 in Shanghai (UTC+8).
        #expect(breaches == "\u{FEFF}ticket_id,order_id,policy,start,stop,elapsed_hours,target_hours,state\r\n"
                + "T3,O3,first_response,2026-11-18 19:06:40,,108.8889,24,breached_open\r\n")
        let agents = text(files, "2026-W47/agents.csv")
        #expect(agents.contains("agent,tickets,first_response_met,first_response_breached,first_response_attainment,"
                                + "repair_fault_confirm_met,repair_fault_confirm_breached,repair_fault_confirm_attainment,responses,mean,csat\r\n"))
        #expect(agents.contains("A07,3,2,1,0.6667,0,0,,3,3.3333,0.3333\r\n"))
        let low = text(files, "2026-W47/low_scores.csv")
        #expect(low.hasSuffix("T2,,A07,1,质量问题,2026-11-19 22:53:20,\r\n"))
        let weeks = text(files, "weeks.csv")
        #expect(weeks.contains("2026-W47,2026-11-16,2026-11-22,120,3,2,0.6667,,0.3333,3,2,4,1,2\r\n"))
    }

    @Test func rejectsRawLine() {
        let r = Reject(table: .tickets, location: RowLocation(file: "t.csv", line: 7, record: 6), kind: .fieldCount,
                       reason: "3 fields, header has 4", raw: ["T1", "a,b", "=1+1"])
        let csv = CSVReports(zone: .utc, policies: [], bom: false).rejects([r])
        #expect(String(decoding: csv, as: UTF8.self)
                == "file,line,table,kind,reason,raw\r\nt.csv,7,tickets,field_count,\"3 fields, header has 4\",\"T1,\"\"a,b\"\",=1+1\"\r\n")
    }
}

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
        let html = text(files, "2026-W47/report.html")
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("A&quot;&amp;&#39;7"))
        #expect(!html.contains("A\"&'7"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>T3"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        let index = text(files, "index.html")
        #expect(!index.contains("<script") && !index.contains("http://") && !index.contains("https://"))
    }

    @Test func emptyWeekShowsDashesNotZeros() {
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [ReportFixtures.small(), ReportFixtures.emptyWeek()], rejects: [])
        let html = text(files, "2026-W48/report.html")
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

@Suite struct ReportsMarkdownTests {
    @Test func escapesPipesAndEmphasis() {
        #expect(MarkdownRenderer.escape("a|b*c_d`e<f>[g]") == "a\\|b\\*c\\_d\\`e\\<f\\>\\[g\\]")
        #expect(MarkdownRenderer.escape("-5") == "\\-5")
        #expect(MarkdownRenderer.escape("two\nlines") == "two lines")
        var w = ReportFixtures.small()
        w.complaints.top[0].category = "质量|问题*"
        let files = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
            .render(weeks: [w], rejects: [])
        let md = text(files, "2026-W47/report.md")
        #expect(md.contains("| 质量\\|问题\\* | 2 | 100% | 1 | +1 |"))
    }
}

@Suite struct ReportsLocalizationTests {
    @Test func everyMessageHasBothLanguages() {
        for (id, pair) in Localization.messages {
            #expect(!pair.en.isEmpty && !pair.zh.isEmpty, "\(id)")
            // Placeholders match in both languages.
            for k in 0..<5 { #expect(pair.en.contains("{\(k)}") == pair.zh.contains("{\(k)}"), "\(id) {\(k)}") }
        }
    }

    @Test func policyLabelSplit() {
        let en = Localization(.en), zh = Localization(.zh)
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
        let en = render(.en), zh = render(.zh)
        let zhHTML = text(zh, "2026-W47/report.html")
        for label in ["售后服务周报", "新建工单", "满意度", "24小时内首次响应", "高频投诉类别", "口径说明", "不含暂停"] {
            #expect(zhHTML.contains(label), "\(label)")
        }
        #expect(!zhHTML.contains("Tickets created"))
        let enHTML = text(en, "2026-W47/report.html")
        for number in ["66.7%", "33.3%", "3.33", "30.3", "108.9"] {
            #expect(enHTML.contains(number) && zhHTML.contains(number), "\(number)")
        }
        #expect(text(zh, "2026-W47/report.md").contains("66.7%"))
        // Machine-readable files do not depend on the language.
        for f in ["2026-W47/summary.json", "2026-W47/agents.csv", "weeks.csv", "run.json"] {
            #expect(text(en, f) == text(zh, f), "\(f)")
        }
    }
}

@Suite struct ReportsDeterminismTests {
    @Test func renderTwiceIsIdentical() {
        let (cfg, run, weeks, rejects) = ReportFixtures.demo(lang: .zh)
        let set = ReportSet(config: cfg, zone: ReportFixtures.zone, run: run)
        let a = set.render(weeks: weeks, rejects: rejects)
        let b = set.render(weeks: weeks, rejects: rejects)
        #expect(a.map(\.path) == b.map(\.path))
        for (x, y) in zip(a, b) { #expect(x.bytes == y.bytes, "\(x.path)") }
    }

    /// Writes the 12-week demo (en, zh) under $SLAREPORT_DEMO_DIR for screenshots.
    @Test func writeDemo() throws {
        guard let dir = ProcessInfo.processInfo.environment["SLAREPORT_DEMO_DIR"] else { return }
        for lang in ReportLanguage.allCases {
            let (cfg, run, weeks, rejects) = ReportFixtures.demo(lang: lang)
            let files = ReportSet(config: cfg, zone: ReportFixtures.zone, run: run).render(weeks: weeks, rejects: rejects)
            for f in files {
                let url = URL(fileURLWithPath: dir).appendingPathComponent(lang.rawValue).appendingPathComponent(f.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.bytes).write(to: url)
            }
        }
    }
}
