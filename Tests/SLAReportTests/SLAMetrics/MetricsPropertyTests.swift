import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Random but reproducible rows over ten weeks, with every optional column sometimes empty.
func randomData(seed: UInt64, tickets nT: Int, orders nO: Int, shipments nS: Int)
    -> (pool: StringPool, orders: [OrderRow], tickets: [TicketRow], logistics: [LogisticsRow])
{
    var rng = SplitMix(seed: seed)
    let pool = StringPool()
    func pick(_ xs: [String]) -> StrID {
        let s = xs[Int(rng.next() % UInt64(xs.count))]
        return s.isEmpty ? .none : pool.intern(s)
    }
    let t0 = utcTime(2026, 9, 1)
    let span: UInt64 = 70 * 86_400
    func maybe(_ base: Int64, _ maxDelta: UInt64, _ pMissing: UInt64 = 3) -> Int64 {
        if rng.next() % pMissing == 0 { return .missing }
        // Now and then a stop before its start (an invalid duration).
        if rng.next() % 25 == 0 { return base - Int64(rng.next() % 7200) - 1 }
        return base + Int64(rng.next() % maxDelta)
    }
    var orders: [OrderRow] = []
    for i in 0..<nO {
        var o = OrderRow(orderID: pool.intern("O\(i)"), orderedAt: t0 + Int64(rng.next() % span))
        o.merchant = pick(["M1", "M2", "M3", ""])
        o.product = pick(["P1", "P2", "P3", "P4", "P5", ""])
        orders.append(o)
    }
    var tickets: [TicketRow] = []
    for i in 0..<nT {
        let type = TicketType.allCases[Int(rng.next() % 6)]
        let created = t0 + Int64(rng.next() % span)
        var t = TicketRow(ticketID: pool.intern("T\(i)"), type: type, createdAt: created)
        t.priority = Priority.allCases[Int(rng.next() % 3)]
        t.channel = pick(["web", "phone", "VIP", "app", ""])
        t.agent = pick(["A1", "A2", "B1", "张三", ""])
        t.category = pick(["damaged", "late", "size", "wrong_item", "破损", ""])
        t.orderID = rng.next() % 3 == 0 ? .none : pool.intern("O\(rng.next() % UInt64(max(nO, 1)))")
        t.product = pick(["P1", "P2", "P6", "", "", ""])
        t.merchant = pick(["M1", "M4", "", "", ""])
        t.responsibility = rng.next() % 2 == 0 ? nil : Responsibility.allCases[Int(rng.next() % 4)]
        t[.firstResponseAt] = maybe(created, 60 * 3600)
        t[.faultConfirmedAt] = maybe(created, 48 * 3600)
        t[.repairPlanAt] = maybe(created, 120 * 3600)
        t[.planRejectedAt] = maybe(created, 100 * 3600, 2)
        if t[.planRejectedAt] != .missing { t[.escalatedAt] = maybe(t[.planRejectedAt], 50 * 3600) }
        t[.resolvedAt] = maybe(created, 10 * 86_400)
        if t[.resolvedAt] != .missing { t[.surveyedAt] = maybe(t[.resolvedAt], 5 * 86_400) }
        switch rng.next() % 8 {
        case 0: t.satisfactionInvalid = true
        case 1, 2: break
        default: t.satisfaction = UInt8(1 + rng.next() % 5)
        }
        tickets.append(t)
    }
    var logistics: [LogisticsRow] = []
    for i in 0..<nS {
        let tn = pool.intern("S\(i)")
        var at = t0 + Int64(rng.next() % span)
        for _ in 0..<(1 + rng.next() % 6) {
            let kind = LogisticsEventKind.allCases[Int(rng.next() % 5)]
            var r = LogisticsRow(trackingNo: tn, event: kind, eventAt: at)
            if kind == .exception && rng.next() % 3 != 0 { r.exception = ExceptionType.allCases[Int(rng.next() % 7)] }
            logistics.append(r)
            at += Int64(rng.next() % (40 * 3600))
        }
    }
    return (pool, orders, tickets, logistics)
}

