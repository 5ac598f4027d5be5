import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile-tester cases: odd files in a scanned folder, configs that are not text or come from a
/// pipe, option values that look like flags, names that look like formulas.
@Suite("CLI.hardening", .serialized)
struct HardeningTests {
    static let tickets = "ticket_id,created_at,type\nT1,2026-11-16 09:00,inquiry\n"

    /// A FIFO named like an export is skipped by a folder scan with a warning (it used to block
    /// the run forever with the lock held); named explicitly it is read as a stream.
    @Test func fifoIsSkippedByAScanAndReadWhenNamed() throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        let fifo = dir.appendingPathComponent("in/tickets-x.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let r = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("in/tickets-x.csv: not a regular file"))
        // Named: a writer feeds the FIFO while the run reads it.
        let writer = Thread {
            if let h = FileHandle(forWritingAtPath: fifo) {
                h.write(Data("ticket_id,created_at,type\nT2,2026-11-17 09:00,inquiry\n".utf8))
                try? h.close()
            }
        }
        writer.start()
        let named = try CLI.run(["run", "--tickets", fifo, "--out", "out2"], cwd: dir)
        #expect(named.status == 0, "\(named.stderr)")
        let s = try String(contentsOf: dir.appendingPathComponent("out2/2026-W47/summary.json"), encoding: .utf8)
        #expect(s.contains("\"created\": 1"))
    }

    /// The config can come from standard input (`--config /dev/stdin`).
    @Test func configFromStandardInput() throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        let r = try CLI.run(
            ["run", "--config", "/dev/stdin", "--input", "in", "--out", "out"], cwd: dir,
            stdin: Data("timezone = \"Asia/Shanghai\"\n".utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let s = try String(contentsOf: dir.appendingPathComponent("out/2026-W47/summary.json"), encoding: .utf8)
        #expect(s.contains("\"timezone\": \"Asia/Shanghai\""))
    }

    /// A NUL byte (or another control byte) is exit 78 with the file and line: the TOML parser
    /// would silently stop there and ignore the keys after it.
    @Test(arguments: [("timezone = \"UTC\"\0\nlang = \"zh\"\n", 1), ("lang = \"zh\"\n\n# \u{1B}[31m\n", 3)])
    func controlBytesInTheConfig(_ text: String, _ line: Int) throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        try CLI.write(text, to: dir.appendingPathComponent("bad.toml"))
        let r = try CLI.run(["run", "--config", "bad.toml", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r.status == 78)
        #expect(r.stderr.contains("bad.toml:\(line): control byte"), "\(r.stderr)")
    }

    /// A negative rate is read as a value and refused as one (it used to say "Missing value").
    @Test func negativeRejectRate() throws {
        let dir = try CLI.scratch()
        let r = try CLI.run(["run", "--max-reject-rate", "-1"], cwd: dir)
        #expect(r.status == 64)
        #expect(r.stderr.contains("--max-reject-rate must be between 0 and 1"), "\(r.stderr)")
    }

    /// Policy names reach CSV headers (weeks.csv, agents.csv): one that starts like a formula is
    /// neutralised there as input text is.
    @Test func formulaLikePolicyNameIsNeutralised() throws {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        try CLI.write(
            """
            [[policy]]
            name = "=HYPERLINK(\\"x\\")"
            start = "created_at"
            stop = "resolved_at"
            target = "24h"
            """, to: dir.appendingPathComponent("slareport.toml"))
        let r = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let weeks = try String(contentsOf: dir.appendingPathComponent("out/weeks.csv"), encoding: .utf8)
        #expect(weeks.contains("\"'=HYPERLINK(\"\"x\"\")_attainment\""), "\(weeks)")
        #expect(!weeks.contains(",=HYPERLINK"))
    }
}

/// The output folder is slareport's own: a marker file, foreign folders refused, planted links
/// not followed.
@Suite("CLI.output-folder", .serialized)
struct OutputFolderTests {
    static let tickets = "ticket_id,created_at,type\nT1,2026-11-16 09:00,inquiry\n"

    private func setUp() throws -> URL {
        let dir = try CLI.scratch()
        try CLI.write(Self.tickets, to: dir.appendingPathComponent("in/tickets.csv"))
        return dir
    }

