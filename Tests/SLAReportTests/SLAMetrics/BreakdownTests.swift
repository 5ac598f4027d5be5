import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// The ticket breakdowns of a small data set, worked out by hand, and the rule that a cut's
/// rows always add up to the period's totals.
///
/// Policies: first_response (24 h) and escalation (24 h from plan_rejected_at). top_n = 2.
/// UTC, as_of Wed 2026-11-25 12:00. W47 = Mon 16 … Sun 22 November, W48 = Mon 23 … Sun 29.
///
/// - T1 Mon 16 10:00 · APP · complaint/urgent · 破损 · M1 · response 11:00 (met) · score 5 surveyed Tue 17
/// - T2 Tue 17 10:00 · APP · inquiry/normal · (none) · no merchant, order O1 (merchant M2) ·
///   response Wed 18 12:00 (26 h, breached) · plan rejected Sun 22 20:00, never escalated
///   (open 64 h at as_of: breached, in W47) · score 2 surveyed Mon 23 (a W48 response)
/// - T3 Wed 18 09:00 · web · return/normal · 破损 · M1 · no response (open 171 h: breached)
/// - T4 Sat 21 10:00 · (none) · return/major · 物流 · M3 · response 12:00 (met) · plan rejected
///   Mon 23 09:00, escalated 10:00 (met, in W48) · score 4 surveyed Sun 22
/// - T5 Wed 25 10:00 · phone · inquiry/normal · (none) · M2 · no response (2 h: pending)
@Suite("Metrics: breakdowns")
struct BreakdownTests {
    static func data() -> MetricsFixture {
        var f = MetricsFixture.empty()
        f.config.policies = ["first_response", "escalation"].map { n in Config.defaultPolicies.first { $0.name == n }! }
        f.config.breakdowns.by = BreakdownDimension.ticketCuts
        f.config.breakdowns.topN = 2
        func nov(_ d: Int, _ h: Int) -> Int64 { MetricsFixture.nov(d, h) }
        f.order("O1", nov(15, 9), merchant: "M2", product: "P1")
        f.ticket(
            "T1", .complaint, nov(16, 10), priority: .urgent, category: "破损", channel: "APP", merchant: "M1",
            firstResponse: nov(16, 11), surveyed: nov(17, 9), score: 5)
        f.ticket(
            "T2", .inquiry, nov(17, 10), channel: "APP", order: "O1", firstResponse: nov(18, 12),
            planRejected: nov(22, 20), surveyed: nov(23, 10), score: 2)
        f.ticket("T3", .return, nov(18, 9), category: "破损", channel: "web", merchant: "M1")
        f.ticket(
            "T4", .return, nov(21, 10), priority: .major, category: "物流", merchant: "M3",
            firstResponse: nov(21, 12), planRejected: nov(23, 9), escalated: nov(23, 10), surveyed: nov(22, 9),
            score: 4)
        f.ticket("T5", .inquiry, nov(25, 10), channel: "phone", merchant: "M2")
        return f
    }

    /// A row: (met, breached, pending) of first_response and of escalation.
    func row(
        _ value: String, values: Int = 1, tickets: Int, fr: (Int, Int, Int), esc: (Int, Int, Int),
        responses: Int = 0, scoreSum: Int = 0, satisfied: Int = 0
    ) -> TicketBreakdownRow {
        var r = TicketBreakdownRow(value: value)
        r.values = values
        r.tickets = tickets
        var a = BreakdownPolicy(policy: "first_response")
        (a.met, a.breached, a.pending) = fr
        var b = BreakdownPolicy(policy: "escalation")
        (b.met, b.breached, b.pending) = esc
        r.sla = [a, b]
        r.responses = responses
        r.scoreSum = scoreSum
        r.satisfied = satisfied
        return r
    }

    func cut(_ s: WeeklySummary, _ d: BreakdownDimension) -> [TicketBreakdownRow] {
        s.breakdowns.tickets.first { $0.dimension == d }?.rows ?? []
    }

