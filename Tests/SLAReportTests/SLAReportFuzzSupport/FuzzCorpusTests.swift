import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReport
import SLAReportFuzzSupport
import SLAReports
import Testing

/// The fuzzer's regression corpus (Tests/FuzzCorpus: inputs that once crashed, hung or grew
/// memory, plus coverage-rich ones) and its seeds (fuzz/seeds), run through the same harness as
/// `slareport-fuzz` (see scripts/fuzz). Each must complete, and give the same records, rejects
/// and errors whether the reader gets its bytes whole or 1 or 7 at a time.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let files: [String] = ["Tests/FuzzCorpus", "fuzz/seeds"].flatMap { dir -> [String] in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { "\(dir)/\($0)" }
    }

    @Test func corpusIsThere() {
        #expect(Self.files.count >= 30, "fuzz corpus not found under \(Self.root.path)")
    }

    @Test(arguments: files)
    func completesAndIgnoresChunking(_ file: String) throws {
        let data = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(file)))
        let diff = data.withUnsafeBytes { IngestFuzzHarness.chunkingMismatch($0) }
        #expect(diff == nil, "\(file): \(diff ?? "")")
        let (setup, payload) = data.withUnsafeBytes { IngestFuzzHarness.decode($0) }
        let whole = IngestFuzzHarness.read(payload, setup: setup, chunkSize: .max)
        // The fuzzer's own path (counts only) agrees with the collecting one.
        let fast = data.withUnsafeBytes { IngestFuzzHarness.run($0) }
        #expect(fast.records == whole.records && fast.error == whole.error, "\(file): fast path differs")
    }
}
