import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite struct ReportsDeterminismTests {
    @Test func renderTwiceIsIdentical() {
        let (cfg, run, weeks, rejects) = ReportFixtures.demo(lang: .zh)
        let set = ReportSet(config: cfg, zone: ReportFixtures.zone, run: run)
        let a = set.render(weeks: weeks, rejects: rejects)
        let b = set.render(weeks: weeks, rejects: rejects)
        #expect(a.map(\.path) == b.map(\.path))
        for (x, y) in zip(a, b) { #expect(x.bytes == y.bytes, "\(x.path)") }
    }

    /// Writes the 12-week demo (en, zh) under $SLAREPORT_DEMO_DIR for screenshots.
    @Test func writeDemo() throws {
        guard let dir = ProcessInfo.processInfo.environment["SLAREPORT_DEMO_DIR"] else { return }
        for lang in ReportLanguage.allCases {
            let (cfg, run, weeks, rejects) = ReportFixtures.demo(lang: lang)
            let files = ReportSet(config: cfg, zone: ReportFixtures.zone, run: run).render(
                weeks: weeks, rejects: rejects)
            for f in files {
                let url = URL(fileURLWithPath: dir).appendingPathComponent(lang.rawValue).appendingPathComponent(f.path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.bytes).write(to: url)
            }
        }
    }
}
