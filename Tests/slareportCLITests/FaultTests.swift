import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Faults in the run, tested on the built binary (bad-input-cases.md 34–38, 40's cron part):
// output folder not writable (73), disk full (74), kill -9 / SIGINT / SIGTERM while writing,
// two runs at once (75), an input that grows while it is read (75), and a cron environment.
//
// These tests run as root here, where chmod 555 does not stop writes: an unwritable output is a
// path under a regular file, or a read-only tmpfs; the full disk is a small tmpfs. Both need
// mount(8) and CAP_SYS_ADMIN; without them the tests are skipped with that reason (see
// `Mounts.reason`).

/// A child slareport run in the background: started, signalled, waited for.
final class Child {
    let process = Process()
    let errURL: URL

    /// Standard input of the child when `pipeStdin`: write to it, close it to end the input.
    let stdin = Pipe()

    init(_ args: [String], cwd: URL, env: [String: String] = [:], pipeStdin: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = args
        process.currentDirectoryURL = cwd
        var environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"]
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        errURL = cwd.appendingPathComponent("child-stderr-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = pipeStdin ? stdin : FileHandle.nullDevice
        try process.run()
    }

    var pid: pid_t { process.processIdentifier }
    func signal(_ s: Int32) { kill(pid, s) }

    /// Waits; returns the exit status, or -signal when killed by a signal.
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
}

/// Small tmpfs mounts for the output-fault tests.
enum Mounts {
    /// Why mounting is not possible here, or nil when it is.
    static let reason: String? = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-mountprobe-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        guard geteuid() == 0 else { return "not root: cannot mount a tmpfs" }
        guard sh("mount -t tmpfs -o size=64k tmpfs '\(dir.path)'") == 0 else {
            return "mount -t tmpfs failed (no CAP_SYS_ADMIN?)"
        }
        _ = sh("umount '\(dir.path)'")
        return nil
    }()
    static var available: Bool { reason == nil }

    @discardableResult
    static func sh(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command + " 2>/dev/null"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Mounts a tmpfs of `size` on `dir` (created), runs `body`, unmounts.
    static func withTmpfs<T>(_ dir: URL, size: String, _ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard sh("mount -t tmpfs -o size=\(size),mode=755 tmpfs '\(dir.path)'") == 0 else {
            throw POSIXError(.EPERM)
        }
        defer { sh("umount '\(dir.path)'") }
        return try body()
    }
}

/// Generated inputs big enough that a run takes a while (slagen, built next to slareport).
enum BigInput {
    static var slagen: String {
        URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("slagen").path
    }

    /// `slagen --seed S …` into `dir/name`; returns the folder.
    static func make(_ dir: URL, _ name: String, seed: Int, orders: Int = 8000, tickets: Int = 3000, weeks: Int = 26)
        throws -> URL
    {
        let out = dir.appendingPathComponent(name)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: slagen)
        p.arguments = [
            "--seed", "\(seed)", "--orders", "\(orders)", "--tickets", "\(tickets)", "--weeks", "\(weeks)", "--out",
            out.path,
        ]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "slagen failed")
        try? FileManager.default.removeItem(at: out.appendingPathComponent("slagen-manifest.txt"))
        return out
    }
}

extension CLI {
    /// The output tree for comparisons: no lock file, run.json without its timings and its
    /// timestamp cutoff (the run's wall clock plus two days).
    static func published(_ root: URL) throws -> [String: Data] {
        var t = try CLI.tree(root, skipping: [".lock"])
        if let run = t["run.json"] {
            let s = String(decoding: run, as: UTF8.self)
            let stripped = s.replacingOccurrences(
                of: #""timings": \{[^}]*\}"#, with: "\"timings\": {}", options: .regularExpression
            )
            .replacingOccurrences(
                of: #""timestamp_cutoff": "[^"]*""#, with: "\"timestamp_cutoff\": \"\"", options: .regularExpression)
            t["run.json"] = Data(stripped.utf8)
        }
        return t
    }

    static func copyTree(_ from: URL, _ to: URL) throws {
        try? FileManager.default.removeItem(at: to)
        try FileManager.default.copyItem(at: from, to: to)
    }
}

@Suite("CLI.faults", .serialized)
struct FaultTests {
    // MARK: 37: output not writable (73)

