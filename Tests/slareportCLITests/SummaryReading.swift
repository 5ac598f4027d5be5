import Foundation
import Testing

/// Reading the JSON a run wrote, for the end-to-end tests.
enum SummaryReading {
    /// A JSON object file under `dir` (e.g. "out/2026-W47/summary.json").
    static func object(_ dir: URL, _ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The `sla` entry of one policy.
    static func sla(_ s: [String: Any], _ policy: String) throws -> [String: Any] {
        let list = try #require(s["sla"] as? [[String: Any]])
        return try #require(list.first { $0["policy"] as? String == policy }, "no sla entry for \(policy)")
    }

    /// met, breached, pending, eligible of an `sla` entry.
    static func counts(_ e: [String: Any]) -> [Int?] {
        ["met", "breached", "pending", "eligible"].map { (e[$0] as? NSNumber)?.intValue }
    }
}
