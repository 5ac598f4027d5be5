import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers for the bad-input and fault tests: generated ticket files, reading the outputs back
/// (summary.json, run.json, rejects.csv), gzip and GB18030 encodings, and a child run measured
/// with wait4 (peak RSS).
enum Bad {
    static let ticketHeader =
        "ticket_id,order_id,created_at,channel,agent,type,category,priority,first_response_at,resolved_at,satisfaction,surveyed_at"

    /// `n` good ticket rows, all created in 2026-W47 (Mon 16 – Sun 22 Nov 2026), ids T001….
    static func ticketRows(_ n: Int, from first: Int = 1) -> [String] {
        (first..<(first + n)).map { i in
            let day = 16 + i % 7
            let min = String(format: "%02d", i % 60)
            let type = ["inquiry", "complaint", "repair", "refund"][i % 4]
            return
                "T\(String(format: "%03d", i)),O\(i),2026-11-\(day) 10:\(min):00,APP,A0\(i % 3),\(type),cat\(i % 5),normal,"
                + "2026-11-\(day) 11:\(min):00,2026-11-\(day) 15:00:00,\(1 + i % 5),2026-11-\(day) 18:00:00"
        }
    }

    /// A tickets file: header, `n` good rows, each line ending in `nl`.
    static func tickets(_ n: Int = 40, nl: String = "\n", extra: [String] = []) -> String {
        ([ticketHeader] + ticketRows(n) + extra).map { $0 + nl }.joined()
    }

    static let out = "out"

    /// The output tree minus run.json (timings, input sizes/hashes) and the lock file.
    static func reports(_ dir: URL, _ out: String = Bad.out) throws -> [String: Data] {
        try CLI.tree(dir.appendingPathComponent(out), skipping: ["run.json", ".lock"])
    }

    /// The whole output tree but the lock file.
    static func everything(_ dir: URL, _ out: String = Bad.out) throws -> [String: Data] {
        try CLI.tree(dir.appendingPathComponent(out), skipping: [".lock"])
    }

    static func json(_ url: URL) throws -> [String: Any] {
        let d = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: d) as? [String: Any])
    }

    static func summary(_ dir: URL, _ week: String = "2026-W47", out: String = Bad.out) throws -> [String: Any] {
        try json(dir.appendingPathComponent("\(out)/\(week)/summary.json"))
    }

    static func runJSON(_ dir: URL, out: String = Bad.out) throws -> [String: Any] {
        try json(dir.appendingPathComponent("\(out)/run.json"))
    }

    /// A number inside nested objects: `int(s, "tickets", "created")`.
    static func int(_ o: [String: Any], _ keys: String...) -> Int? {
        var cur: Any = o
        for k in keys {
            guard let d = cur as? [String: Any], let v = d[k] else { return nil }
            cur = v
        }
        return (cur as? NSNumber)?.intValue
    }

    /// run.json's table totals: `table(run, "tickets")["rows_read"]`.
    static func table(_ run: [String: Any], _ t: String) -> [String: Any] {
        ((run["tables"] as? [String: Any])?[t] as? [String: Any]) ?? [:]
    }

    static func inputs(_ run: [String: Any]) -> [[String: Any]] { run["inputs"] as? [[String: Any]] ?? [] }

    struct RejectRow: CustomStringConvertible {
        var file: String
        var line: Int
        var table: String
        var kind: String
        var reason: String
        var raw: String
        var description: String { "\(file):\(line) \(table) \(kind) \(reason) [\(raw)]" }
    }

    /// rejects.csv, parsed (RFC 4180, BOM stripped).
    static func rejects(_ dir: URL, out: String = Bad.out) throws -> [RejectRow] {
        var text = try String(contentsOf: dir.appendingPathComponent("\(out)/rejects.csv"), encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let rows = parseCSV(text)
        #expect(rows.first == ["file", "line", "table", "kind", "reason", "raw"])
        return rows.dropFirst().map { r in
            RejectRow(file: r[0], line: Int(r[1]) ?? -1, table: r[2], kind: r[3], reason: r[4], raw: r[5])
        }
    }

    static func parseCSV(_ s: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var it = Array(s.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" {
                        field.unicodeScalars.append("\"")
                        it.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" || c == "\n" {
                if c == "\r" && it.first == "\n" { it.removeFirst() }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// gzip -c of `data` with the system gzip (the format real exports come in).
    static func gzip(_ data: Data) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c", "-n"]
        let inPipe = Pipe()
        let outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        try p.run()
        final class Sink: @unchecked Sendable { var data = Data() }
        let sink = Sink()
        let g = DispatchGroup()
        g.enter()
        let h = outPipe.fileHandleForReading
        DispatchQueue.global().async {
            sink.data = h.readDataToEndOfFile()
            g.leave()
        }
        inPipe.fileHandleForWriting.write(data)
        try inPipe.fileHandleForWriting.close()
        g.wait()
        p.waitUntilExit()
        return sink.data
    }

    /// UTF-8 text re-encoded as GB18030 with iconv (a Chinese Excel export).
    static func gb18030(_ s: String) -> Data {
        let cd = iconv_open("GB18030", "UTF-8")!
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var out = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let written: Int = input.withUnsafeMutableBytes { i in
            out.withUnsafeMutableBytes { o in
                var ip: UnsafeMutablePointer<CChar>? = i.baseAddress?.assumingMemoryBound(to: CChar.self)
                var il = i.count
                var op: UnsafeMutablePointer<CChar>? = o.baseAddress?.assumingMemoryBound(to: CChar.self)
                var ol = o.count
                precondition(iconv(cd, &ip, &il, &op, &ol) != -1)
                return o.count - ol
            }
        }
        return Data(out.prefix(written))
    }

    static func write(_ data: Data, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    struct Measured {
        var status: Int32
        var maxRSSKiB: Int
        var exact: Bool
        var stderr: String
        var seconds: Double
    }

    /// Runs slareport and measures its peak RSS.
    ///
    /// Not with wait4 on a child of the test process: posix_spawn starts the child in the
    /// parent's address space (vfork), and exec folds that space's high-water mark — the whole
    /// test process, other suites' data included — into the child's ru_maxrss. So a small
    /// process, /usr/bin/time, starts slareport and reports its own child's peak. Without
    /// /usr/bin/time, the wait4 figure (an upper bound) is returned and `exact` is false.
    static func runMeasured(_ args: [String], cwd: URL) throws -> Measured {
        let errPath = cwd.appendingPathComponent("stderr-\(UUID().uuidString).txt").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // sh changes folder and execs slareport, so the rusage is slareport's own.
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let timeBin = "/usr/bin/time"
        let exact = FileManager.default.isExecutableFile(atPath: timeBin)
        let rssPath = cwd.appendingPathComponent("rss-\(UUID().uuidString).txt").path
        let prefix = exact ? [timeBin, "-f", "%M", "-o", rssPath] : []
        let script = "cd \(quote(cwd.path)) && exec " + (prefix + [CLI.binary] + args).map(quote).joined(separator: " ")
        let argStrings: [String] = ["/bin/sh", "-c", script]
        let envStrings: [String] = ["PATH=/usr/bin:/bin", "HOME=/nonexistent"]
        let argv: [UnsafeMutablePointer<CChar>?] = argStrings.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(start)
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        unlink(errPath)
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
        var rss = Int(usage.ru_maxrss)
        if exact {
            // GNU time writes "Command exited with non-zero status N" first when it fails.
            let text = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
            rss = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? rss
            unlink(rssPath)
        }
        return Measured(status: exit, maxRSSKiB: rss, exact: exact, stderr: err, seconds: seconds)
    }
}
