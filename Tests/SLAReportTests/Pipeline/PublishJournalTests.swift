import Foundation
import Testing

@testable import SLAReport

#if canImport(Glibc)
    import Glibc
#endif

/// bad-input-cases.md case 35 (kill -9 while writing), at the library level: a publish killed
/// between two renames is finished by the next run, so the folder holds the previous set or the
/// new one, never a mix. The end-to-end kill tests are in slareportCLITests/FaultTests.swift;
/// here the kill point is exact.
@Suite("Pipeline.publishJournal")
struct PublishJournalTests {
    static func scratch(_ name: String = #function) throws -> String {
        let p = FileManager.default.temporaryDirectory
            .appendingPathComponent("slareport-journal-\(name.filter(\.isLetter))-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    static func tree(_ root: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        for rel in fm.enumerator(atPath: root)?.allObjects as? [String] ?? [] {
            let full = root + "/" + rel
            if let d = try? fm.destinationOfSymbolicLink(atPath: full) {
                out[rel] = "-> " + d
                continue
            }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = try String(contentsOfFile: full, encoding: .utf8)
            }
        }
        return out
    }

    static func set(_ tag: String) -> [(path: String, bytes: [UInt8])] {
        ["index.html", "weeks.csv", "2026-W46/summary.json", "2026-W47/summary.json", "2026-W47/report.md"].map {
            (path: $0, bytes: Array("\(tag) \($0)".utf8))
        }
    }

    @Test(arguments: [0, 1, 3, 5, 6])
    func killedAfterKRenamesIsFinishedByTheNextRun(k: Int) throws {
        let root = try Self.scratch()
        let w = AtomicWriter(root: root)
        try w.publish(Self.set("old"), latestTarget: "2026-W46")
        let old = try Self.tree(root)

        // The new publish, "killed" after k of its 6 renames (5 files + latest).
        let renames = try w.stage(Self.set("new"), latestTarget: "2026-W47")
        #expect(renames.count == 6)
        _ = try w.writeJournal(renames)
        for r in renames.prefix(k) { #expect(rename(root + "/" + r.tmp, root + "/" + r.final) == 0) }
        let mixed = try Self.tree(root)
        if k > 0 && k < 5 { #expect(mixed.values.contains { $0.hasPrefix("old") } && mixed.values.contains { $0.hasPrefix("new") }) }

        // The next run: finishes the journal, removes leftovers.
        try w.cleanLeftovers()
        let after = try Self.tree(root)
        try w.publish(Self.set("new"), latestTarget: "2026-W47")
        let new = try Self.tree(root)
        #expect(after == new, "k=\(k): the set must be the new one complete")
        #expect(after != old)
        #expect(!after.keys.contains { $0.contains(".tmp-") || $0.contains(".publish-") })
    }

    @Test func killedBeforeTheJournalLeavesThePreviousSet() throws {
        let root = try Self.scratch()
        let w = AtomicWriter(root: root)
        try w.publish(Self.set("old"), latestTarget: "2026-W46")
        let old = try Self.tree(root)
        _ = try w.stage(Self.set("new"), latestTarget: "2026-W47")  // staged, no journal: killed here
        #expect(try Self.tree(root) != old)  // .tmp- files lie around
        try w.cleanLeftovers()
        #expect(try Self.tree(root) == old)
    }

    @Test func aFinishedJournalIsHarmless() throws {
        let root = try Self.scratch()
        let w = AtomicWriter(root: root)
        let renames = try w.stage(Self.set("new"), latestTarget: nil)
        let j = try w.writeJournal(renames)
        for r in renames { #expect(rename(root + "/" + r.tmp, root + "/" + r.final) == 0) }
        #expect(FileManager.default.fileExists(atPath: j))  // killed before the journal was removed
        #expect(try w.recover() == 1)
        #expect(!FileManager.default.fileExists(atPath: j))
        #expect(try Self.tree(root)["weeks.csv"] == "new weeks.csv")
    }

    @Test func aSuccessfulPublishLeavesNoJournal() throws {
        let root = try Self.scratch()
        try AtomicWriter(root: root).publish(Self.set("x"), latestTarget: "2026-W47")
        #expect(!(try Self.tree(root)).keys.contains { $0.hasPrefix(".") })
    }
}

/// bad-input-cases.md case 34 (input still being written), at the library level: a file that
/// grows between open and end of input is `changedDuringRead` (the CLI maps it to exit 75).
@Suite("Pipeline.changedDuringRead")
struct ChangedDuringReadTests {
    @Test func aFileThatGrowsWhileReadIsAnError() throws {
        let path = try PublishJournalTests.scratch() + "/tickets.csv"
        try Data("ticket_id,created_at,type\nT1,2026-11-16 10:00,inquiry\n".utf8).write(to: URL(fileURLWithPath: path))
        let src = try FileByteSource(path: path, name: path)
        var buf = [UInt8](repeating: 0, count: 16)
        #expect(try buf.withUnsafeMutableBytes { try src.read(into: $0.baseAddress!, capacity: 16) } == 16)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data("T2,2026-11-16 11:00,inquiry\n".utf8))
        try h.close()
        var error: IngestError? = nil
        do {
            while try buf.withUnsafeMutableBytes({ try src.read(into: $0.baseAddress!, capacity: 16) }) > 0 {}
        } catch let e as IngestError {
            error = e
        }
        #expect(error == .changedDuringRead(path: path))
    }

    @Test func aFileTruncatedWhileReadIsAnError() throws {
        let path = try PublishJournalTests.scratch() + "/tickets.csv"
        try Data(String(repeating: "x", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let src = try FileByteSource(path: path, name: "tickets.csv")
        var buf = [UInt8](repeating: 0, count: 10)
        _ = try buf.withUnsafeMutableBytes { try src.read(into: $0.baseAddress!, capacity: 10) }
        #expect(truncate(path, 20) == 0)
        #expect(throws: IngestError.changedDuringRead(path: "tickets.csv")) {
            while try buf.withUnsafeMutableBytes({ try src.read(into: $0.baseAddress!, capacity: 10) }) > 0 {}
        }
    }

    @Test func anUnchangedFileReadsToTheEnd() throws {
        let path = try PublishJournalTests.scratch() + "/tickets.csv"
        try Data(String(repeating: "y", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let src = try FileByteSource(path: path, name: path)
        var buf = [UInt8](repeating: 0, count: 7)
        var total = 0
        while true {
            let n = try buf.withUnsafeMutableBytes { try src.read(into: $0.baseAddress!, capacity: 7) }
            if n == 0 { break }
            total += n
        }
        #expect(total == 100)
    }
}
