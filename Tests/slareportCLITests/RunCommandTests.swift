import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// End-to-end: the built binary in a scratch folder, checked by files and exit codes (SPEC 6, 7).
@Suite("CLI.run", .serialized)
struct RunCommandTests {
    @Test func writesTheWholeTreeSilently() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let r = try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty && r.stderr.isEmpty)  // no terminal: silent on success
        let out = dir.appendingPathComponent("out")
        for f in [
            "index.html", "weeks.csv", "run.json", "rejects.csv", "2026-W47/summary.json", "2026-W47/report.html",
            "2026-W47/report.md", "2026-W47/sla_breaches.csv", "2026-W47/low_scores.csv", "2026-W47/agents.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(f) missing")
        }
        #expect(CLI.latestWeek(out) == "2026-W47")
        let summary = try String(contentsOf: out.appendingPathComponent("2026-W47/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"schema_version\": 2"))
        #expect(summary.contains("\"week\": \"2026-W47\""))
        // Three tickets created in W47 (T1, T2, T3).
        #expect(summary.contains("\"created\": 3"))
    }

    @Test func twoRunsGiveIdenticalTrees() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        #expect(try CLI.run(["run", "--input", input.path, "--out", "a"], cwd: dir).status == 0)
        #expect(
            try CLI.run(
                ["run", "--input", input.path, "--out", "b"], cwd: dir,
                env: ["TZ": "Asia/Tokyo", "LANG": "de_DE.UTF-8"]
            ).status == 0)
        let a = try CLI.tree(dir.appendingPathComponent("a"), skipping: ["run.json", ".lock"])
        let b = try CLI.tree(dir.appendingPathComponent("b"), skipping: ["run.json", ".lock"])
        #expect(a.keys.sorted() == b.keys.sorted())
        for k in a.keys { #expect(a[k] == b[k], "\(k) differs") }
    }

    @Test func missingInputIs66() throws {
        let dir = try CLI.scratch()
        let r = try CLI.run(["run", "--tickets", "nope.csv", "--out", "out"], cwd: dir)
        #expect(r.status == 66)
        #expect(r.stderr.contains("nope.csv"))
    }

    @Test func badFlagIs64() throws {
        let dir = try CLI.scratch()
        #expect(try CLI.run(["run", "--from", "week47"], cwd: dir).status == 64)
        #expect(try CLI.run(["run", "--no-such-flag"], cwd: dir).status == 64)
    }

    @Test func badConfigIs78WithLineAndKey() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        try CLI.write(
            "timezone = \"Asia/Shanghai\"\n\n[[policy]]\nname = \"x\"\nstart = \"created_at\"\nstop = \"resolved_at\"\ntarget = \"72x\"\n",
            to: dir.appendingPathComponent("bad.toml"))
        let r = try CLI.run(["run", "--input", input.path, "--config", "bad.toml", "--out", "out"], cwd: dir)
        #expect(r.status == 78)
        #expect(r.stderr.contains("bad.toml"))
        #expect(r.stderr.contains(":7"))
        #expect(r.stderr.contains("target"))
    }

    /// Over max_reject_rate nothing is published: the previous reports stay, the diagnosis goes to
    /// failed-run/, the exit code is 65 and the message points there. --publish-anyway publishes
    /// (still 65); the next good run removes failed-run/.
    @Test func overRejectRatePublishesNothingThenExits65() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
        let before = try CLI.tree(dir.appendingPathComponent("out"), skipping: [".lock"])
        // One of four ticket rows has an unknown type: 25% > 5%.
        try CLI.write(
            Fixture.tickets + "T9,O1,2026-11-18 09:00:00,APP,A01,nonsense,,,,,,\n",
            to: input.appendingPathComponent("tickets.csv"))
        let r = try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir)
        #expect(r.status == 65)
        #expect(
            r.stderr.contains("tickets: 1 of 4 rows rejected") && r.stderr.contains("out/failed-run/"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        var after = try CLI.tree(dir.appendingPathComponent("out"), skipping: [".lock"])
        let failedRejects = after.removeValue(forKey: "failed-run/rejects.csv") ?? Data()
        #expect(String(decoding: failedRejects, as: UTF8.self).contains("nonsense"))
        let failedRun = after.removeValue(forKey: "failed-run/run.json")
        #expect(failedRun != nil)
        #expect(after == before, "the previous reports are untouched")
        // v1's behaviour on request: published, still 65.
        let anyway = try CLI.run(["run", "--input", input.path, "--out", "out", "--publish-anyway"], cwd: dir)
        #expect(anyway.status == 65)
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("nonsense"))
        // Under the limit it passes, and the diagnosis folder is gone.
        #expect(
            try CLI.run(["run", "--input", input.path, "--out", "out", "--max-reject-rate", "0.5"], cwd: dir).status
                == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/failed-run").path))
    }

    @Test func badHeaderIs65AndLeavesPreviousReportsIntact() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
        let before = try CLI.tree(dir.appendingPathComponent("out"), skipping: [".lock"])
        try CLI.write("order_id,merchant_id\nO1,M1\n", to: input.appendingPathComponent("orders-2.csv"))
        let r = try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir)
        #expect(r.status == 65)
        #expect(r.stderr.contains("orders-2.csv"))
        #expect(r.stderr.contains("ordered_at"))
        #expect(try CLI.tree(dir.appendingPathComponent("out"), skipping: [".lock"]) == before)
    }

    @Test func lockHeldByAnotherRunIs75() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let fd = open(out.appendingPathComponent(".lock").path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let r = try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir)
        #expect(r.status == 75)
        #expect(r.stderr.contains(".lock"))
        close(fd)  // released: the next run goes through
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
    }

    @Test func unwritableOutputIs73() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        try CLI.write("x", to: dir.appendingPathComponent("afile"))
        let r = try CLI.run(["run", "--input", input.path, "--out", "afile/reports"], cwd: dir)
        #expect(r.status == 73)
        #expect(r.stderr.contains("afile"))
    }

    @Test func stdinInput() throws {
        let dir = try CLI.scratch()
        let r = try CLI.run(["run", "--tickets", "-", "--out", "out"], cwd: dir, stdin: Data(Fixture.tickets.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOf: dir.appendingPathComponent("out/2026-W47/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"created\": 3"))
    }

    @Test func validatePrintsCountsAndWritesNothing() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let r = try CLI.run(["validate", "--input", input.path], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tickets: 1 file"))
        #expect(r.stdout.contains("rows read          3"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports").path))
    }

    @Test func initWritesALoadableConfig() throws {
        let dir = try CLI.scratch()
        #expect(try CLI.run(["init"], cwd: dir).status == 0)
        #expect(try CLI.run(["init"], cwd: dir).status != 0)  // no silent overwrite
        let input = try Fixture.make(in: dir)
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
    }
}
