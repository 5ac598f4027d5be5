import Foundation
import Testing

/// Calendar months beside ISO weeks: the same metrics per month, "previous" meaning the previous
/// month, month folders and months.csv, and --from/--to taking weeks, months or dates.
@Suite("CLI.months", .serialized)
struct MonthReportTests {
    // W44 is Mon 10-26 … Sun 11-01: it spans October and November.
    static let tickets = """
        ticket_id,created_at,type,category,first_response_at
        T1,2026-10-30 10:00,complaint,damaged,2026-10-30 12:00
        T2,2026-11-01 10:00,complaint,damaged,2026-11-02 16:00
        T3,2026-11-02 10:00,complaint,damaged,

        """

    private func run(_ dir: URL, _ args: [String], config: String = "timezone = \"UTC\"") throws -> CLI.Result {
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        try CLI.write(config, to: dir.appendingPathComponent("slareport.toml"))
        return try CLI.run(["run", "--input", "in", "--as-of", "2026-11-03 12:00"] + args, cwd: dir)
    }

    private func json(_ dir: URL, _ out: String, _ period: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("\(out)/\(period)/summary.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func folders(_ dir: URL, _ out: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(out).path).filter {
            $0.hasPrefix("20")
        }.sorted()
    }

    private func firstResponse(_ s: [String: Any]) -> [Int?] {
        let e = (s["sla"] as? [[String: Any]])?.first { $0["policy"] as? String == "first_response" }
        return ["met", "breached", "pending"].map { (e?[$0] as? NSNumber)?.intValue }
    }

    private func topDamaged(_ s: [String: Any]) -> (count: Int?, previous: Int?) {
        let top = ((s["complaints"] as? [String: Any])?["top"] as? [[String: Any]])?.first
        return (top?["count"] as? Int, top?["previous_count"] as? Int)
    }

    @Test func monthsBesideWeeks() throws {
        let dir = try CLI.scratch()
        let r = try run(dir, ["--out", "out"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try folders(dir, "out") == ["2026-10", "2026-11", "2026-W44", "2026-W45"])
        // first_response: T1 2 h met (October); T2 30 h breached, T3 open 26 h at as_of → breached
        // (November). Weeks: W44 holds T1 and T2 (1 met, 1 breached), W45 T3 (1 breached).
        let oct = try json(dir, "out", "2026-10")
        let nov = try json(dir, "out", "2026-11")
        #expect(firstResponse(oct) == [1, 0, 0] && firstResponse(nov) == [0, 2, 0])
        #expect(firstResponse(try json(dir, "out", "2026-W44")) == [1, 1, 0])
        // Complaints: October damaged 1; November 2, previous month 1. W45 1, previous week 2.
        #expect(topDamaged(oct).count == 1 && topDamaged(nov).count == 2 && topDamaged(nov).previous == 1)
        #expect(topDamaged(try json(dir, "out", "2026-W45")).previous == 2)
        // A month file has its period and no week fields.
        let period = try #require(nov["period"] as? [String: Any])
        #expect(
            period["kind"] as? String == "month" && period["start"] as? String == "2026-11-01"
                && period["end"] as? String == "2026-11-30")
        #expect(nov["week"] == nil && nov["week_start"] == nil)
        let csv = try String(contentsOf: dir.appendingPathComponent("out/months.csv"), encoding: .utf8)
        let lines = csv.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("month,month_start,month_end,orders_placed,tickets_created"))
        #expect(lines[1].hasPrefix("2026-10,2026-10-01,2026-10-31,0,1,0,1,"))
        #expect(lines[2].hasPrefix("2026-11,2026-11-01,2026-11-30,0,2,0,0,"))
        let index = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
        #expect(index.contains("<a href=\"2026-11/report.html\">2026-11</a>") && index.contains("months.csv"))
        let html = try String(contentsOf: dir.appendingPathComponent("out/2026-11/report.html"), encoding: .utf8)
        #expect(html.contains("After-sales monthly report"))
    }

    @Test func fromToTakeWeeksMonthsAndDates() throws {
        let dir = try CLI.scratch()
        // A month writes the weeks that overlap it (W44 has November's first day).
        #expect(try run(dir, ["--out", "a", "--from", "2026-11", "--to", "2026-11"]).status == 0)
        #expect(try folders(dir, "a") == ["2026-11", "2026-W44", "2026-W45"])
        // A date: the week and the month holding it.
        #expect(try run(dir, ["--out", "b", "--from", "2026-11-02"]).status == 0)
        #expect(try folders(dir, "b") == ["2026-11", "2026-W45"])
        // A week: the months it overlaps.
        #expect(try run(dir, ["--out", "c", "--to", "2026-W44"]).status == 0)
        #expect(try folders(dir, "c") == ["2026-10", "2026-11", "2026-W44"])
        // A range without data, or backwards, is a usage error (64) and writes nothing.
        let empty = try run(dir, ["--out", "d", "--from", "2026-W50"])
        #expect(empty.status == 64 && empty.stderr.contains("select no reported period"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("d/index.html").path))
        #expect(try run(dir, ["--out", "e", "--from", "2026-11", "--to", "2026-10"]).status == 64)
        #expect(try run(dir, ["--out", "f", "--from", "2026-13"]).status == 64)
    }

    @Test func periodsConfig() throws {
        let dir = try CLI.scratch()
        #expect(try run(dir, ["--out", "m"], config: "timezone = \"UTC\"\nperiods = [\"month\"]").status == 0)
        #expect(try folders(dir, "m") == ["2026-10", "2026-11"])
        #expect(try run(dir, ["--out", "w"], config: "timezone = \"UTC\"\nperiods = [\"week\"]").status == 0)
        #expect(try folders(dir, "w") == ["2026-W44", "2026-W45"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("w/months.csv").path))
        let bad = try run(dir, ["--out", "x"], config: "periods = [\"quarter\"]")
        #expect(bad.status == 78 && bad.stderr.contains("unknown period 'quarter'"))
    }
}

