import Foundation
import Testing

/// The committed `reports/` is the output for `sample-data/` with the repo's `slareport.toml`:
/// a fresh run must equal it byte for byte (run.json up to its timings). Re-record with
/// `scripts/record-golden` after an intended change, and review the diff.
@Suite("CLI.golden", .serialized)
struct GoldenReportTests {
    static let skip: Set<String> = [".lock", "zh"]

    func compare(fresh: URL, golden: URL, skipping: Set<String>) throws {
        let want = try CLI.tree(golden, skipping: skipping).filter {
            !$0.key.hasPrefix("zh/") && !$0.key.hasSuffix(".png")
        }
        let got = try CLI.tree(fresh, skipping: skipping)
        #expect(got.keys.sorted() == want.keys.sorted())
        for (path, bytes) in want {
            guard let g = got[path] else { continue }
            if path == "run.json" {
                #expect(Self.withoutTimings(g) == Self.withoutTimings(bytes), "run.json differs beyond timings")
            } else {
                #expect(g == bytes, "\(path) differs from the committed golden file")
            }
        }
    }

    /// run.json without what changes from run to run: the timings and the timestamp cutoff
    /// (the run's wall clock plus two days).
    static func withoutTimings(_ d: Data) -> String {
        let s = String(decoding: d, as: UTF8.self)
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.contains("\"timestamp_cutoff\"")
        }
        let t = lines.joined(separator: "\n")
        guard let r = t.range(of: "\"timings\"") else { return t }
        return String(t[..<r.lowerBound])
    }

    @Test func englishReportsEqualAFreshRun() throws {
        let dir = try CLI.scratch()
        let out = dir.appendingPathComponent("en")
        let r = try CLI.run(["run", "--quiet", "--out", out.path], cwd: CLI.packageRoot)
        #expect(r.status == 0, "\(r.stderr)")
        try compare(fresh: out, golden: CLI.packageRoot.appendingPathComponent("reports"), skipping: Self.skip)
    }

    @Test func chineseWeekEqualsAFreshRun() throws {
        let golden = CLI.packageRoot.appendingPathComponent("reports/zh")
        let week = CLI.latestWeek(golden)
        let dir = try CLI.scratch()
        let out = dir.appendingPathComponent("zh")
        let r = try CLI.run(
            ["run", "--quiet", "--lang", "zh", "--from", week, "--to", week, "--out", out.path],
            cwd: CLI.packageRoot)
        #expect(r.status == 0, "\(r.stderr)")
        try compare(fresh: out, golden: golden, skipping: [".lock"])
        let html = try String(contentsOf: out.appendingPathComponent(week + "/report.html"), encoding: .utf8)
        #expect(html.contains("lang=\"zh"))
    }
}
