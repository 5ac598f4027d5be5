import Foundation
import Testing

/// `slareport merge` (docs/spark.md) against `run`: the map outputs of each input file merged
/// into the report tree run writes from the files themselves.
@Suite("CLI.merge", .serialized)
struct MergeCommandTests {
    static let config = "timezone = \"UTC\"\n"

    /// A1 unshipped (A2 shipped after 1 h 55 min).
    static let first = """
        order_id,ordered_at,paid_at,shipped_at,updated_at
        A1,2026-11-16 09:00:00,2026-11-16 09:05:00,,2026-11-16 09:05:00
        A2,2026-11-16 10:00:00,2026-11-16 10:05:00,2026-11-16 12:00:00,2026-11-16 12:00:00

        """

    /// A later dump: A1 again, now shipped 23 h 55 min after payment, with a later updated_at.
    static let second = """
        order_id,ordered_at,paid_at,shipped_at,updated_at
        A1,2026-11-16 09:00:00,2026-11-16 09:05:00,2026-11-17 09:00:00,2026-11-17 09:00:00

        """

    /// in/ with the two files, each mapped into m/map/<name>/ under run's names, then `run` into
    /// run/ and `merge` into merged/.
    func setUp(_ name: String = #function) throws -> URL {
        let dir = try CLI.scratch(name)
        try CLI.write(Self.config, to: dir.appendingPathComponent("slareport.toml"))
        try CLI.write(Self.first, to: dir.appendingPathComponent("in/orders-1.csv"))
        try CLI.write(Self.second, to: dir.appendingPathComponent("in/orders-2.csv"))
        // Mapped in the other order: the read order comes from the names, not from the mapping.
        for f in ["orders-2.csv", "orders-1.csv"] {
            let m = try CLI.run(["map", "in/" + f, "--out", "m/map/" + f], cwd: dir)
            #expect(m.status == 0, "\(m.stderr)")
        }
        let r = try CLI.run(["run", "--input", "in", "--out", "run"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let g = try CLI.run(["merge", "--map", "m", "--out", "merged"], cwd: dir)
        #expect(g.status == 0, "\(g.stderr)")
        return dir
    }

    @Test func laterCopyWinsAndTheTreeIsRuns() throws {
        let dir = try setUp()
        // Two orders: A1's copy from orders-2.csv won (greater updated_at), so both are shipped
        // within 24 h (1.92 h and 23.92 h) and none is pending.
        let s = try SummaryReading.object(dir, "merged/latest/summary.json")
        #expect((s["orders"] as? [String: Any])?["placed"] as? Int == 2)
        #expect(SummaryReading.counts(try SummaryReading.sla(s, "ship_24h")) == [2, 0, 0, 2])
        let runSummary = try Data(contentsOf: dir.appendingPathComponent("run/latest/summary.json"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("merged/latest/summary.json")) == runSummary)

        // One duplicate merged, as run counts it.
        let info = try SummaryReading.object(dir, "merged/run.json")
        let orders = try #require((info["tables"] as? [String: Any])?["orders"] as? [String: Any])
        #expect(orders["duplicates_merged"] as? Int == 1)
        #expect(orders["unique"] as? Int == 2)

        try Self.expectSameTree(dir, "run", "merged")
    }

    /// Every file published under `dir/b` is the one under `dir/a` (run.json without its clock
    /// fields; the lock and the generations' bookkeeping aside).
    static func expectSameTree(_ dir: URL, _ a: String, _ b: String) throws {
        var x = try CLI.tree(dir.appendingPathComponent(a))
        var y = try CLI.tree(dir.appendingPathComponent(b))
        x["run.json"] = try withoutTimings(x["run.json"])
        y["run.json"] = try withoutTimings(y["run.json"])
        #expect(Set(x.keys) == Set(y.keys))
        for (k, v) in x where k != ".lock" && k != ".slareport" { #expect(y[k] == v, "\(k) differs") }
    }

    @Test func missingMapFolderExits66() throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.config, to: dir.appendingPathComponent("slareport.toml"))
        let g = try CLI.run(["merge", "--map", "nothing", "--out", "merged"], cwd: dir)
        #expect(g.status == 66)
        #expect(g.stderr.contains("nothing/map"))
    }

    /// run.json as a JSON object without its clock-dependent fields, re-serialised sorted.
    static func withoutTimings(_ data: Data?) throws -> Data {
        let bytes = try #require(data)
        var o = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        o["timings"] = nil
        o["timestamp_cutoff"] = nil
        return try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
    }
}
