import Foundation
import Testing

/// open_items.csv of the sample (sample-data/ with the repo's slareport.toml) against the
/// numbers of the same run: its `pending` rows are the pending counts summed over every week in
/// weeks.csv, its `breached_open` rows the `breached_open` rows of every week's sla_breaches.csv,
/// policy by policy; and a run that writes one week (--from/--to) writes the same file.
@Suite("CLI.open items")
struct OpenItemsSampleTests {
    /// The rows of a CSV without quoted commas (the sample's ids, agents and policy names have
    /// none), header first, BOM dropped.
    func rows(_ url: URL) throws -> [[String]] {
        var text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test func openItemsAddUpToTheWeeksPendingAndOpenBreaches() throws {
        let dir = try CLI.scratch()
        let out = dir.appendingPathComponent("all")
        let r = try CLI.run(["run", "--quiet", "--out", out.path], cwd: CLI.packageRoot)
        #expect(r.status == 0, "\(r.stderr)")

        let open = try rows(out.appendingPathComponent("open_items.csv"))
        #expect(
            open[0] == [
                "table", "id", "order_id", "policy", "start", "due", "state", "hours_left", "agent", "type",
                "priority", "status",
            ])
        var openCount: [String: Int] = [:]  // "policy state" → rows
        for row in open.dropFirst() { openCount[row[3] + " " + row[6], default: 0] += 1 }

        // Pending: weeks.csv's <policy>_pending summed over every week.
        let weeks = try rows(out.appendingPathComponent("weeks.csv"))
        var pending: [String: Int] = [:]
        for (k, name) in weeks[0].enumerated() where name.hasSuffix("_pending") {
            let policy = String(name.dropLast("_pending".count))
            pending[policy + " pending"] = weeks.dropFirst().reduce(0) { $0 + Int($1[k])! }
        }
        // Open breaches: the breached_open rows of every week's sla_breaches.csv.
        var openBreaches: [String: Int] = [:]
        let folders = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains("-W") }
        #expect(folders.count == weeks.count - 1)
        for f in folders {
            let b = try rows(out.appendingPathComponent(f).appendingPathComponent("sla_breaches.csv"))
            let state = b[0].firstIndex(of: "state")!
            let policy = b[0].firstIndex(of: "policy")!
            for row in b.dropFirst() where row[state] == "breached_open" {
                openBreaches[row[policy] + " breached_open", default: 0] += 1
            }
        }
        #expect(openCount.filter { $0.key.hasSuffix(" pending") } == pending.filter { $0.value > 0 })
        #expect(openCount.filter { $0.key.hasSuffix(" breached_open") } == openBreaches)
        #expect(open.count - 1 == pending.values.reduce(0, +) + openBreaches.values.reduce(0, +))
        #expect(open.count > 100)  // the sample has hundreds of open clocks: the check is not vacuous

        // Sorted by due (ISO 8601 with the same offset sorts as text), then policy, then id.
        let keys = open.dropFirst().map { [$0[5], $0[3], $0[1]] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })

        // A run that writes only the newest week writes the same open_items.csv.
        let last = CLI.latestWeek(out)
        let one = dir.appendingPathComponent("one")
        let r2 = try CLI.run(["run", "--quiet", "--out", one.path, "--from", last, "--to", last], cwd: CLI.packageRoot)
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(
            try Data(contentsOf: one.appendingPathComponent("open_items.csv"))
                == Data(contentsOf: out.appendingPathComponent("open_items.csv")))
        try? FileManager.default.removeItem(at: dir)
    }
}
