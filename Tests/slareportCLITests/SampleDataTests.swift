import Foundation
import Testing

/// `validate` and `run` on the committed sample-data/, checked against what slagen says it
/// wrote (sample-data/slagen-manifest.txt): file row counts, injected rejects and duplicates.
@Suite("CLI.sample-data")
struct SampleDataTests {
    /// The block of `validate` output for one table: its heading line and the indented lines below.
    func section(_ text: String, _ table: String) -> String {
        var out: [Substring] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix(table + ":") {
                out.append(line)
            } else if !out.isEmpty {
                if !line.hasPrefix(" ") { break }
                out.append(line)
            }
        }
        return out.joined(separator: "\n")
    }

    @Test func validateCountsMatchTheManifest() throws {
        let r = try CLI.run(["validate"], cwd: CLI.packageRoot)
        #expect(r.status == 0, "\(r.stderr)")
        let orders = section(r.stdout, "orders")
        // 13388 + 437 + 1621 rows; rejects 2 field count + 2 stray quote + 2 missing + 3 bad
        // timestamp = 9; duplicates 379 newer versions + 58 exact copies = 437; 15000 ids.
        #expect(orders.contains("orders: 3 files (1 gzip), encoding gb18030, utf-8"))
        #expect(orders.contains("rows read          15446"))
        #expect(orders.contains("rejected           9 "))
        #expect(orders.contains("csv_syntax         2"))
        #expect(orders.contains("duplicates merged  437"))
        #expect(orders.contains("unique             15000"))
        #expect(orders.contains("invalid amounts    2"))
        let logistics = section(r.stdout, "logistics")
        // 50200 + 5647 rows; rejects 2 + 2 + 2 + 3 = 9; 148 events repeated in another
        // timestamp form or Chinese event name; 55690 distinct events.
        #expect(logistics.contains("rows read          55847"))
        #expect(logistics.contains("rejected           9 "))
        #expect(logistics.contains("unknown_enum       3"))
        #expect(logistics.contains("duplicates merged  148"))
        #expect(logistics.contains("unique             55690"))
        let tickets = section(r.stdout, "tickets")
        // 2590 + 127 + 428 rows; rejects 3 field count + 3 stray quote + 3 missing + 4 bad
        // timestamp + 5 unknown enum = 18; duplicates 115 + 12 = 127; 3000 ids.
        #expect(tickets.contains("rows read          3145"))
        #expect(tickets.contains("rejected           18 "))
        #expect(tickets.contains("field_count        3"))
        #expect(tickets.contains("csv_syntax         3"))
        #expect(tickets.contains("missing_required   3"))
        #expect(tickets.contains("bad_timestamp      4"))
        #expect(tickets.contains("unknown_enum       5"))
        #expect(tickets.contains("duplicates merged  127"))
        #expect(tickets.contains("unique             3000"))
        #expect(tickets.contains("tickets-zh-2026-11-22.csv: 428 rows, 2 rejected, utf-8-bom"))
    }

    @Test func dataQualityCountsMatchTheManifest() throws {
        // The sample holds 4 tickets whose first response precedes their creation and 6
        // invalid satisfaction scores (0, 6, 4.0, 五, 5.0, x): summed over all weeks.
        var durations = 0
        var scores = 0
        let reports = CLI.packageRoot.appendingPathComponent("reports")
        for name in try FileManager.default.contentsOfDirectory(atPath: reports.path) where name.contains("-W") {
            let data = try Data(contentsOf: reports.appendingPathComponent(name + "/summary.json"))
            let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            let dq = json["data_quality"] as! [String: Any]
            durations += dq["invalid_durations"] as! Int
            scores += dq["invalid_scores"] as! Int
        }
        #expect(durations == 4)
        #expect(scores == 6)
    }
}
