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

#if canImport(Glibc)
    import Glibc
#endif

/// Publishing is atomic at every instant (bad-input-cases.md case 35, hardening issue 3): each
/// step of a publish a reader could observe is captured through `Generations.stepHook`; the
/// folder must read as the old set or the new one there, and a copy of it taken there — the state
/// a kill -9 or a power cut leaves — must be tidied and published over by the next run. The
/// end-to-end kill tests are in slareportCLITests/FaultTests.swift.
@Suite("Output.generations", .serialized)
struct GenerationsTests {
    static func scratch(_ name: String = #function) throws -> String {
        let p = FileManager.default.temporaryDirectory
            .appendingPathComponent("slareport-gen-\(name.filter(\.isLetter))-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// What a reader sees through the folder's public names (not starting with a dot), links
    /// followed as a web server follows them; a link that leads nowhere is not readable.
    static func view(_ root: String) -> [String: String] {
        var out: [String: String] = [:]
        func walk(_ path: String, _ key: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                    walk(path + "/" + name, key + "/" + name)
                }
            } else {
                out[key] = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "?"
            }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where !name.hasPrefix(".") {
            walk(root + "/" + name, name)
        }
        return out
    }

    static func set(_ tag: String, weeks: [String]) -> [(path: String, bytes: [UInt8])] {
        (["index.html", "weeks.csv"] + weeks.flatMap { ["\($0)/summary.json", "\($0)/report.md"] }).map {
            (path: $0, bytes: Array("\(tag) \($0)".utf8))
        }
    }

    static func publish(_ root: String, _ files: [(path: String, bytes: [UInt8])], latest: String?) throws {
        let g = Generations(root: root)
        try g.cleanLeftovers()
        let s = Generations.Staging(g)
        try s.add(files)
        try s.publish(latestTarget: latest)
    }

    /// Hidden entries left in the root and generations present.
    static func housekeeping(_ root: String) -> (tmp: [String], gens: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let gens = (try? FileManager.default.contentsOfDirectory(atPath: root + "/.gen")) ?? []
        return (names.filter { $0.hasPrefix(".tmp-") }, gens.sorted())
    }

    /// Runs `body` with a hook that snapshots the reader's view and copies the folder at every
    /// observable step; returns (step, view, copy path).
    static func observed(_ root: String, _ body: () throws -> Void) rethrows -> [(
        step: String, view: [String: String], copy: String
    )] {
        var seen: [(String, [String: String], String)] = []
        Generations.stepHook = { step in
            let copy = root + "-at-\(seen.count)"
            try? FileManager.default.copyItem(atPath: root, toPath: copy)
            seen.append((step, view(root), copy))
        }
        defer { Generations.stepHook = nil }
        try body()
        return seen
    }

    @Test func everyStepOfAPublishReadsAsTheOldSetOrTheNewOne() throws {
        let root = try Self.scratch()
        try Self.publish(root, Self.set("old", weeks: ["2026-W46", "2026-W47"]), latest: "2026-W47")
        let old = Self.view(root)
        #expect(old["latest/report.md"] == "old 2026-W47/report.md")
        let newSet = Self.set("new", weeks: ["2026-W46", "2026-W47", "2026-W48"])
        let steps = try Self.observed(root) { try Self.publish(root, newSet, latest: "2026-W48") }
        let new = Self.view(root)
        #expect(new["latest/report.md"] == "new 2026-W48/report.md")
        #expect(new.count == old.count + 2)
        #expect(steps.map(\.step).contains("link 2026-W48"))
        #expect(steps.map(\.step).contains("switch"))
        for s in steps {
            #expect(s.view == old || s.view == new, "a mix at step \(s.step)")
            #expect(
                (s.view == new)
                    == (steps.firstIndex { $0.step == "switch" }! <= steps.firstIndex { $0.copy == s.copy }!),
                "the switch is the one step that changes what readers see (\(s.step))")
            // The next run after a kill at this step: tidies, publishes, keeps two generations.
            try Self.publish(s.copy, newSet, latest: "2026-W48")
            #expect(Self.view(s.copy) == new, "after a kill at \(s.step)")
            let h = Self.housekeeping(s.copy)
            #expect(h.tmp.isEmpty && h.gens.count <= 2, "leftovers after a kill at \(s.step): \(h)")
        }
    }

