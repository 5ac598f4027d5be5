import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Agent review by hand: resolved count, median handling time (created → resolved), low scores
/// (1–2) and the month's flag for more than `[agents] low_score_flag` (3) of them. UTC, November
/// 2026; every ticket created in W46 (Nov 9–15).
@Suite("Metrics: agent review")
struct AgentReviewTests {
    static func nov(_ d: Int, _ h: Int, _ m: Int = 0) -> Int64 { MetricsFixture.nov(d, h, m) }

    /// X: handling 1, 2, 3, 4 h; scores 1, 2, 1, 2 (4 low); X5 resolved before it was created
    /// (not resolved, no time) with score 5. Y: handling 1, 2, 10 h; scores 1, 1, 2 (3 low: not
    /// more than 3). Z: one open ticket with score 3.
    static func fixture() -> MetricsFixture {
        var f = MetricsFixture.empty()
        for (i, (hours, score)) in [(1, 1), (2, 2), (3, 1), (4, 2)].enumerated() {
            f.ticket("X\(i + 1)", .inquiry, nov(10, 8), agent: "X", resolved: nov(10, 8 + hours), score: UInt8(score))
        }
        f.ticket("X5", .inquiry, nov(10, 8), agent: "X", resolved: nov(10, 7), score: 5)
        for (i, (hours, score)) in [(10, 1), (1, 1), (2, 2)].enumerated() {
            f.ticket("Y\(i + 1)", .inquiry, nov(11, 8), agent: "Y", resolved: nov(11, 8 + hours), score: UInt8(score))
        }
        f.ticket("Z1", .inquiry, nov(12, 8), agent: "Z", score: 3)
        return f
    }

    @Test func weekCounts() {
        let f = Self.fixture()
        let w = f.engine().compute(orders: [], tickets: f.tickets, logistics: [])[0]
        let a = Dictionary(uniqueKeysWithValues: w.agents.map { ($0.agent, $0) })
        // X: 4 resolved; median of 1, 2, 3, 4 = (2 + 3) / 2 = 2.5 h; 4 low scores.
        #expect(
            a["X"]!.tickets == 5 && a["X"]!.resolved == 4 && a["X"]!.handlingP50Hours == 2.5 && a["X"]!.lowScores == 4)
        // Y: median of 1, 2, 10 = 2 h; 3 low scores.
        #expect(a["Y"]!.resolved == 3 && a["Y"]!.handlingP50Hours == 2 && a["Y"]!.lowScores == 3)
        #expect(a["Z"]!.resolved == 0 && a["Z"]!.handlingP50Hours == nil && a["Z"]!.lowScores == 0)
        // Weeks carry no flag.
        #expect(w.agents.allSatisfy { $0.lowScoreFlagged == nil } && w.agentTable.flagged().isEmpty)
        #expect(!SummaryJSON.text(w).contains("low_score_flagged"))
    }

    @Test func monthFlagsMoreThanThree() {
        let f = Self.fixture()
        let m = f.engine(period: .month).compute(orders: [], tickets: f.tickets, logistics: [])[0]
        let a = Dictionary(uniqueKeysWithValues: m.agents.map { ($0.agent, $0) })
        // X 4 > 3: flagged; Y 3 = 3: not; Z 0.
        #expect(a["X"]!.lowScoreFlagged == true && a["Y"]!.lowScoreFlagged == false && a["Z"]!.lowScoreFlagged == false)
        #expect(m.agentTable.flagged().map(\.name) == ["X"])
        #expect(SummaryJSON.text(m).contains("\"low_scores\": 4,\n      \"low_score_flagged\": true"))
        let csv = String(
            decoding: CSVReports(zone: .utc, policies: ["first_response"], bom: false).agents(m), as: UTF8.self)
        #expect(csv.contains("\r\nX,5,"))
        #expect(csv.contains(",4,2.5,4,true\r\n") && csv.contains(",3,2,3,false\r\n"))
        // A lower threshold flags Y too, most low scores first.
        var config = f.config
        config.agentLowScoreFlag = 2
        let m2 = f.engine(config: config, period: .month).compute(orders: [], tickets: f.tickets, logistics: [])[0]
        #expect(m2.agentTable.flagged().map(\.name) == ["X", "Y"])
        #expect(
            FlaggedText.line(m2.agentTable, Localization(.en, period: .month))
                == "Agents with more than 2 low scores this month: X (4), Y (3)")
    }

    /// Split into shards, the medians are the same (cohort numbers are renumbered on merge).
    @Test func shardsMergeHandlingTimes() {
        let f = Self.fixture()
        var e = f.engine()
        e.parallelism = 3
        let w = e.compute(orders: [], tickets: f.tickets, logistics: [])[0]
        let one = f.engine().compute(orders: [], tickets: f.tickets, logistics: [])[0]
        #expect(w.agents == one.agents)
    }
}
