import Foundation
import Testing

/// End-to-end: the agents of a period in summary.json and agents.csv.
@Suite("CLI.agents", .serialized)
struct AgentsTests {
    /// 21,000 agents in one week: more than a period holds in memory, so summary.json and
    /// agents.csv are streamed to temporary files and staged from there. The files are whole,
    /// and no temporary file is left in the output folder.
    @Test func manyAgentsAreStreamedWhole() throws {
        let dir = try CLI.scratch()
        let n = 21_000
        var csv = "ticket_id,created_at,type,agent,first_response_at\n"
        for i in 0..<n {
            // Agent i answers after i mod 30 hours: over 24 h for i mod 30 in 25…29.
            csv += "T\(i),2026-11-16 08:00,inquiry,AG\(100_000 + i),2026-11-\(16 + (8 + i % 30) / 24) \((8 + i % 30) % 24):00\n"
        }
        try CLI.write(csv, to: dir.appendingPathComponent("in/tickets.csv"))
        try CLI.write("timezone = \"UTC\"\nperiods = [\"week\"]\n", to: dir.appendingPathComponent("slareport.toml"))
        let r = try CLI.run(["run", "--input", "in", "--out", "out", "--as-of", "2026-11-23T00:00:00Z"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let out = dir.appendingPathComponent("out")
        let s = try SummaryReading.object(out, "2026-W47/summary.json")
        let agents = try #require(s["agents"] as? [[String: Any]])
        #expect(agents.count == n)
        #expect(agents.first?["agent"] as? String == "AG100000" && agents.last?["agent"] as? String == "AG120999")
        let rows = try String(contentsOf: out.appendingPathComponent("2026-W47/agents.csv"), encoding: .utf8)
            .split(separator: "\r\n")
        #expect(rows.count == n + 1)
        // Worst first: the agents who missed (i mod 30 ≥ 25, answered after 33 h or more) by
        // name, then those who met, by name.
        #expect(rows[1].hasPrefix("AG100025,1,0,1,0,"))
        #expect(rows[n].hasPrefix("AG120994,1,1,0,1,"))  // 20994 mod 30 = 24: the last who met
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}