    @Test func aRunKilledWhileWritingLeavesTheOldSetAndItsGenerationIsRemoved() throws {
        let root = try Self.scratch()
        try Self.publish(root, Self.set("old", weeks: ["2026-W47"]), latest: "2026-W47")
        let old = Self.view(root)
        let g = Generations(root: root)
        let s = Generations.Staging(g)
        try s.add(Self.set("new", weeks: ["2026-W47", "2026-W48"]))
        #expect(Self.view(root) == old)
        #expect(Self.housekeeping(root).gens == ["1", "2"])
        // Killed here: the next run finds generation 2 unpublished and removes it.
        try Generations(root: root).cleanLeftovers()
        #expect(Self.housekeeping(root).gens == ["1"])
        #expect(Self.view(root) == old)
        withExtendedLifetime(s) {}
    }

    @Test func aRunLimitedToSomePeriodsCarriesTheOthersOverAsHardLinks() throws {
        let root = try Self.scratch()
        try Self.publish(root, Self.set("old", weeks: ["2026-W46", "2026-W47"]), latest: "2026-W47")
        var before = stat()
        #expect(stat(root + "/2026-W46/summary.json", &before) == 0)
        try Self.publish(root, Self.set("new", weeks: ["2026-W46"]), latest: nil)
        let v = Self.view(root)
        #expect(v["2026-W46/summary.json"] == "new 2026-W46/summary.json")
        #expect(v["2026-W47/summary.json"] == "old 2026-W47/summary.json")
        #expect(v["latest/summary.json"] == "old 2026-W47/summary.json", "latest never moves back")
        var w47 = stat()
        var oldW47 = stat()
        #expect(stat(root + "/.gen/2/2026-W47/report.md", &w47) == 0)
        #expect(stat(root + "/.gen/1/2026-W47/report.md", &oldW47) == 0)
        #expect(w47.st_ino == oldW47.st_ino, "carried over as a hard link, not a copy")
    }

    /// An output folder of an earlier version (plain files, a latest link to a week) is moved to
    /// the generation layout by the first run, entry by entry: meanwhile each name reads as its
    /// old or its new version (a moved folder's name is absent for an instant), and a kill at any
    /// step is finished by the next run.
    @Test func anEarlierVersionsFolderIsMovedOver() throws {
        let root = try Self.scratch()
        let fm = FileManager.default
        for f in Self.set("v1", weeks: ["2026-W46", "2026-W47"]) {
            try fm.createDirectory(atPath: (root + "/" + f.path).parentPath, withIntermediateDirectories: true)
            try Data(f.bytes).write(to: URL(fileURLWithPath: root + "/" + f.path))
        }
        #expect(symlink("2026-W47", root + "/latest") == 0)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: root + "/notes.txt"))
        let old = Self.view(root)
        let newSet = Self.set("new", weeks: ["2026-W47"])
        let steps = try Self.observed(root) { try Self.publish(root, newSet, latest: "2026-W47") }
        let new = Self.view(root)
        #expect(new["2026-W46/summary.json"] == "v1 2026-W46/summary.json", "an old week is carried over")
        #expect(new["2026-W47/summary.json"] == "new 2026-W47/summary.json")
        #expect(new["notes.txt"] == "mine", "a file slareport did not write is left alone")
        #expect(steps.contains { $0.step == "move 2026-W46" })
        for s in steps {
            let moving = s.step.hasPrefix("move ") ? String(s.step.dropFirst(5)) + "/" : nil
            for key in Set(old.keys).union(new.keys) {
                let top = String(key.prefix { $0 != "/" })
                let here = s.view[key]
                if let moving, key.hasPrefix(moving) || (top == "latest" && here == nil) { continue }
                // Each public name reads wholly old or wholly new.
                let wholeOld = s.view.filter { $0.key.hasPrefix(top) } == old.filter { $0.key.hasPrefix(top) }
                let wholeNew = s.view.filter { $0.key.hasPrefix(top) } == new.filter { $0.key.hasPrefix(top) }
                #expect(wholeOld || wholeNew, "\(top) mixed at \(s.step)")
            }
            try Self.publish(s.copy, newSet, latest: "2026-W47")
            #expect(Self.view(s.copy) == new, "after a kill at \(s.step)")
            #expect(!fm.fileExists(atPath: s.copy + "/.gen/.migrating"))
        }
        // The moved folders stay one run for readers still in them, then go.
        #expect(fm.fileExists(atPath: root + "/.gen/0/2026-W46/summary.json"))
        try Self.publish(root, newSet, latest: "2026-W47")
        #expect(!fm.fileExists(atPath: root + "/.gen/0"))
    }