    @Test func weekByHand() throws {
        let f = Self.data()
        let weeks = f.compute()
        let w47 = try #require(weeks.first { $0.week == "2026-W47" })
        #expect(w47.breakdowns.topN == 2)
        #expect(w47.breakdowns.tickets.map(\.dimension) == BreakdownDimension.ticketCuts)
        // Channel: APP 2 (T1, T2); then 1 each: "(none)" (T4) before "web" (T3) by bytes ('(' < 'w');
        // top 2 → web folds into (other).
        #expect(
            cut(w47, .channel) == [
                row("APP", tickets: 2, fr: (1, 1, 0), esc: (0, 1, 0), responses: 1, scoreSum: 5, satisfied: 1),
                row("(none)", tickets: 1, fr: (1, 0, 0), esc: (0, 0, 0), responses: 1, scoreSum: 4, satisfied: 1),
                row("(other)", tickets: 1, fr: (0, 1, 0), esc: (0, 0, 0)),
            ])
        // Merchant: M1 2 (T1, T3); T2 has none and takes its order O1's, M2; M3 (T4) folds.
        #expect(
            cut(w47, .merchant) == [
                row("M1", tickets: 2, fr: (1, 1, 0), esc: (0, 0, 0), responses: 1, scoreSum: 5, satisfied: 1),
                row("M2", tickets: 1, fr: (0, 1, 0), esc: (0, 1, 0)),
                row("(other)", tickets: 1, fr: (1, 0, 0), esc: (0, 0, 0), responses: 1, scoreSum: 4, satisfied: 1),
            ])
        // Type: return 2 (T3, T4), complaint 1 (T1) before inquiry 1 (T2), which folds.
        #expect(cut(w47, .type).map(\.value) == ["return", "complaint", "(other)"])
        #expect(cut(w47, .type)[2] == row("(other)", tickets: 1, fr: (0, 1, 0), esc: (0, 1, 0)))
        // Priority: normal 2 (T2, T3), major 1 (T4) before urgent 1 (T1) by name.
        #expect(cut(w47, .priority).map(\.value) == ["normal", "major", "(other)"])
        // Category: 破损 2, "(none)" (T2) before "物流" (T4): '(' is byte 0x28, 物 starts 0xE7.
        #expect(cut(w47, .category).map(\.value) == ["破损", "(none)", "(other)"])
        #expect(cut(w47, .category)[1] == row("(none)", tickets: 1, fr: (0, 1, 0), esc: (0, 1, 0)))

        // W48: T5 created (pending); T4's escalation started Mon 23 (met); T2's score came Mon 23.
        // Rows with no ticket created in the week still carry those: phone 1, then "(none)" 0
        // before "APP" 0 ('(' < 'A'), APP folds.
        let w48 = try #require(weeks.first { $0.week == "2026-W48" })
        #expect(
            cut(w48, .channel) == [
                row("phone", tickets: 1, fr: (0, 0, 1), esc: (0, 0, 0)),
                row("(none)", tickets: 0, fr: (0, 0, 0), esc: (1, 0, 0)),
                row("(other)", tickets: 0, fr: (0, 0, 0), esc: (0, 0, 0), responses: 1, scoreSum: 2, satisfied: 0),
            ])
        let other = cut(w48, .channel)[2]
        #expect(other.mean == 2 && other.csat == 0)
    }

    @Test func monthByHand() throws {
        let f = Self.data()
        let months = f.engine().with(period: .month).compute(
            orders: f.orders, tickets: f.tickets, logistics: f.logistics)
        let nov = try #require(months.first { $0.week == "2026-11" })
        // All five tickets: APP 2; then 1 each: (none) T4, phone T5, web T3 → phone and web fold
        // (values 2): first_response T3 breached, T5 pending.
        #expect(
            cut(nov, .channel) == [
                row("APP", tickets: 2, fr: (1, 1, 0), esc: (0, 1, 0), responses: 2, scoreSum: 7, satisfied: 1),
                row("(none)", tickets: 1, fr: (1, 0, 0), esc: (1, 0, 0), responses: 1, scoreSum: 4, satisfied: 1),
                row("(other)", values: 2, tickets: 2, fr: (0, 1, 1), esc: (0, 0, 0)),
            ])
        // APP: mean (5 + 2) / 2 = 3.5, csat 1 / 2.
        #expect(cut(nov, .channel)[0].mean == 3.5 && cut(nov, .channel)[0].csat == 0.5)
        // Merchant M2: T2 (through O1) and T5 → 2, as M1 (T1, T3): "M1" < "M2"; M3 folds.
        #expect(cut(nov, .merchant).map(\.value) == ["M1", "M2", "(other)"])
        #expect(
            cut(nov, .merchant)[1] == row("M2", tickets: 2, fr: (0, 1, 1), esc: (0, 1, 0), responses: 1, scoreSum: 2))
    }

    @Test func noOtherRowWithinTopN() throws {
        var f = Self.data()
        f.config.breakdowns.topN = 10
        f.config.breakdowns.by = [.priority, .channel]
        let w47 = try #require(f.compute().first { $0.week == "2026-W47" })
        #expect(w47.breakdowns.tickets.map(\.dimension) == [.priority, .channel])
        #expect(cut(w47, .channel).map(\.value) == ["APP", "(none)", "web"])
        #expect(cut(w47, .priority).map(\.value) == ["normal", "major", "urgent"])
    }

    /// A channel written "(none)" and an empty one are one row (as complaint categories are):
    /// T4's empty channel and a T6 in W47 whose channel is the text "(none)" → 2 tickets.
    @Test func writtenNoneIsTheEmptyValue() throws {
        var f = Self.data()
        f.ticket(
            "T6", .inquiry, MetricsFixture.nov(20, 10), channel: "(none)", merchant: "M1",
            firstResponse: MetricsFixture.nov(20, 11))
        let w47 = try #require(f.compute().first { $0.week == "2026-W47" })
        // APP 2 (T1, T2), "(none)" 2 (T4, T6): "(" sorts before "A" → (none) first; web folds.
        #expect(cut(w47, .channel).map(\.value) == ["(none)", "APP", "(other)"])
        #expect(
            cut(w47, .channel)[0]
                == row(
                    "(none)", tickets: 2, fr: (2, 0, 0), esc: (0, 0, 0), responses: 1, scoreSum: 4,
                    satisfied: 1))
    }

    @Test func offWhenNoCutIsAsked() {
        var f = Self.data()
        f.config.breakdowns.by = []
        #expect(f.compute().allSatisfy { $0.breakdowns.tickets.isEmpty })
    }

    /// On random data, with every cut folded hard (top 1) and in weeks and months: each cut's
    /// rows add up to the totals (tickets, each ticket policy's met/breached/pending, responses).
    @Test(arguments: [PeriodKind.week, .month])
    func cutsAddUpToTotals(period: PeriodKind) throws {
        let d = randomData(seed: 5, tickets: 2000, orders: 1500, shipments: 10)
        let zone = try #require(ZoneRules(identifier: "Asia/Shanghai"))
        var config = MetricsPropertyTests.config()
        config.timezone = "Asia/Shanghai"
        config.breakdowns.topN = 1
        let engine = MetricsEngine(
            config: config, zone: zone, asOf: utcTime(2026, 11, 20), pool: d.pool, period: period)
        let summaries = engine.compute(orders: d.orders, tickets: d.tickets, logistics: d.logistics)
        #expect(summaries.count > 1)
        let ticketPolicies = config.policies.filter { $0.table == .tickets }
        for s in summaries {
            #expect(s.breakdowns.tickets.count == BreakdownDimension.ticketCuts.count)
            for cut in s.breakdowns.tickets {
                #expect(cut.rows.reduce(0) { $0 + $1.tickets } == s.ticketsCreated, "\(s.week) \(cut.dimension)")
                #expect(cut.rows.reduce(0) { $0 + $1.responses } == s.satisfaction.responses)
                #expect(
                    cut.rows.reduce(0) { $0 + $1.scoreSum }
                        == zip(1...5, s.satisfaction.distribution).reduce(0) { $0 + $1.0 * $1.1 })
                for (k, p) in ticketPolicies.enumerated() {
                    let total = try #require(s.sla.first { $0.policy == p.name })
                    #expect(
                        cut.rows.reduce(0) { $0 + $1.sla[k].met } == total.met, "\(s.week) \(cut.dimension) \(p.name)")
                    #expect(cut.rows.reduce(0) { $0 + $1.sla[k].breached } == total.breached)
                    #expect(cut.rows.reduce(0) { $0 + $1.sla[k].pending } == total.pending)
                }
                #expect(cut.rows.count <= 2 && cut.rows.dropFirst().allSatisfy { $0.value == Breakdowns.other })
            }
        }
    }
}

extension MetricsEngine {
    /// The same engine over another kind of period.
    func with(period: PeriodKind) -> MetricsEngine {
        let c = context
        return MetricsEngine(config: c.config, zone: c.zone, asOf: c.asOf, pool: c.pool, period: period)
    }
}
