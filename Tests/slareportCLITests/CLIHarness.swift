import Foundation

/// Runs the built `slareport` binary in a scratch folder (end-to-end tests).
enum CLI {
    /// The package root (this file is Tests/slareportCLITests/CLIHarness.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary: $SLAREPORT_BIN, else next to the test bundle, else .build/debug.
    static let binary: String = {
        if let b = ProcessInfo.processInfo.environment["SLAREPORT_BIN"] { return b }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")] {
            let p = dir.appendingPathComponent("slareport").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return packageRoot.appendingPathComponent(".build/debug/slareport").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs slareport with `args` in `cwd`, with a minimal cron-like environment.
    @discardableResult
    static func run(_ args: [String], cwd: URL, env: [String: String] = [:], stdin: Data? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = cwd
        var environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"]
        // Under scripts/test-sanitized the child is instrumented too: it needs the same
        // sanitizer options (leak suppressions for TOMLKit) or it exits 1 at exit.
        for k in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"] {
            if let v = ProcessInfo.processInfo.environment[k] { environment[k] = v }
        }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let inPipe = Pipe()
        p.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        if let d = stdin {
            inPipe.fileHandleForWriting.write(d)
            try inPipe.fileHandleForWriting.close()
        }
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        final class Sink: @unchecked Sendable { var data = Data() }
        let outSink = Sink()
        let g = DispatchGroup()
        g.enter()
        let outHandle = out.fileHandleForReading
        DispatchQueue.global().async {
            outSink.data = outHandle.readDataToEndOfFile()
            g.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        g.wait()
        let outData = outSink.data
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh scratch folder.
    static func scratch(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let u = FileManager.default.temporaryDirectory.appendingPathComponent(
            "slareport-cli-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The week folder `latest` leads to in the output folder `root`.
    static func latestWeek(_ root: URL) -> String {
        root.appendingPathComponent("latest").resolvingSymlinksInPath().lastPathComponent
    }

    /// What a reader of the output folder `root` sees (relative path → bytes; a link inside a
    /// report set as "-> target"): the published generation's files by their reader paths, plus
    /// any other top-level entry as it is (`.slareport`, `.lock`, temporary files, `zh/`,
    /// `failed-run/` …; the hidden folder behind `failed-run` by that name). Every top-level name of the generation must be a link to `.current/<name>`
    /// (a missing or stray link is reported as "!missing" or "!stray").
    static func tree(_ root: URL, skipping: Set<String> = []) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        func walk(_ dir: URL, _ prefix: String) throws {
            guard let e = fm.enumerator(atPath: dir.path) else { return }
            while let rel = e.nextObject() as? String {
                let key = prefix + rel
                if skipping.contains(key) { continue }
                let full = dir.appendingPathComponent(rel).path
                if let dest = try? fm.destinationOfSymbolicLink(atPath: full) {
                    out[key] = Data(("-> " + dest).utf8)
                    continue
                }
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                    out[key] = try Data(contentsOf: URL(fileURLWithPath: full))
                }
            }
        }
        let current = try? fm.destinationOfSymbolicLink(atPath: root.appendingPathComponent(".current").path)
        var published: Set<String> = []
        if let current {
            let gen = root.appendingPathComponent(current)
            published = Set(try fm.contentsOfDirectory(atPath: gen.path))
            try walk(gen, "")
        }
        for name in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
            if name == ".gen" || name == ".current" || name.hasPrefix(".failed-") || skipping.contains(name) {
                continue
            }
            let full = root.appendingPathComponent(name)
            let dest = try? fm.destinationOfSymbolicLink(atPath: full.path)
            if current != nil, dest == ".current/" + name {
                if !published.contains(name) { out[name + "!stray"] = Data() }
                continue
            }
            var isDir: ObjCBool = false
            if let dest, dest.hasPrefix(".failed-") {
                try walk(root.appendingPathComponent(dest), name + "/")  // failed-run
            } else if let dest {
                out[name] = Data(("-> " + dest).utf8)
            } else if fm.fileExists(atPath: full.path, isDirectory: &isDir), isDir.boolValue {
                try walk(full, name + "/")
            } else {
                out[name] = try Data(contentsOf: full)
            }
        }
        for name in published
        where (try? fm.destinationOfSymbolicLink(atPath: root.appendingPathComponent(name).path)) != ".current/" + name
        {
            out[name + "!missing"] = Data()
        }
        return out
    }
}

/// A small, hand-checkable input set.
enum Fixture {
    static let orders = """
        order_id,ordered_at,merchant_id,product_id,category,amount,updated_at
        O1,2026-11-16 10:00:00,M1,P1,手机,199.00,2026-11-16 10:00:00
        O2,2026-11-17 11:00:00,M1,P2,家电,50,2026-11-17 11:00:00
        O3,2026-11-18 12:00:00,M2,P3,服装,20.5,2026-11-18 12:00:00

        """
    static let tickets = """
        ticket_id,order_id,created_at,channel,agent,type,category,priority,first_response_at,resolved_at,satisfaction,surveyed_at
        T1,O1,2026-11-16 10:00:00,电话,A01,complaint,物流延迟,normal,2026-11-16 10:30:00,2026-11-16 12:00:00,5,2026-11-17 09:00:00
        T2,O2,2026-11-17 09:00:00,APP,A02,投诉,商品破损,紧急,2026-11-17 15:00:00,,,
        T3,O3,2026-11-18 09:00:00,APP,A01,inquiry,,,2026-11-20 09:00:00,2026-11-20 10:00:00,2,2026-11-20 11:00:00

        """
    static let logistics = """
        tracking_no,order_id,event,event_at,exception
        SF1,O1,picked_up,2026-11-16 12:00:00,
        SF1,O1,delivered,2026-11-17 12:00:00,
        SF2,O2,揽收,2026-11-17 12:00:00,
        SF2,O2,exception,2026-11-19 12:00:00,damaged

        """

    static func make(in dir: URL) throws -> URL {
        let input = dir.appendingPathComponent("in")
        try CLI.write(orders, to: input.appendingPathComponent("orders.csv"))
        try CLI.write(tickets, to: input.appendingPathComponent("tickets.csv"))
        try CLI.write(logistics, to: input.appendingPathComponent("logistics.csv"))
        return input
    }
}
