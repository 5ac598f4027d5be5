import Foundation
import SLAReportFuzzSupport
import Testing

/// Inputs the config fuzzer found (`FUZZ_TARGET=config scripts/fuzz`): each must load or be a
/// config error, never crash. Minimised forms of the TOMLKit assertions it found are in
/// `ConfigErrorTests`.
@Suite struct ConfigFuzzCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../ConfigFuzzCorpus").standardized

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func corpusIsThere() { #expect(!Self.inputs.isEmpty) }

    @Test(arguments: inputs)
    func loadsOrFailsCleanly(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let outcome = data.withUnsafeBytes { ConfigFuzzHarness.run($0) }
        #expect(outcome.hasPrefix("ok:") || outcome.hasPrefix("78:"), "\(outcome)")
    }
}
