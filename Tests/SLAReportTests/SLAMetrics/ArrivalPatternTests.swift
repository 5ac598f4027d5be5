import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Arrivals by local weekday and hour, at the week's edges in a zone without DST today
/// (Asia/Shanghai, UTC+8 all year since 1991).
@Suite("Metrics: arrival pattern")
struct ArrivalPatternTests {
    static let shanghai = ZoneRules(identifier: "Asia/Shanghai")!

    /// Local Shanghai wall time → UTC (UTC+8).
    static func local(_ d: Int, _ h: Int, _ m: Int = 0) -> Int64 { utcTime(2026, 11, d, h, m) - 8 * 3600 }

    func fixture() -> MetricsFixture {
        var f = MetricsFixture.empty()
        // Mon 16 00:00 local = Sun 15 16:00 UTC: W47's first hour, not W46's last.
        f.ticket("A", .inquiry, Self.local(16, 0))
        // Wed 18 12:30 local.
        f.ticket("B", .inquiry, Self.local(18, 12, 30))
        // Sun 22 23:59 local = Sun 22 15:59 UTC: W47's last cell (Sunday 23–24).
        f.ticket("C", .inquiry, Self.local(22, 23, 59))
        // Mon 23 00:00 local: W48, Monday 00–01.
        f.ticket("D", .inquiry, Self.local(23, 0))
        return f
    }

    @Test func weekEdgesInLocalTime() {
        let f = fixture()
        let weeks = f.engine(zone: Self.shanghai).compute(orders: [], tickets: f.tickets, logistics: [])
        #expect(weeks.map(\.week) == ["2026-W47", "2026-W48"])
        let w47 = weeks[0].arrivals
        // Cells: Mon 00 = 0, Wed 12 = 2 × 24 + 12 = 60, Sun 23 = 6 × 24 + 23 = 167.
        #expect(w47[0] == 1 && w47[60] == 1 && w47[167] == 1)
        #expect(w47.reduce(0, +) == 3 && weeks[0].ticketsCreated == 3)
        #expect(weeks[1].arrivals[0] == 1 && weeks[1].arrivals.reduce(0, +) == 1)
        // In UTC the Sunday 23:59 ticket is Sunday 15:00–16:00 (6 × 24 + 15 = 159), and A is
        // W46's last hour (Sun 15 16:00 UTC = cell 160).
        let utc = f.engine().compute(orders: [], tickets: f.tickets, logistics: [])
        #expect(utc.map(\.week) == ["2026-W46", "2026-W47"])
        #expect(utc[0].arrivals[160] == 1 && utc[1].arrivals[159] == 1)
    }

    @Test func monthHoldsEveryWeekday() {
        let f = fixture()
        let months = f.engine(zone: Self.shanghai, period: .month).compute(
            orders: [], tickets: f.tickets, logistics: [])
        #expect(months.map(\.week) == ["2026-11"])
        // Monday 00–01 twice (A, D), Wednesday 12–13 once, Sunday 23–24 once.
        var want = Array(repeating: 0, count: 168)
        want[0] = 2
        want[60] = 1
        want[167] = 1
        #expect(months[0].arrivals == want)
    }

    @Test func summaryJSONHasSevenRowsOf24() throws {
        let f = fixture()
        let w = f.engine(zone: Self.shanghai).compute(orders: [], tickets: f.tickets, logistics: [])[0]
        let text = SummaryJSON.text(w)
        // Rows print on one line each, Monday first; Sunday's last hour is the last number.
        let zeros = Array(repeating: "0", count: 23)
        #expect(text.contains("\"by_weekday_hour\": [\n      [" + (["1"] + zeros).joined(separator: ", ") + "],"))
        #expect(text.contains("      [" + (zeros + ["1"]).joined(separator: ", ") + "]\n    ]"))
    }
}