    @Test func aFolderWhereAFileGoesFailsBeforeAnyChangeAndBlocksNothingLater() throws {
        let root = try Self.scratch()
        try Self.publish(root, Self.set("old", weeks: ["2026-W47"]), latest: "2026-W47")
        let old = Self.view(root)
        #expect(unlink(root + "/weeks.csv") == 0)
        #expect(mkdir(root + "/weeks.csv", 0o755) == 0)
        let inTheWay = Self.view(root)
        #expect(throws: OutputError.inTheWay(path: root + "/weeks.csv", what: "a folder")) {
            try Self.publish(root, Self.set("new", weeks: ["2026-W47"]), latest: "2026-W47")
        }
        #expect(Self.view(root) == inTheWay, "nothing changed")
        #expect(Self.housekeeping(root).gens == ["1"], "the unpublished generation is removed")
        #expect(rmdir(root + "/weeks.csv") == 0)
        try Self.publish(root, Self.set("new", weeks: ["2026-W47"]), latest: "2026-W47")
        #expect(Self.view(root)["weeks.csv"] == "new weeks.csv")
        #expect(Self.view(root) != old)
    }

    /// A folder made inside the published set (where a reader sees `2026-W47/summary.json`) is
    /// in an old generation: the new one is written afresh, so it blocks nothing.
    @Test func aFolderInsideThePublishedSetDoesNotBlock() throws {
        let root = try Self.scratch()
        try Self.publish(root, Self.set("old", weeks: ["2026-W47"]), latest: "2026-W47")
        #expect(unlink(root + "/2026-W47/summary.json") == 0)
        #expect(mkdir(root + "/2026-W47/summary.json", 0o755) == 0)
        try Self.publish(root, Self.set("new", weeks: ["2026-W47"]), latest: "2026-W47")
        #expect(Self.view(root)["2026-W47/summary.json"] == "new 2026-W47/summary.json")
    }

    @Test func aJournalOfTheRenameBasedVersionIsFinishedFirst() throws {
        let root = try Self.scratch()
        try Data("old weeks".utf8).write(to: URL(fileURLWithPath: root + "/weeks.csv"))
        try Data("new weeks".utf8).write(to: URL(fileURLWithPath: root + "/.tmp-1-x-weeks.csv"))
        try Data(".tmp-1-x-weeks.csv\tweeks.csv\n".utf8).write(to: URL(fileURLWithPath: root + "/.publish-1-x"))
        try Generations(root: root).cleanLeftovers()
        #expect(Self.view(root)["weeks.csv"] == "new weeks")
        #expect(Self.housekeeping(root).tmp.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root + "/.publish-1-x"))
    }

    @Test func failedRunIsSwitchedWholeAndRemovedBySuccess() throws {
        let root = try Self.scratch()
        let g = Generations(root: root)
        try g.publishFailedRun(
            [(path: "run.json", bytes: Array("first".utf8))], rejectsHead: Array("h1\n".utf8), parts: [])
        try g.publishFailedRun(
            [(path: "run.json", bytes: Array("second".utf8))], rejectsHead: Array("h2\n".utf8), parts: [])
        #expect(Self.view(root) == ["failed-run/run.json": "second", "failed-run/rejects.csv": "h2\n"])
        let hidden = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".failed-") }
        #expect(hidden.count == 1)
        g.removeFailedRun()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }
}