    /// Case 37: the output path lies under a regular file: 73 naming it, nothing written.
    @Test func case37_outputUnderARegularFileIs73() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        try CLI.write("x", to: dir.appendingPathComponent("afile"))
        let r = try CLI.run(["run", "--input", input.path, "--out", "afile/reports"], cwd: dir)
        #expect(r.status == 73)
        #expect(r.stderr.contains("afile: cannot create output: exists and is not a folder"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    /// Case 37: a read-only output folder (a tmpfs remounted read-only; chmod does not stop
    /// root): 73 naming the folder, the previous reports untouched.
    @Test(.enabled(if: Mounts.available, "needs root and mount: \(Mounts.reason ?? "")"))
    func case37_readOnlyOutputFolderIs73() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let mnt = dir.appendingPathComponent("mnt")
        try Mounts.withTmpfs(mnt, size: "1m") {
            #expect(try CLI.run(["run", "--input", input.path, "--out", "mnt/out"], cwd: dir).status == 0)
            let before = try CLI.tree(mnt.appendingPathComponent("out"))
            #expect(Mounts.sh("mount -o remount,ro '\(mnt.path)'") == 0)
            let r = try CLI.run(["run", "--input", input.path, "--out", "mnt/out"], cwd: dir)
            #expect(r.status == 73, "\(r.stderr)")
            #expect(r.stderr.contains("mnt/out"), "\(r.stderr)")
            #expect(try CLI.tree(mnt.appendingPathComponent("out")) == before)
            // A folder that cannot be created at all.
            let r2 = try CLI.run(["run", "--input", input.path, "--out", "mnt/new/out"], cwd: dir)
            #expect(r2.status == 73 && r2.stderr.contains("mnt/new"), "\(r2.stderr)")
        }
    }

    // MARK: 36: disk full (74)

    /// Case 36: the disk fills up while the reports are written: 74 naming the path, the
    /// staged files removed, the previous reports untouched; with space again the run works.
    @Test(.enabled(if: Mounts.available, "needs root and mount: \(Mounts.reason ?? "")"))
    func case36_diskFullIs74() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let mnt = dir.appendingPathComponent("mnt")
        try Mounts.withTmpfs(mnt, size: "768k") {
            #expect(try CLI.run(["run", "--input", input.path, "--out", "mnt/out"], cwd: dir).status == 0)
            let before = try CLI.tree(mnt.appendingPathComponent("out"))
            // Fill the rest of the disk, then free 16 KiB: enough for the lock and a few files.
            let filler = mnt.appendingPathComponent("filler")
            FileManager.default.createFile(atPath: filler.path, contents: nil)
            let h = try FileHandle(forWritingTo: filler)
            let chunk = Data(repeating: 0x41, count: 4096)
            while (try? h.write(contentsOf: chunk)) != nil {}
            try? h.close()
            let size = try #require(try FileManager.default.attributesOfItem(atPath: filler.path)[.size] as? Int)
            #expect(truncate(filler.path, off_t(size - 16 * 1024)) == 0)

            let r = try CLI.run(["run", "--input", input.path, "--out", "mnt/out"], cwd: dir)
            #expect(r.status == 74, "\(r.stderr)")
            #expect(r.stderr.contains("mnt/out/") && r.stderr.contains("No space left on device"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(
                try CLI.tree(mnt.appendingPathComponent("out")) == before,
                "previous reports untouched, no .tmp- files left")

