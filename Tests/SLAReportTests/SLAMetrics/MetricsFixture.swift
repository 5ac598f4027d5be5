@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// A small hand-checked data set over ISO weeks 2026-W46 (Nov 9–15), W47 (Nov 16–22) and
/// W48 (Nov 23–29), in UTC, with as_of = Wed 2026-11-25 12:00. The expected numbers are worked
/// out in MetricsFixtureTests.
struct MetricsFixture {
    let pool = StringPool()
    var orders: [OrderRow] = []
    var tickets: [TicketRow] = []
    var logistics: [LogisticsRow] = []
    var config: Config
    let zone = ZoneRules.utc
    let asOf = MetricsFixture.nov(25, 12)

    /// 2026-11-dd hh:mm UTC.
    static func nov(_ d: Int, _ h: Int, _ m: Int = 0) -> Int64 { utcTime(2026, 11, d, h, m) }

    func id(_ s: String) -> StrID { s.isEmpty ? .none : pool.intern(s) }

    /// Policies used: first_response (24 h), complaint_normal (1 h), escalation (24 h from
    /// plan_rejected_at), resolution_3bd (27 business hours, 09:00–18:00 Mon–Fri).
    static func config() -> Config {
        var c = Config()
        c.topN = 2
        // The hand-worked summaries leave the breakdowns out (`BreakdownTests` work them out).
        c.breakdowns.by = []
        c.alerts.productComplaints = 2
        c.alerts.productRateRatio = 0.5
        c.alerts.merchantRateRatio = 0.5
        c.alerts.merchantComplaintRate = 0.5
        c.alerts.merchantMinOrders = 2
        c.alerts.categorySpikeRatio = 2
        c.alerts.categorySpikeMin = 2
        let names = ["first_response", "complaint_normal", "escalation", "resolution_3bd"]
        c.policies = names.map { n in Config.defaultPolicies.first { $0.name == n }! }
        return c
    }

    mutating func order(_ oid: String, _ at: Int64, merchant: String, product: String) {
        var o = OrderRow(orderID: id(oid), orderedAt: at)
        o.merchant = id(merchant)
        o.product = id(product)
        orders.append(o)
    }

    mutating func ticket(
        _ tid: String, _ type: TicketType, _ created: Int64, priority: Priority = .normal,
        category: String = "", channel: String = "", agent: String = "", order: String = "",
        product: String = "", merchant: String = "", firstResponse: Int64 = .missing,
        planRejected: Int64 = .missing, escalated: Int64 = .missing, resolved: Int64 = .missing,
        surveyed: Int64 = .missing, score: UInt8 = 0, invalidScore: Bool = false,
        responsibility: Responsibility? = nil
    ) {
        var t = TicketRow(ticketID: id(tid), type: type, createdAt: created)
        t.priority = priority
        t.category = id(category)
        t.channel = id(channel)
        t.agent = id(agent)
        t.orderID = id(order)
        t.product = id(product)
        t.merchant = id(merchant)
        t[.firstResponseAt] = firstResponse
        t[.planRejectedAt] = planRejected
        t[.escalatedAt] = escalated
        t[.resolvedAt] = resolved
        t[.surveyedAt] = surveyed
        t[.updatedAt] = created
        t.satisfaction = score
        t.satisfactionInvalid = invalidScore
        t.responsibility = responsibility
        tickets.append(t)
    }

    mutating func event(_ tn: String, _ kind: LogisticsEventKind, _ at: Int64, _ ex: ExceptionType? = nil) {
        var r = LogisticsRow(trackingNo: id(tn), event: kind, eventAt: at)
        r.exception = ex
        logistics.append(r)
    }

    /// The fixture's config, pool and helpers with no rows: for tests that add their own.
    static func empty() -> MetricsFixture {
        var f = MetricsFixture()
        f.orders = []
        f.tickets = []
        f.logistics = []
        return f
    }

