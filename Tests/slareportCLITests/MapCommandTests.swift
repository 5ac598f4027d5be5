import Foundation
import Testing

/// `slareport map` (the Spark map stage, docs/spark.md) against `run` on tiny inputs whose
/// expected values are worked out by hand.
@Suite("CLI.map", .serialized)
struct MapCommandTests {
    /// UTC, so the epoch seconds below are plain: 2026-11-16 09:00:00 UTC = 1794819600.
    static let config = "timezone = \"UTC\"\n"

    /// Three orders, the second with an hour 25: two rows, one reject.
    static let orders = """
        order_id,ordered_at,paid_at,merchant_id,amount
        A1,2026-11-16 09:00:00,2026-11-16 09:05:00,M1,12.50
        A2,2026-11-16 25:00:00,,M1,3
        A3,2026-11-17 10:00:00,,"M,2",

        """

    /// A scratch folder with slareport.toml and orders.csv.
    func setUp(_ name: String = #function) throws -> URL {
        let dir = try CLI.scratch(name)
        try CLI.write(Self.config, to: dir.appendingPathComponent("slareport.toml"))
        try CLI.write(Self.orders, to: dir.appendingPathComponent("orders.csv"))
        return dir
    }

    func text(_ dir: URL, _ path: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
    }

    func json(_ dir: URL, _ path: String) throws -> NSDictionary {
        let d = try Data(contentsOf: dir.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: d) as? NSDictionary)
    }

    /// run's rejects.csv without its header line (and BOM).
    func runRejectBody(_ dir: URL) throws -> String {
        let all = try text(dir, "run/rejects.csv")
        let end = try #require(all.range(of: "\r\n"))
        return String(all[end.upperBound...])
    }

    /// run.json's "inputs" entries.
    func runInputs(_ dir: URL) throws -> [NSDictionary] {
        try #require(try json(dir, "run/run.json")["inputs"] as? [NSDictionary])
    }

    @Test func rowsRejectsAndStatsMatchRun() throws {
        let dir = try setUp()
        let m = try CLI.run(["map", "orders.csv", "--out", "m"], cwd: dir)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stdout.isEmpty && m.stderr.isEmpty)
        let r = try CLI.run(["run", "--orders", "orders.csv", "--out", "run", "--max-reject-rate", "1"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")

        // Timestamps as UTC epoch seconds, amounts in cents, missing values empty, ids as read.
        let rows = try text(dir, "m/rows.csv")
        #expect(
            rows == """
                _file,_record,order_id,ordered_at,paid_at,shipped_at,signed_at,customer_id,merchant_id,product_id,\
                category,amount_cents,status,promised_ship_at,promised_delivery_at,updated_at\r
                orders.csv,1,A1,1794819600,1794819900,,,,M1,,,1250,,,,\r
                orders.csv,3,A3,1794909600,,,,,"M,2",,,,,,,\r

                """)

        // The reject: one line, byte for byte run's rejects.csv body.
        let rejects = try text(dir, "m/rejects.csv")
        #expect(rejects == (try runRejectBody(dir)))
        #expect(rejects.hasPrefix("orders.csv,3,orders,bad_timestamp,"))
        #expect(rejects.components(separatedBy: "\r\n").count == 2)

        // stats.json is run.json's inputs entry.
        let stats = try json(dir, "m/stats.json")
        let inputs = try runInputs(dir)
        #expect(inputs.count == 1)
        #expect(stats == inputs.first)
        #expect(stats["accepted"] as? Int == 2)
        #expect(stats["rejected"] as? Int == 1)
        #expect(stats["rows_read"] as? Int == 3)
    }

    @Test func standardInputWithNameGivesTheSameFiles() throws {
        let dir = try setUp()
        #expect(try CLI.run(["map", "orders.csv", "--out", "a"], cwd: dir).status == 0)
        let b = try CLI.run(
            ["map", "-", "--name", "orders.csv", "--out", "b"], cwd: dir, stdin: Data(Self.orders.utf8))
        #expect(b.status == 0, "\(b.stderr)")
        for f in ["rows.csv", "rejects.csv", "stats.json"] {
            #expect(try text(dir, "a/" + f) == text(dir, "b/" + f), "\(f) differs")
        }
        // Without --name, standard input is a usage error.
        #expect(try CLI.run(["map", "-", "--out", "c"], cwd: dir, stdin: Data()).status == 64)
    }

    @Test func gzipAndTableFromNameLikeRun() throws {
        let dir = try setUp()
        let tickets = """
            ticket_id,order_id,created_at,type,priority,satisfaction,responsibility
            T1,A1,2026-11-16 10:00:00,退货,urgent,5,商家
            T2,A1,2026-11-16 11:00:00,refund,,9,

            """
        try CLI.write(tickets, to: dir.appendingPathComponent("in/tickets-1.csv"))
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-n", dir.appendingPathComponent("in/tickets-1.csv").path]
        try gz.run()
        gz.waitUntilExit()
        let m = try CLI.run(["map", "in/tickets-1.csv.gz", "--out", "m"], cwd: dir)
        #expect(m.status == 0, "\(m.stderr)")
        let r = try CLI.run(["run", "--input", "in", "--out", "run", "--max-reject-rate", "1"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // Enums by their canonical English names; an unreadable score is empty, flagged invalid.
        let rows = try text(dir, "m/rows.csv").components(separatedBy: "\r\n")
        #expect(rows.count == 4)
        #expect(rows[1].hasPrefix("in/tickets-1.csv.gz,1,T1,A1,,,1794823200,,,return,,urgent,"))
        #expect(rows[1].hasSuffix(",5,,,merchant,,,"))
        #expect(rows[2].hasSuffix(",,1,,,,,"))
        let stats = try json(dir, "m/stats.json")
        #expect(stats == (try runInputs(dir)).first)
        #expect(stats["gzip"] as? Bool == true)
        #expect(try text(dir, "m/rejects.csv").isEmpty)
    }

    @Test func fileErrorsExitAsRunDoes() throws {
        let dir = try setUp()
        // Missing file: 66, like run.
        #expect(try CLI.run(["map", "orders-nope.csv", "--out", "m"], cwd: dir).status == 66)
        // A header without a required column: 65 for both, nothing left behind.
        try CLI.write("order_id,paid_at\nA1,\n", to: dir.appendingPathComponent("orders-bad.csv"))
        let m = try CLI.run(["map", "orders-bad.csv", "--out", "m"], cwd: dir)
        let r = try CLI.run(["run", "--orders", "orders-bad.csv", "--out", "run"], cwd: dir)
        #expect(m.status == 65 && r.status == 65)
        #expect(m.stderr.contains("orders-bad.csv"))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("m").path)) ?? []
        #expect(left.isEmpty, "\(left)")
        // A name no table claims: 66, or ignored (exit 0, no files) with --ignore-other.
        try CLI.write("x\n", to: dir.appendingPathComponent("notes.csv"))
        #expect(try CLI.run(["map", "notes.csv", "--out", "n"], cwd: dir).status == 66)
        #expect(try CLI.run(["map", "notes.csv", "--out", "n", "--ignore-other"], cwd: dir).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("n/rows.csv").path))
        // --table names it, as run --orders does.
        #expect(try CLI.run(["map", "orders.csv", "--table", "orders", "--out", "t"], cwd: dir).status == 0)
    }
}
