import Foundation
import SLAFast

/// What was written and what was injected, collected from the writer threads and printed as
/// `slagen-manifest.txt`: plain `key = value` lines in a fixed order, for tests to read.
final class Manifest: Sendable {
    private struct State {
        var files: [String: [String]] = [:]
        var counts: [String: Int] = [:]
        var facts: [String: String] = [:]
    }
    private let state = Locked(State())

    func file(_ out: OutputFile, table: String, rows: Int, details: [String]) {
        let gz = out.gzip ? "gzip members=\(out.members)" : "none"
        let lines = ["table=\(table)", "data_rows=\(rows)", "compression=\(gz)", "bytes=\(out.bytesWritten)"] + details
        state.withLock { $0.files[out.name] = lines }
    }

    func add(_ key: String, _ n: Int) {
        guard n != 0 else { return }
        state.withLock { $0.counts[key, default: 0] += n }
    }

    func fact(_ key: String, _ value: String) {
        state.withLock { $0.facts[key] = value }
    }

    func render(command: String) -> String {
        let (files, facts, counts) = state.withLock { ($0.files, $0.facts, $0.counts) }
        var s = "# slagen manifest: files written and rows injected (deterministic for the command below)\n"
        s += "command = \(command)\n\n"
        for name in files.keys.sorted() {
            s += "[file \(name)]\n"
            for d in files[name]! {
                s += d.replacingOccurrences(of: "=", with: " = ", options: [], range: d.range(of: "=")) + "\n"
            }
            s += "\n"
        }
        s += "[facts]\n"
        for k in facts.keys.sorted() { s += "\(k) = \(facts[k]!)\n" }
        s += "\n[counts]\n"
        for k in counts.keys.sorted() { s += "\(k) = \(counts[k]!)\n" }
        return s
    }
}
