import Foundation

/// What was written and what was injected, collected from the writer threads and printed as
/// `slagen-manifest.txt`: plain `key = value` lines in a fixed order, for tests to read.
final class Manifest: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: [String]] = [:]
    private var counts: [String: Int] = [:]
    private var facts: [String: String] = [:]

    func file(_ out: OutputFile, table: String, rows: Int, details: [String]) {
        lock.lock(); defer { lock.unlock() }
        let gz = out.gzip ? "gzip members=\(out.members)" : "none"
        files[out.name] = ["table=\(table)", "data_rows=\(rows)", "compression=\(gz)", "bytes=\(out.bytesWritten)"] + details
    }

    func add(_ key: String, _ n: Int) {
        guard n != 0 else { return }
        lock.lock(); defer { lock.unlock() }
        counts[key, default: 0] += n
    }

    func fact(_ key: String, _ value: String) {
        lock.lock(); defer { lock.unlock() }
        facts[key] = value
    }

    func render(command: String) -> String {
        lock.lock(); defer { lock.unlock() }
        var s = "# slagen manifest: files written and rows injected (deterministic for the command below)\n"
        s += "command = \(command)\n\n"
        for name in files.keys.sorted() {
            s += "[file \(name)]\n"
            for d in files[name]! { s += d.replacingOccurrences(of: "=", with: " = ", options: [], range: d.range(of: "=")) + "\n" }
            s += "\n"
        }
        s += "[facts]\n"
        for k in facts.keys.sorted() { s += "\(k) = \(facts[k]!)\n" }
        s += "\n[counts]\n"
        for k in counts.keys.sorted() { s += "\(k) = \(counts[k]!)\n" }
        return s
    }
}
