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
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh scratch folder.
    static func scratch(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-cli-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every regular file under `root` (relative path → bytes), symlinks as "-> target".
    static func tree(_ root: URL, skipping: Set<String> = []) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: root.path) else { return out }
        while let rel = e.nextObject() as? String {
            if skipping.contains(rel) { continue }
            let full = root.appendingPathComponent(rel).path
            if let dest = try? fm.destinationOfSymbolicLink(atPath: full) {
                out[rel] = Data(("-> " + dest).utf8)
                continue
            }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
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
