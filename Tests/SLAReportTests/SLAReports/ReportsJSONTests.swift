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

@Suite struct ReportsJSONTests {
    /// A due policy has no target or clock (null), its own goal, and a skipped one says which
    /// column was missing.
    @Test func duePolicyAndSkippedEntries() {
        var w = WeeklySummary(
            week: "2026-W47", weekStart: "2026-11-16", weekEnd: "2026-11-22", timezone: "UTC",
            asOf: "2026-11-23T08:00:00+00:00")
        let due = Policy(
            name: "delivered", label: "Delivered", table: .orders, start: "ordered_at", stop: "signed_at",
            due: "promised_delivery_at", targetText: "", targetSeconds: 0, clock: .wallClock, goal: 0.9)
        var r = SLAResult(due, goal: 0.9)
        (r.met, r.breached, r.pending, r.eligible, r.attainment) = (2, 1, 1, 4, 2.0 / 3)
        var skipped = SLAResult(Config.defaultPolicies[0], goal: 0.95)
        skipped.skipped = "first_response_at"
        w.sla = [r, skipped]
        w.dataQuality.missingDue = 2
        let text = SummaryJSON.text(w)
        #expect(
            text.contains(
                """
                      "policy": "delivered",
                      "label": "Delivered",
                      "table": "orders",
                      "target_hours": null,
                      "due": "promised_delivery_at",
                      "clock": null,
                      "goal": 0.9,
                      "eligible": 4,
                      "met": 2,
                      "breached": 1,
                      "pending": 1,
                      "attainment": 0.6667,
                """))
        #expect(
            text.contains(
                """
                      "goal": 0.95,
                      "skipped": "first_response_at",
                      "eligible": 0,
                """))
        #expect(text.contains("\"missing_due\": 2"))
    }

    @Test func smallSummaryExactText() {
        let expected = #"""
            {
              "schema_version": 2,
              "week": "2026-W47",
              "week_start": "2026-11-16",
              "week_end": "2026-11-22",
              "period": {
                "kind": "week",
                "name": "2026-W47",
                "start": "2026-11-16",
                "end": "2026-11-22"
              },
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
              "arrivals": {
                "by_weekday_hour": [
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
                ]
              },
              "repeat_contacts": {
                "window_hours": 168,
                "count": 0,
                "share": null
              },
              "sla": [
                {
                  "policy": "first_response",
                  "label": "First response within 24 h / 24小时内首次响应",
                  "table": "tickets",
                  "target_hours": 24,
                  "due": null,
                  "clock": "24x7",
                  "goal": 0.95,
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
                  "table": "tickets",
                  "target_hours": 24,
                  "due": null,
                  "clock": "24x7",
                  "goal": 0.95,
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
                  "csat": 0.3333,
                  "resolved": 0,
                  "handling_p50_hours": null,
                  "low_scores": 0
                }
              ],
              "data_quality": {
                "invalid_durations": 1,
                "invalid_scores": 0,
                "missing_due": 0
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

@Suite struct ReportsRunJSONTests {
    @Test func runJSONListsInputsTablesAndTimings() throws {
        let (cfg, run, weeks, rejects) = ReportFixtures.demo(lang: .en)
        let files = ReportSet(config: cfg, zone: ReportFixtures.zone, run: run).render(
            weeks: weeks, written: 10..<12, rejects: rejects)
        let text = renderedText(files, "run.json")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(obj["as_of"] as? String == "2026-11-23T08:00:00+08:00")
        #expect(obj["rejects"] as? Int == 26)
        let inputs = try #require(obj["inputs"] as? [[String: Any]])
        #expect(inputs.first?["sha256"] as? String == String(repeating: "ab", count: 32))
        // Reject kinds in RejectKind order, not dictionary order.
        #expect(
            text.contains("\"rejected_by_kind\": {\n        \"field_count\": 2,\n        \"bad_timestamp\": 3\n      }")
        )
        #expect(text.contains("\"timings\": {\n    \"read\": 1.25,\n    \"render\": 0.0625\n  }"))
        let w = try #require(obj["weeks"] as? [String: Any])
        #expect((w["written"] as? [String]) == ["2026-W46", "2026-W47"])
        #expect((w["reported"] as? [String])?.count == 12)
        // Only the written weeks get folders, and index.html links exactly those.
        #expect(
            Set(files.map(\.path).filter { $0.hasSuffix("/report.html") }) == [
                "2026-W46/report.html", "2026-W47/report.html",
            ])
        let index = renderedText(files, "index.html")
        #expect(index.contains("href=\"2026-W46/report.html\"") && !index.contains("href=\"2026-W45/report.html\""))
        // …but the index and weeks.csv still cover all 12 weeks: the time series stays whole.
        #expect(index.contains("<td class=\"nw\">2026-W45</td>"))
        #expect(
            renderedText(files, "weeks.csv").split(separator: "\r\n", omittingEmptySubsequences: true).count == 1 + 12)
        // A folder an earlier run left keeps its link.
        let again = ReportSet(config: cfg, zone: ReportFixtures.zone, run: run)
            .render(weeks: weeks, written: 10..<12, rejects: rejects, existing: ["2026-W45"])
        #expect(renderedText(again, "index.html").contains("href=\"2026-W45/report.html\""))
        // Previous-week figures still come from the full list: W46 compares with W45.
        #expect(
            renderedText(files, "2026-W46/report.md").contains("| +")
                || renderedText(files, "2026-W46/report.md").contains("| −"))
    }
}
