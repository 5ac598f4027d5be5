import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Repeat contacts (二次申诉), every edge case of the rule by hand. UTC; window 7 d = 168 h
/// unless said. Weeks: W44 = Oct 26–Nov 1, W45 = Nov 2–8, W46 = Nov 9–15.
@Suite("Metrics: repeat contacts")
struct RepeatContactsTests {
    static func nov(_ d: Int, _ h: Int, _ m: Int = 0) -> Int64 { MetricsFixture.nov(d, h, m) }

    /// Order O1: A resolved Nov 2 10:00; B created exactly 7 d later (the edge: a repeat, 168 h);
    /// C created one minute after that, while B is still open (B resolves after C was created,
    /// A is 7 d 1 min back): not a repeat.
    /// Order O2: D open Nov 10 09:00 → 12 09:00; E created Nov 11 09:00 while D is open (not a
    /// repeat), resolved Nov 11 12:00; F created Nov 12 10:00: E and D both resolved before, the
    /// latest (D, 1 h before) is its previous ticket.
    /// Order O3: G alone, resolved the instant it was created: never its own repeat.
    /// Order O4: H2 and H1 resolved at the same instant (Nov 14 10:00), I created Nov 15 10:00
    /// (24 h later): the tie goes to the smaller ticket_id, H1, though H2 comes first in the rows.
    /// J has no order_id: never a repeat, even right after another ticket.
    static func fixture() -> MetricsFixture {
        var f = MetricsFixture.empty()
        f.ticket("A", .inquiry, nov(1, 10), agent: "X", order: "O1", resolved: nov(2, 10))
        f.ticket("B", .inquiry, nov(9, 10), category: "late", agent: "Y", order: "O1", resolved: nov(10, 10))
        f.ticket("C", .inquiry, nov(9, 10, 1), agent: "Y", order: "O1")
        f.ticket("D", .inquiry, nov(10, 9), agent: "X", order: "O2", resolved: nov(12, 9))
        f.ticket("E", .inquiry, nov(11, 9), agent: "X", order: "O2", resolved: nov(11, 12))
        f.ticket("F", .refund, nov(12, 10), category: "damaged", agent: "Z", order: "O2")
        f.ticket("G", .inquiry, nov(13, 8), order: "O3", resolved: nov(13, 8))
        f.ticket("H2", .inquiry, nov(14, 9), order: "O4", resolved: nov(14, 10))
        f.ticket("H1", .inquiry, nov(14, 8), order: "O4", resolved: nov(14, 10))
        f.ticket("I", .inquiry, nov(15, 10), order: "O4")
        f.ticket("J", .inquiry, nov(12, 11))
        return f
    }

    @Test func edgeCasesByHand() throws {
        let f = Self.fixture()
        let weeks = f.engine().compute(orders: [], tickets: f.tickets, logistics: [])
        #expect(weeks.map(\.week) == ["2026-W44", "2026-W45", "2026-W46"])
        let w46 = weeks[2]
        // Created in W46: B C D E F G H2 H1 I J = 10; repeats B, F, I = 3 → share 0.3.
        #expect(w46.ticketsCreated == 10)
        #expect(
            w46.repeatContacts.count == 3 && w46.repeatContacts.share == 0.3 && w46.repeatContacts.windowHours == 168)
        #expect(w46.repeatRecords.map(\.ticketID) == ["B", "F", "I"])
        #expect(w46.repeatRecords.map(\.previousTicketID) == ["A", "D", "H1"])
        #expect(w46.repeatRecords.map(\.hoursSince) == [168, 1, 24])
        let b = w46.repeatRecords[0]
        #expect(
            b.orderID == "O1" && b.agent == "Y" && b.category == "late" && b.createdAt == Self.nov(9, 10)
                && b.previousResolvedAt == Self.nov(2, 10))
        // A (W44) has nothing before it; W45 has no ticket at all.
        #expect(weeks[0].repeatContacts.count == 0 && weeks[0].repeatContacts.share == 0)
        #expect(weeks[1].repeatContacts.count == 0 && weeks[1].repeatContacts.share == nil)
    }

    @Test func windowFromConfig() {
        let f = Self.fixture()
        var config = f.config
        config.repeatWindowSeconds = 2 * 86_400
        let w46 = f.engine(config: config).compute(orders: [], tickets: f.tickets, logistics: [])[2]
        // 48 h: B (168 h) drops out; F (1 h) and I (24 h) stay.
        #expect(w46.repeatRecords.map(\.ticketID) == ["F", "I"] && w46.repeatContacts.windowHours == 48)
        // One second short of B's 168 h: B is out too (the edge is inclusive, not rounded).
        config.repeatWindowSeconds = 7 * 86_400 - 1
        let edge = f.engine(config: config).compute(orders: [], tickets: f.tickets, logistics: [])[2]
        #expect(edge.repeatRecords.map(\.ticketID) == ["F", "I"])
    }

    @Test func monthCountsByCreation() {
        let f = Self.fixture()
        let months = f.engine(period: .month).compute(orders: [], tickets: f.tickets, logistics: [])
        // All of November: 11 tickets, the same 3 repeats.
        #expect(months.map(\.week) == ["2026-11"])
        #expect(months[0].repeatContacts.count == 3 && months[0].ticketsCreated == 11)
    }

    @Test func csvRows() {
        let f = Self.fixture()
        let w46 = f.engine().compute(orders: [], tickets: f.tickets, logistics: [])[2]
        let csv = String(decoding: CSVReports(zone: .utc, policies: [], bom: false).repeatContacts(w46), as: UTF8.self)
        #expect(
            csv
                == "ticket_id,order_id,created_at,previous_ticket_id,previous_resolved_at,hours_since,agent,category\r\n"
                + "B,O1,2026-11-09T10:00:00+00:00,A,2026-11-02T10:00:00+00:00,168,Y,late\r\n"
                + "F,O2,2026-11-12T10:00:00+00:00,D,2026-11-12T09:00:00+00:00,1,Z,damaged\r\n"
                + "I,O4,2026-11-15T10:00:00+00:00,H1,2026-11-14T10:00:00+00:00,24,,\r\n")
    }
}