    /// A new folder gets the marker; a non-empty folder without it is refused with 73 and left
    /// exactly as it was (no lock file, its `.tmp-*` entries and index.html untouched).
    @Test func foreignFolderIsRefused() throws {
        let dir = try setUp()
        #expect(try CLI.run(["run", "--input", "in", "--out", "new"], cwd: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("new/.slareport").path))
        let mine = dir.appendingPathComponent("mine")
        try CLI.write("<p>my page</p>", to: mine.appendingPathComponent("index.html"))
        try CLI.write("keep", to: mine.appendingPathComponent(".tmp-1-notes/a.txt"))
        let before = try CLI.tree(mine)
        let r = try CLI.run(["run", "--input", "in", "--out", "mine"], cwd: dir)
        #expect(r.status == 73)
        #expect(r.stderr.contains("mine") && r.stderr.contains("not a slareport output folder"), "\(r.stderr)")
        #expect(try CLI.tree(mine) == before)
        #expect(!FileManager.default.fileExists(atPath: mine.appendingPathComponent(".lock").path))
    }

    /// A v1 output folder (run.json written by slareport, no marker) is adopted.
    @Test func v1FolderIsAdopted() throws {
        let dir = try setUp()
        let old = dir.appendingPathComponent("old")
        try CLI.write(
            "{\n  \"tool\": \"slareport\",\n  \"tool_version\": \"0.1.0\"\n}\n",
            to: old.appendingPathComponent("run.json"))
        try CLI.write("old", to: old.appendingPathComponent("index.html"))
        #expect(try CLI.run(["run", "--input", "in", "--out", "old"], cwd: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: old.appendingPathComponent(".slareport").path))
        #expect(try String(contentsOf: old.appendingPathComponent("index.html"), encoding: .utf8).contains("<html"))
    }

    /// A symlink planted as .lock is not followed (its target is not truncated); a week folder
    /// replaced by a link makes the run fail with 73 before writing anything through it.
    @Test func plantedLinksAreNotFollowed() throws {
        let dir = try setUp()
        #expect(try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir).status == 0)
        let victim = dir.appendingPathComponent("victim.txt")
        try CLI.write("precious", to: victim)
        let lock = dir.appendingPathComponent("out/.lock")
        try FileManager.default.removeItem(at: lock)
        try FileManager.default.createSymbolicLink(at: lock, withDestinationURL: victim)
        let r = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r.status == 73, "\(r.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious")
        try FileManager.default.removeItem(at: lock)

        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let week = dir.appendingPathComponent("out/2026-W47")
        try FileManager.default.removeItem(at: week)
        try FileManager.default.createSymbolicLink(at: week, withDestinationURL: elsewhere)
        let r2 = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r2.status == 73, "\(r2.stderr)")
        #expect(r2.stderr.contains("2026-W47") && r2.stderr.contains("symbolic link"), "\(r2.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    /// A folder where the reports need a file or link (`latest/`) fails the run with 73 naming
    /// it before anything changes, and the next run after it is moved away succeeds; a folder
    /// made inside the published set (`2026-W47/summary.json/`) blocks nothing, since each run
    /// writes a new generation.
    @Test func targetsInTheWayFailBeforeAnyChangeAndNeverWedge() throws {
        let dir = try setUp()
        #expect(try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir).status == 0)
        let out = dir.appendingPathComponent("out")
        let latest = out.appendingPathComponent("latest")
        try FileManager.default.removeItem(at: latest)
        try FileManager.default.createDirectory(at: latest, withIntermediateDirectories: false)
        let before = try CLI.tree(out, skipping: [".lock"])
        let r = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("out/latest") && r.stderr.contains("nothing was changed"), "\(r.stderr)")
        #expect(try CLI.tree(out, skipping: [".lock"]) == before)
        try FileManager.default.removeItem(at: latest)
        #expect(try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir).status == 0)
        #expect(CLI.latestWeek(out) == "2026-W47")

        let summary = out.appendingPathComponent("2026-W47/summary.json")
        try FileManager.default.removeItem(at: summary)
        try FileManager.default.createDirectory(at: summary, withIntermediateDirectories: false)
        let r2 = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir)
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try String(contentsOf: summary, encoding: .utf8).contains("\"week\": \"2026-W47\""))
    }
}
