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

/// Large files written through a `ByteSink` (a period with very many agents or breaches) have the
/// same bytes as the files rendered whole, and the compact agent table reads back as summaries.
@Suite struct ReportsStreamingTests {
    final class MemorySink: ByteSink, @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [[UInt8]] = []
        func write(_ bytes: [UInt8]) {
            lock.lock()
            parts.append(bytes)
            lock.unlock()
        }
        var bytes: [UInt8] { parts.flatMap { $0 } }
    }

    final class Sinks: @unchecked Sendable {
        private let lock = NSLock()
        var byPath: [String: MemorySink] = [:]
        func sink(_ path: String) -> ByteSink? {
            lock.lock()
            defer { lock.unlock() }
            let s = MemorySink()
            byPath[path] = s
            return s
        }
    }

    /// Two agents and the unassigned row as counters: tickets, responses, score sum, satisfied,
    /// then met and breached of first_response and repair_fault_confirm, then resolved and low
    /// scores; and the median handling hours.
    static func table() -> AgentTable {
        AgentTable(
            policies: ["first_response", "repair_fault_confirm"], names: ["A1", "B2", AgentTable.unassigned],
            values: [
                3, 2, 9, 1, /* fr */ 2, 1, /* rfc */ 0, 0, /* resolved, low */ 2, 0,
                1, 0, 0, 0, /* fr */ 0, 1, /* rfc */ 1, 0, /* resolved, low */ 0, 0,
                2, 0, 0, 0, /* fr */ 0, 0, /* rfc */ 0, 0, /* resolved, low */ 1, 0,
            ],
            handlingP50: [5.5, .nan, 30])
    }

    @Test func compactRowsReadAsSummaries() {
        let t = Self.table()
        let a1 = t[0]
        #expect(a1.agent == "A1" && a1.tickets == 3 && a1.responses == 2)
        #expect(a1.mean == 4.5 && a1.csat == 0.5)  // scores 9 / 2 responses; 1 of 2 satisfied
        #expect(a1.sla.map(\.policy) == ["first_response", "repair_fault_confirm"])
        #expect(a1.sla[0].met == 2 && a1.sla[0].breached == 1 && a1.sla[0].attainment == 2.0 / 3.0)
        #expect(a1.sla[1].attainment == nil)
        #expect(t[2].agent == "(unassigned)" && t[2].tickets == 2 && t[2].mean == nil)
        #expect(a1.resolved == 2 && a1.handlingP50Hours == 5.5 && a1.lowScores == 0 && a1.lowScoreFlagged == nil)
        #expect(t[1].resolved == 0 && t[1].handlingP50Hours == nil)
        // Worst first: B2 1 of 2 (50 %), A1 2 of 3 (67 %), the unassigned row without results last.
        #expect(t.worstFirst() == [1, 0, 2])
        #expect(AgentTable(t.summaries) == t)
    }

    /// 20,000 agents make files of several megabytes, handed to the sink a megabyte at a time.
    static func many() -> AgentTable {
        let n = 20_000
        let values = (0..<n).flatMap { i -> [Int32] in
            let i = Int32(i)
            return [1 + i % 3, i % 2, 5 * (i % 2), i % 2, i % 5, i % 3, i % 7, 0, i % 2, 0]
        }
        return AgentTable(
            policies: ["first_response", "repair_fault_confirm"],
            names: (0..<n).map { "agent-\(100_000 + $0)" }, values: values,
            handlingP50: (0..<n).map { $0 % 2 == 1 ? Double($0 % 48) : .nan })
    }

    @Test(arguments: [false, true]) func streamedFilesEqualWholeFiles(many: Bool) {
        var w = ReportFixtures.small()
        w.agentTable = many ? Self.many() : Self.table()
        var set = ReportSet(config: ReportFixtures.config(), zone: ReportFixtures.zone, run: ReportFixtures.run)
        let whole = set.folders([w], 0..<1, kind: .week)
        set.streamAgentsAbove = 0
        set.streamBreachesAbove = 0
        let sinks = Sinks()
        let rest = set.folders([w], 0..<1, kind: .week, stream: { sinks.sink($0) })
        let streamed = ["2026-W47/summary.json", "2026-W47/agents.csv", "2026-W47/sla_breaches.csv"]
        #expect(Set(sinks.byPath.keys) == Set(streamed))
        #expect(rest.map(\.path) == whole.map(\.path).filter { !streamed.contains($0) })
        for f in whole {
            let bytes = sinks.byPath[f.path]?.bytes ?? rest.first { $0.path == f.path }!.bytes
            #expect(bytes == f.bytes, "\(f.path)")
        }
        let json = String(decoding: whole.first { $0.path == "2026-W47/summary.json" }!.bytes, as: UTF8.self)
        #expect(json.contains(many ? "\"agent\": \"agent-119999\"" : "\"agent\": \"(unassigned)\""))
    }
}