    init() {
        config = Self.config()
        func nov(_ d: Int, _ h: Int, _ m: Int = 0) -> Int64 { MetricsFixture.nov(d, h, m) }
        // Orders: W46 O1, O2 (M1); W47 O3, O5 (M1), O4 (M2).
        order("O1", nov(9, 10), merchant: "M1", product: "P1")
        order("O2", nov(10, 10), merchant: "M1", product: "P2")
        order("O3", nov(16, 9), merchant: "M1", product: "P1")
        order("O4", nov(17, 9), merchant: "M2", product: "P1")
        order("O5", nov(18, 9), merchant: "M1", product: "P3")

        // W46
        ticket(
            "T01", .complaint, nov(9, 10), category: "damaged", channel: "web", agent: "A1", order: "O1",
            firstResponse: nov(9, 10, 30), resolved: nov(10, 10), surveyed: nov(10, 12), score: 5)
        ticket(
            "T02", .inquiry, nov(10, 8), category: "billing", channel: "phone", agent: "A2",
            firstResponse: nov(11, 10), resolved: nov(13, 17), surveyed: nov(16, 9), score: 2)
        ticket(
            "T03", .complaint, nov(13, 20), priority: .urgent, category: "late", channel: "web", product: "P9",
            merchant: "M2", firstResponse: nov(13, 21), responsibility: .logistics)
        ticket(
            "T04", .return, nov(14, 11), category: "size", agent: "A1", order: "O2",
            firstResponse: nov(14, 11, 30), planRejected: nov(14, 12), escalated: nov(16, 12), resolved: nov(16, 12),
            invalidScore: true, responsibility: .merchant)
        ticket("T05", .inquiry, nov(15, 23), channel: "phone", agent: "A2", firstResponse: nov(15, 22))
        // W47
        ticket(
            "T06", .complaint, nov(16, 9), category: "damaged", channel: "web", agent: "A1", order: "O3",
            firstResponse: nov(16, 11), resolved: nov(19, 9), surveyed: nov(19, 10), score: 1)
        ticket(
            "T07", .complaint, nov(17, 10), category: "damaged", channel: "web", agent: "A2", order: "O4",
            firstResponse: nov(17, 10, 45), resolved: nov(17, 15), score: 4, responsibility: .merchant)
        ticket(
            "T08", .complaint, nov(18, 12), priority: .major, category: "late", channel: "VIP", agent: "A1",
            product: "P1", merchant: "M1")
        ticket(
            "T09", .repair, nov(19, 9), category: "broken", channel: "phone", agent: "B1", order: "O5",
            firstResponse: nov(20, 9), responsibility: .platform)
        ticket("T10", .complaint, nov(21, 10), channel: "web")
        ticket(
            "T11", .refund, nov(22, 20), category: "damaged", channel: "app", agent: "A1", product: "P3",
            merchant: "M3", firstResponse: nov(22, 21), planRejected: nov(22, 22), resolved: nov(24, 10),
            surveyed: nov(24, 11), score: 3)
        // W48
        ticket("T12", .inquiry, nov(23, 9), channel: "web", agent: "A2", firstResponse: nov(23, 13))
        ticket(
            "T13", .complaint, nov(25, 10), category: "wrong_item", channel: "web", agent: "B1", product: "P1",
            merchant: "M1")
        ticket(
            "T14", .complaint, nov(25, 11), category: "wrong_item", channel: "web", product: "P2", merchant: "M1",
            firstResponse: nov(25, 11, 20))

        // Shipments
        event("S1", .pickedUp, nov(9, 12))
        event("S1", .inTransit, nov(10, 8))
        event("S1", .delivered, nov(11, 10))
        event("S1", .inTransit, nov(14, 9))
        event("S2", .pickedUp, nov(10, 9))
        event("S2", .outForDelivery, nov(11, 9))
        event("S2", .delivered, nov(11, 15))
        event("S2", .delivered, nov(12, 9))
        event("S3", .pickedUp, nov(15, 22))
        event("S3", .exception, nov(16, 10), .damaged)
        event("S3", .exception, nov(17, 9))
        event("S4", .pickedUp, nov(18, 10))
        event("S4", .exception, nov(18, 20), .lost)
        event("S4", .delivered, nov(19, 10))
        event("S5", .pickedUp, nov(24, 10))
        event("S5", .inTransit, nov(25, 9))
    }

    func engine(config: Config? = nil, zone: ZoneRules? = nil, period: PeriodKind = .week) -> MetricsEngine {
        MetricsEngine(config: config ?? self.config, zone: zone ?? self.zone, asOf: asOf, pool: pool, period: period)
    }

    func compute() -> [WeeklySummary] {
        engine().compute(orders: orders, tickets: tickets, logistics: logistics)
    }
}

/// Rounds every floating-point number to 9 decimals so hand-written expectations compare equal
/// to computed ones despite last-bit differences (renderers round to 4).
func normalized(_ s: [WeeklySummary]) -> [WeeklySummary] {
    func r(_ x: Double) -> Double { (x * 1e9).rounded() / 1e9 }
    func r(_ x: Double?) -> Double? { x.map { r($0) } }
    return s.map { w in
        var w = w
        for i in w.sla.indices {
            w.sla[i].attainment = r(w.sla[i].attainment)
            w.sla[i].p50Hours = r(w.sla[i].p50Hours)
            w.sla[i].p90Hours = r(w.sla[i].p90Hours)
            w.sla[i].targetHours = r(w.sla[i].targetHours)
        }
        for i in w.complaints.top.indices { w.complaints.top[i].share = r(w.complaints.top[i].share) }
        w.satisfaction.mean = r(w.satisfaction.mean)
        w.satisfaction.csat = r(w.satisfaction.csat)
        w.satisfaction.responseRate = r(w.satisfaction.responseRate)
        w.logistics.p50DeliveryHours = r(w.logistics.p50DeliveryHours)
        w.logistics.p90DeliveryHours = r(w.logistics.p90DeliveryHours)
        for i in (w.breakdowns.carrier?.rows ?? []).indices {
            w.breakdowns.carrier!.rows[i].p50DeliveryHours = r(w.breakdowns.carrier!.rows[i].p50DeliveryHours)
            w.breakdowns.carrier!.rows[i].p90DeliveryHours = r(w.breakdowns.carrier!.rows[i].p90DeliveryHours)
        }
        for i in w.alerts.indices {
            w.alerts[i].value = r(w.alerts[i].value)
            w.alerts[i].threshold = r(w.alerts[i].threshold)
        }
        for i in w.agents.indices {
            w.agents[i].mean = r(w.agents[i].mean)
            w.agents[i].csat = r(w.agents[i].csat)
            for j in w.agents[i].sla.indices { w.agents[i].sla[j].attainment = r(w.agents[i].sla[j].attainment) }
        }
        for i in w.breaches.indices {
            w.breaches[i].elapsedHours = r(w.breaches[i].elapsedHours)
            w.breaches[i].targetHours = r(w.breaches[i].targetHours)
        }
        return w
    }
}