/// weeks.csv and months.csv carry counts that add up: over the committed sample, whose weeks and
/// months cover the same rows, every count column sums to the same total in both files, and the
/// overall attainment and mean score recomputed from them agree.
@Suite struct PeriodSeriesTests {
    static func table(_ name: String) throws -> (head: [String], rows: [[String]]) {
        let url = CLI.packageRoot.appendingPathComponent("reports/" + name)
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\u{FEFF}", with: "")
        let lines = text.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return (lines[0], Array(lines.dropFirst()))
    }

    @Test func countsAddUpAcrossWeeksAndMonths() throws {
        let weeks = try Self.table("weeks.csv")
        let months = try Self.table("months.csv")
        #expect(Array(weeks.head.dropFirst(3)) == Array(months.head.dropFirst(3)))
        func total(_ t: (head: [String], rows: [[String]]), _ column: String) -> Int {
            let i = t.head.firstIndex(of: column)!
            return t.rows.reduce(0) { $0 + (Int($1[i]) ?? 0) }
        }
        let counts = weeks.head.filter { name in
            ["_eligible", "_met", "_breached", "_pending"].contains { name.hasSuffix($0) }
                || [
                    "orders_placed", "tickets_created", "tickets_resolved", "satisfaction_responses",
                    "satisfaction_score_sum", "satisfaction_satisfied", "satisfaction_low",
                ].contains(name)
        }
        #expect(counts.count == 11 * 4 + 7)
        for c in counts { #expect(total(weeks, c) == total(months, c), "\(c)") }
        #expect(total(weeks, "first_response_met") > 0 && total(weeks, "satisfaction_score_sum") > 0)
        // Eligible is met + breached + pending in every row.
        for t in [weeks, months] {
            for r in t.rows {
                let i = t.head.firstIndex(of: "ship_24h_eligible")!
                #expect(Int(r[i])! == Int(r[i + 1])! + Int(r[i + 2])! + Int(r[i + 3])!)
            }
        }
    }
}