            try FileManager.default.removeItem(at: filler)
            #expect(try CLI.run(["run", "--input", input.path, "--out", "mnt/out"], cwd: dir).status == 0)
        }
    }

    // MARK: 35: kill -9, SIGINT, SIGTERM while writing

    /// Two input sets and their reports: `old` published first, `new` over it.
    struct KillSetup {
        var dir: URL
        var newInput: URL
        var oldTree: [String: Data]
        var newTree: [String: Data]
        var seconds: Double
        var base: URL { dir.appendingPathComponent("base") }
    }

    /// Built once for the kill, signal and lock tests (slagen data: a run takes about a second
    /// in a debug build). `seconds` is measured the way the victims run: a child over a copy of
    /// the old reports.
    nonisolated(unsafe) static var cached: KillSetup?
    static func killSetup() throws -> KillSetup {
        if let c = cached { return c }
        let dir = try CLI.scratch("kill")
        let a = try BigInput.make(dir, "inA", seed: 1, orders: 3000, tickets: 1000, weeks: 16)
        let b = try BigInput.make(dir, "inB", seed: 2, orders: 3000, tickets: 1000, weeks: 20)
        #expect(try CLI.run(["run", "--input", a.path, "--out", "base"], cwd: dir).status == 0)
        let oldTree = try CLI.published(dir.appendingPathComponent("base"))
        try CLI.copyTree(dir.appendingPathComponent("base"), dir.appendingPathComponent("ref"))
        let start = Date()
        let child = try Child(["run", "--input", b.path, "--out", "ref"], cwd: dir)
        #expect(child.wait() == 0)
        let seconds = Date().timeIntervalSince(start)
        let newTree = try CLI.published(dir.appendingPathComponent("ref"))
        #expect(oldTree != newTree)
        let s = KillSetup(dir: dir, newInput: b, oldTree: oldTree, newTree: newTree, seconds: seconds)
        cached = s
        return s
    }

    enum Seen: String { case old, new }

    /// Where in the run a signal is sent. Timing alone is unreliable on a busy CI machine, so
    /// the writing phases are found by watching the output folder.
    enum Point: CustomStringConvertible {
        /// This many seconds after the run took the output lock: it is reading its inputs.
        case reading(Double)
        /// Once the run's new generation folder shows up in `.gen/`, plus a few ms.
        case staging(Double)
        /// As soon as the first link for a week the old set lacks exists: the switch is under way.
        case switching
        var description: String {
            switch self {
            case .reading(let d): return String(format: "reading+%.0f ms", d * 1000)
            case .staging(let d): return String(format: "staging+%.0f ms", d * 1000)
            case .switching: return "switching"
            }
        }
    }

    /// Polls `dir` (not recursively) for an entry starting with `prefix`, up to `timeout` s.
    static func waitForEntry(_ dir: String, prefix: String, timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let d = opendir(dir) {
                var found = false
                while let e = readdir(d) {
                    let name = withUnsafePointer(to: e.pointee.d_name) {
                        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    if name.hasPrefix(prefix) {
                        found = true
                        break
                    }
                }
                closedir(d)
                if found { return true }
            }
        }
        return false
    }

    /// Runs the new input over a copy of the old reports, sends `signal` at `point`, then
    /// checks the folder as a reader sees it right away — the old set or the new one, never a
    /// mix, with no repair needed — and after the next run (one that stops at a missing input):
    /// the leftovers gone.
    func interrupt(
        _ s: KillSetup, signal: Int32, at point: Point, expectExit: Set<Int32>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Seen {
        let out = s.dir.appendingPathComponent("victim")
        try CLI.copyTree(s.base, out)
        let child = try Child(["run", "--input", s.newInput.path, "--out", "victim"], cwd: s.dir)
        switch point {
        case .reading(let d):
            let lock = out.appendingPathComponent(".lock")
            let end = Date().addingTimeInterval(30)
            while Date() < end, ((try? String(contentsOf: lock, encoding: .utf8)) ?? "") != "pid \(child.pid)" {
                usleep(500)
            }
            usleep(useconds_t(d * 1_000_000))
        case .staging(let d):
            _ = Self.waitForEntry(out.path + "/.gen", prefix: "2", timeout: 30)
            usleep(useconds_t(d * 1_000_000))
        case .switching:
            let newWeek = Set(s.newTree.keys.map { String($0.prefix { $0 != "/" }) })
                .subtracting(s.oldTree.keys.map { String($0.prefix { $0 != "/" }) }).sorted().first!
            _ = Self.waitForEntry(out.path, prefix: newWeek, timeout: 30)
        }
        child.signal(signal)
        let status = child.wait()
        #expect(
            expectExit.contains(status) || status == 0, "signal \(signal) \(point): exit \(status) \(child.stderr)",
            sourceLocation: sourceLocation)
        // Right away, before any later run: a reader sees one whole set (a link made for a week
        // of the new set, not yet live, leads nowhere and shows nothing).
        let raw = try CLI.published(out).filter { !$0.key.contains(".tmp-") && !$0.key.hasSuffix("!stray") }
        #expect(
            raw == s.oldTree || raw == s.newTree, "a mix right after signal \(signal) \(point)",
            sourceLocation: sourceLocation)
        // The next run removes the leftovers, even when it then fails.
        let next = try CLI.run(["run", "--tickets", "no-such-file.csv", "--out", "victim"], cwd: s.dir)
        #expect(next.status == 66, sourceLocation: sourceLocation)
        let after = try CLI.published(out)
        #expect(
            !after.keys.contains { $0.contains(".tmp-") || $0.hasSuffix("!stray") },
            "leftovers: \(after.keys.filter { $0.hasPrefix(".") })",
            sourceLocation: sourceLocation)
        let gens = try FileManager.default.contentsOfDirectory(atPath: out.path + "/.gen")
        #expect(gens.count <= 2, "generations left: \(gens)", sourceLocation: sourceLocation)
        #expect(after == raw, "the next run changes nothing a reader sees", sourceLocation: sourceLocation)
        return after == s.oldTree ? .old : .new
    }

    /// Case 35: kill -9 at several points of a run (reading, computing, writing the new
    /// generation, in the middle of the switch): right afterwards a reader sees the previous
    /// reports byte-identical or the new set complete, never a mix; the next run removes the
    /// leftovers. (Before generations, a kill among the renames left a mix until the next run.)
    @Test func case35_killNineAtSeveralPoints() throws {
        let s = try Self.killSetup()
        // Deterministic "random" delays.
        var rng: UInt64 = 0x5EED
        func next() -> Double {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(rng >> 11) / Double(1 << 53)
        }
        var points: [Point] = (0..<2).map { _ in .reading(next() * 0.1) }
        points += [.staging(0), .staging(next() * 0.01)]
        points += [.switching, .switching, .switching]
        var seen: [String] = []
        for p in points {
            let outcome = try interrupt(s, signal: SIGKILL, at: p, expectExit: [-SIGKILL])
            seen.append("\(p): \(outcome.rawValue)")
        }
        print("case 35 kill -9 (a run takes \(String(format: "%.2f", s.seconds)) s): \(seen)")
    }

    /// Case 35: SIGTERM and SIGINT exit 143 and 130 (or 0 when the run had finished); nothing
    /// half-published: the switch runs with the signals blocked, so a signal during it ends the
    /// run once the new set is published.
    @Test func case35_sigtermAndSigint() throws {
        let s = try Self.killSetup()
        var seen: [String] = []
        for (sig, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            for p in [Point.reading(0.02), .staging(0.005), .switching] {
                let outcome = try interrupt(s, signal: sig, at: p, expectExit: [code])
                if case .reading = p { #expect(outcome == .old, "\(sig) \(p)") }
                if case .switching = p { #expect(outcome == .new, "\(sig) \(p)") }
                seen.append("\(sig) \(p): \(outcome.rawValue)")
            }
        }
        print("case 35 SIGTERM/SIGINT: \(seen)")
    }

    // MARK: 38: two runs at once

    /// Case 38: a second run on the same output folder while the first holds the lock exits
    /// 75 naming the holder's pid; the first finishes normally; a killed holder blocks nothing.
    @Test func case38_concurrentRunsGet75() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        // The first run reads its tickets from a pipe we hold open: it keeps the lock (taken
        // before any input is read) until we close it, however fast or slow the machine.
        let first = try Child(["run", "--tickets", "-", "--out", "out"], cwd: dir, pipeStdin: true)
        let lock = dir.appendingPathComponent("out/.lock")
        var note = ""
        for _ in 0..<5000 where note != "pid \(first.pid)" {
            note = (try? String(contentsOf: lock, encoding: .utf8)) ?? ""
            usleep(1000)
        }
        #expect(note == "pid \(first.pid)")
        let second = try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir)
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("out/.lock") && second.stderr.contains("pid \(first.pid)"), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/index.html").path))
        first.stdin.fileHandleForWriting.write(Data(Fixture.tickets.utf8))
        try first.stdin.fileHandleForWriting.close()
        #expect(first.wait() == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/2026-W47/summary.json").path))

        // A holder killed with -9 leaves no stale lock (kernel lock).
        let third = try Child(["run", "--tickets", "-", "--out", "out"], cwd: dir, pipeStdin: true)
        for _ in 0..<5000 where ((try? String(contentsOf: lock, encoding: .utf8)) ?? "") != "pid \(third.pid)" {
            usleep(1000)
        }
        third.signal(SIGKILL)
        #expect(third.wait() == -SIGKILL)
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
    }

    // MARK: 34: input still being written

    /// Case 34: an input file that grows while it is read: exit 75 (try again later) naming
    /// it; the previous reports untouched. (SPEC is silent; the reader compares size and
    /// mtime at open and at end of input.)
    @Test func case34_inputGrowingWhileReadIs75() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
        let before = try CLI.published(dir.appendingPathComponent("out"))
        // A 16 MiB export still being written (reading it takes a while in a debug build).
        let logistics = "logistics-big.csv"
        let path = input.appendingPathComponent(logistics).path
        var text = "tracking_no,order_id,event,event_at,exception\n"
        for i in 0..<4000 { text += "SF\(i),O\(i),picked_up,2026-11-18 10:00:00,\n" }
        let block = Data(text.utf8.dropFirst(46))
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        while try h.offset() < 16 << 20 { try h.write(contentsOf: block) }
        try h.close()

        // The producer: appends a line every millisecond until told to stop.
        final class Flag: @unchecked Sendable {
            var stop = false
            let lock = NSLock()
        }
        let flag = Flag()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let fd = open(path, O_WRONLY | O_APPEND)
            let line = Array("SFX,OX,picked_up,2026-11-20 10:00:00,\n".utf8)
            while true {
                flag.lock.lock()
                let stop = flag.stop
                flag.lock.unlock()
                if stop { break }
                _ = line.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
                usleep(1000)
            }
            close(fd)
            done.signal()
        }
        usleep(20_000)
        let r = try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir)
        flag.lock.lock()
        flag.stop = true
        flag.lock.unlock()
        done.wait()
        #expect(r.status == 75, "\(r.stderr)")
        #expect(r.stderr.contains(logistics) && r.stderr.contains("changed while it was being read"), "\(r.stderr)")
        #expect(try CLI.published(dir.appendingPathComponent("out")) == before)
        // Once the file is complete, the next run goes through.
        #expect(try CLI.run(["run", "--input", input.path, "--out", "out"], cwd: dir).status == 0)
    }

    // MARK: 40: cron environment

    /// Case 40: under `env -i PATH=/usr/bin:/bin`, no terminal: the same reports as with a
    /// rich interactive-like environment, and nothing on stdout or stderr.
    @Test func case40_cronEnvironment() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["-i", "PATH=/usr/bin:/bin", CLI.binary, "run", "--input", input.path, "--out", "cron"]
        p.currentDirectoryURL = dir
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(String(decoding: e, as: UTF8.self))")
        #expect(o.isEmpty && e.isEmpty, "cron mails any output")

        let rich = try CLI.run(
            ["run", "--input", input.path, "--out", "rich"], cwd: dir,
            env: [
                "TZ": "America/New_York", "LANG": "zh_CN.UTF-8", "LC_ALL": "de_DE.UTF-8", "TERM": "xterm-256color",
                "HOME": dir.path, "NO_COLOR": "1", "COLUMNS": "40",
            ])
        #expect(rich.status == 0)
        #expect(try Bad.reports(dir, "cron") == (try Bad.reports(dir, "rich")))
    }
}