/// Events as the pipeline hands them to the metrics: deduplicated, grouped and ordered by the
/// one place that does it (`Dedup.groupedEvents`). Ids stay those of `pool`.
func groupedEvents(_ rows: [LogisticsRow], pool: StringPool) -> [LogisticsRow] {
    var parts = [(pool: pool, rows: rows)]
    let (out, grouped) = Dedup.groupedEvents(&parts)
    precondition(out == nil || out === pool)
    return grouped
}

/// `rows` numbered in read order (their dedup tie-break), so regrouping any shuffle of them is
/// deterministic.
func numbered(_ rows: [LogisticsRow]) -> [LogisticsRow] {
    rows.enumerated().map { i, r in
        var r = r
        r.seq = Int64(i)
        return r
    }
}

@Suite("Metrics: properties")
struct MetricsPropertyTests {
    static func config() -> Config {
        var c = Config()
        c.alerts.productComplaints = 2
        c.alerts.merchantMinOrders = 1
        c.alerts.categorySpikeMin = 2
        c.calendar.holidays = [dayNumber("2026-10-01"), dayNumber("2026-10-02")]
        c.calendar.extraWorkdays = [dayNumber("2026-10-10")]
        return c
    }

    @Test func shufflingRowsChangesNothing() {
        let d = randomData(seed: 1, tickets: 3000, orders: 2000, shipments: 1500)
        let engine = MetricsEngine(config: Self.config(), zone: .utc, asOf: utcTime(2026, 11, 20), pool: d.pool)
        let base = engine.compute(orders: d.orders, tickets: d.tickets, logistics: d.logistics)
        #expect(base.count >= 10)
        // The data exercises every part (else the property would be vacuous).
        #expect(base.contains { !$0.alerts.isEmpty })
        #expect(base.contains { !$0.breaches.isEmpty && !$0.lowScoreRecords.isEmpty && !$0.agents.isEmpty })
        #expect(base.reduce(0) { $0 + $1.dataQuality.invalidDurations } > 0)
        #expect(base.reduce(0) { $0 + $1.dataQuality.invalidScores } > 0)
        #expect(base.reduce(0) { $0 + $1.logistics.stalled } > 0)
        #expect(base.reduce(0) { $0 + $1.logistics.delivered } > 0)
        #expect(base.contains { !$0.logistics.exceptions.isEmpty })
        var rng = SplitMix(seed: 99)
        // Events in any file order: grouped again by the dedup step, as the pipeline does.
        let events = numbered(d.logistics)
        #expect(
            engine.compute(orders: d.orders, tickets: d.tickets, logistics: groupedEvents(events, pool: d.pool)) == base
        )
        for _ in 0..<3 {
            let shuffled = engine.compute(
                orders: d.orders.shuffled(using: &rng), tickets: d.tickets.shuffled(using: &rng),
                logistics: groupedEvents(events.shuffled(using: &rng), pool: d.pool))
            #expect(shuffled == base)
        }
        // The hand-checked fixture too.
        let f = MetricsFixture()
        let fEvents = numbered(f.logistics)
        #expect(
            f.engine().compute(
                orders: f.orders.shuffled(using: &rng), tickets: f.tickets.shuffled(using: &rng),
                logistics: groupedEvents(fEvents.shuffled(using: &rng), pool: f.pool)) == f.compute())
    }

    @Test(arguments: [1, 2, 3, 7])
    func shardAndMergeEqualsOnePass(shards: Int) throws {
        let d = randomData(seed: 2, tickets: 3000, orders: 2000, shipments: 1500)
        let zone = try #require(ZoneRules(identifier: "Asia/Shanghai"))
        var config = Self.config()
        config.timezone = "Asia/Shanghai"
        let engine = MetricsEngine(config: config, zone: zone, asOf: utcTime(2026, 11, 20), pool: d.pool)
        // The accumulators alone (arrivals and repeats are made from the whole tickets table
        // after them, by the engine).
        // A ticket without a merchant takes its order's, joined once for all shards (as `compute`).
        let merchants = engine.orderMerchants(tickets: d.tickets, orders: d.orders)
        var single = engine.makeAccumulator()
        for o in d.orders { single.add(order: o) }
        for (i, t) in d.tickets.enumerated() { single.add(ticket: t, merchant: merchants?[i]) }
        for l in d.logistics { single.add(logistics: l) }
        let onePass = single.finish()
        var rng = SplitMix(seed: UInt64(shards))
        var accs = (0..<shards).map { _ in engine.makeAccumulator() }
        // Tickets and orders: any split. Logistics: whole tracking numbers per shard, each in time
        // order (the order `LogisticsAccumulator` relies on).
        for o in d.orders { accs[Int(rng.next() % UInt64(shards))].add(order: o) }
        for (i, t) in d.tickets.enumerated() {
            accs[Int(rng.next() % UInt64(shards))].add(ticket: t, merchant: merchants?[i])
        }
        for l in d.logistics { accs[Int(l.trackingNo) % shards].add(logistics: l) }
        // Merge in a scrambled order.
        accs.shuffle(using: &rng)
        var merged = accs[0]
        for a in accs.dropFirst() { merged.merge(a) }
        #expect(merged.finish() == onePass)
        // Contiguous shards merged in order (as `MetricsEngine` makes them) may split one
        // tracking number's events between them.
        var a = engine.makeAccumulator()
        var b = engine.makeAccumulator()
        let cut = d.logistics.count / 2 + 1
        #expect(d.logistics[cut - 1].trackingNo == d.logistics[cut].trackingNo)
        for l in d.logistics[..<cut] { a.add(logistics: l) }
        for l in d.logistics[cut...] { b.add(logistics: l) }
        for o in d.orders { a.add(order: o) }
        for (i, t) in d.tickets.enumerated() { b.add(ticket: t, merchant: merchants?[i]) }
        a.merge(b)
        #expect(a.finish() == onePass)
    }

    @Test func parallelComputeEqualsOnePass() {
        let d = randomData(seed: 3, tickets: 2000, orders: 1000, shipments: 800)
        var engine = MetricsEngine(config: Self.config(), zone: .utc, asOf: utcTime(2026, 11, 20), pool: d.pool)
        let one = engine.compute(orders: d.orders, tickets: d.tickets, logistics: d.logistics)
        engine.parallelism = 3
        #expect(engine.compute(orders: d.orders, tickets: d.tickets, logistics: d.logistics) == one)
    }

    @Test func extraPolicyYieldsItsNumbers() {
        // A VIP channel promise of 30 minutes. Only T08 (channel "VIP", created Wed Nov 18 12:00, no
        // response) matches: open for 168 h at as_of > 0.5 h → breached in W47; nothing elsewhere.
        let f = MetricsFixture()
        var config = f.config
        config.policies.append(
            Policy(
                name: "vip_response", label: "VIP 30 min", channels: ["VIP"], start: .createdAt,
                stop: .firstResponseAt, targetText: "30m", targetSeconds: 1800, clock: .wallClock))
        let base = f.compute()
        let got = f.engine(config: config).compute(orders: f.orders, tickets: f.tickets, logistics: f.logistics)
        #expect(got.count == 3)
        for (g, b) in zip(got, base) {
            #expect(g.sla.count == 5)
            #expect(Array(g.sla.prefix(4)) == b.sla)  // the other policies are unchanged
            let vip = g.sla[4]
            #expect(vip.policy == "vip_response")
            #expect(vip.targetHours == 0.5)
            if g.week == "2026-W47" {
                #expect(vip.eligible == 1 && vip.breached == 1 && vip.met == 0 && vip.pending == 0)
                #expect(vip.attainment == 0)
                #expect(vip.p50Hours == nil)
                let r = g.breaches.last!
                #expect(r.ticketID == "T08" && r.policy == "vip_response" && r.stop == .missing)
                #expect(r.elapsedHours == 168)
                #expect(r.targetHours == 0.5)
                // A1's cohort (T06, T08, T11): T08 breached the VIP promise.
                let a1 = g.agents.first { $0.agent == "A1" }!
                #expect(
                    a1.sla[4]
                        == {
                            var x = AgentPolicyResult(policy: "vip_response")
                            x.breached = 1
                            x.attainment = 0
                            return x
                        }())
            } else {
                #expect(vip.eligible == 0 && vip.attainment == nil)
                #expect(g.breaches == b.breaches)
            }
        }
        // Channel names are compared as written: "vip" matches nothing.
        config.policies[4].channels = ["vip"]
        let lower = f.engine(config: config).compute(orders: f.orders, tickets: f.tickets, logistics: f.logistics)
        #expect(lower.allSatisfy { $0.sla[4].eligible == 0 })
    }

    @Test func zoneMatters() throws {
        // Sun 2026-11-15 20:00 UTC is Mon 11-16 04:00 in Shanghai (+08:00): W46 in UTC, W47 there.
        let pool = StringPool()
        let t = TicketRow(ticketID: pool.intern("T1"), type: .inquiry, createdAt: utcTime(2026, 11, 15, 20))
        let asOf = utcTime(2026, 11, 16)
        let inUTC = MetricsEngine(config: Config(), zone: .utc, asOf: asOf, pool: pool)
            .compute(orders: [], tickets: [t], logistics: [])
        var sh = Config()
        sh.timezone = "Asia/Shanghai"
        let shanghai = try #require(ZoneRules(identifier: "Asia/Shanghai"))
        let inShanghai = MetricsEngine(config: sh, zone: shanghai, asOf: asOf, pool: pool)
            .compute(orders: [], tickets: [t], logistics: [])
        #expect(inUTC.map(\.week) == ["2026-W46"])
        #expect(inShanghai.map(\.week) == ["2026-W47"])
        #expect(inUTC[0].asOf == "2026-11-16T00:00:00+00:00")
        #expect(inShanghai[0].asOf == "2026-11-16T08:00:00+08:00")
        #expect(inShanghai[0].timezone == "Asia/Shanghai")
        #expect(inShanghai[0].ticketsCreated == 1)
        // first_response open 4 h at as_of ≤ 24 h → pending.
        #expect(inShanghai[0].sla[0].pending == 1)
    }

    @Test func emptyWeeksAreReported() {
        // Orders in W46 and W49 only: W47 and W48 are reported, empty but complete.
        let pool = StringPool()
        let o1 = OrderRow(orderID: pool.intern("O1"), orderedAt: utcTime(2026, 11, 10))
        let o2 = OrderRow(orderID: pool.intern("O2"), orderedAt: utcTime(2026, 12, 3))
        let weeks = MetricsEngine(config: Config(), zone: .utc, asOf: utcTime(2026, 12, 4), pool: pool)
            .compute(orders: [o2, o1], tickets: [], logistics: [])
        #expect(weeks.map(\.week) == ["2026-W46", "2026-W47", "2026-W48", "2026-W49"])
        #expect(weeks.map(\.ordersPlaced) == [1, 0, 0, 1])
        let empty = weeks[1]
        #expect(empty.sla.map(\.policy) == Config.defaultPolicies.map(\.name))
        #expect(empty.sla.allSatisfy { $0.eligible == 0 && $0.attainment == nil && $0.p50Hours == nil })
        #expect(empty.satisfaction.distribution == [0, 0, 0, 0, 0])
        #expect(empty.responseBuckets == [0, 0, 0, 0, 0, 0, 0])
        #expect(empty.complaints.total == 0 && empty.complaints.top.isEmpty)
        #expect(
            MetricsEngine(config: Config(), zone: .utc, asOf: 0, pool: pool)
                .compute(orders: [], tickets: [], logistics: []).isEmpty)
    }

    @Test func noSpikeInTheFirstWeek() {
        // Three "late" complaints in the first week and six the next: the first week has no
        // previous week to compare with; the second spikes (6 ≥ 2 × 3, ≥ 2).
        let pool = StringPool()
        var tickets: [TicketRow] = []
        for i in 0..<9 {
            var t = TicketRow(
                ticketID: pool.intern("T\(i)"), type: .complaint,
                createdAt: i < 3 ? utcTime(2026, 11, 10) : utcTime(2026, 11, 17))
            t.category = pool.intern("late")
            tickets.append(t)
        }
        var c = Config()
        c.alerts.categorySpikeMin = 2
        c.alerts.productComplaints = 100
        let weeks = MetricsEngine(config: c, zone: .utc, asOf: utcTime(2026, 11, 20), pool: pool)
            .compute(orders: [], tickets: tickets, logistics: [])
        #expect(weeks[0].alerts.isEmpty)
        var spike = Alert(
            kind: "category_spike", subject: "late", value: 6, threshold: 2, valueIsCount: true,
            thresholdIsCount: false)
        spike.previous = 3  // the first week's count, although it could not spike there
        #expect(weeks[1].alerts == [spike])
        #expect(weeks[1].complaints.top == [CategoryCount(category: "late", count: 6, share: 1, previousCount: 3)])
    }
}
