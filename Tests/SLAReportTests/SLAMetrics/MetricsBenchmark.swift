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

/// Not a timed test: prints how long `MetricsEngine.compute` takes on a busy year (SPEC 8 sizes).
/// Run with `METRICS_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter MetricsBenchmark`.
@Suite("Metrics: benchmark", .enabled(if: ProcessInfo.processInfo.environment["METRICS_BENCH"] != nil))
struct MetricsBenchmark {
    @Test func busyYear() {
        let pool = StringPool(capacity: 5_000_000)
        var rng = SplitMix(seed: 42)
        let t0 = utcTime(2025, 11, 1)
        let year: UInt64 = 365 * 86_400
        let merchants = (0..<2000).map { pool.intern("M\($0)") }
        let products = (0..<20_000).map { pool.intern("P\($0)") }
        let agents = (0..<300).map { pool.intern("agent\($0)") }
        let channels = ["web", "app", "phone", "VIP", "mini"].map { pool.intern($0) }
        let categories = (0..<40).map { pool.intern("cat\($0)") }
        var orders: [OrderRow] = []
        orders.reserveCapacity(1_000_000)
        var orderIDs: [StrID] = []
        for i in 0..<1_000_000 {
            let id = pool.intern("O\(i)")
            orderIDs.append(id)
            var o = OrderRow(orderID: id, orderedAt: t0 + Int64(rng.next() % year))
            o.merchant = merchants[Int(rng.next() % 2000)]
            o.product = products[Int(rng.next() % 20_000)]
            orders.append(o)
        }
        var tickets: [TicketRow] = []
        tickets.reserveCapacity(300_000)
        for i in 0..<300_000 {
            let created = t0 + Int64(rng.next() % year)
            var t = TicketRow(
                ticketID: pool.intern("T\(i)"), type: TicketType.allCases[Int(rng.next() % 6)],
                createdAt: created)
            t.priority = Priority.allCases[Int(rng.next() % 3)]
            t.orderID = orderIDs[Int(rng.next() % 1_000_000)]
            t.channel = channels[Int(rng.next() % 5)]
            t.agent = agents[Int(rng.next() % 300)]
            t.category = categories[Int(rng.next() % 40)]
            if rng.next() % 4 != 0 { t[.firstResponseAt] = created + Int64(rng.next() % (40 * 3600)) }
            if rng.next() % 3 == 0 { t[.faultConfirmedAt] = created + Int64(rng.next() % (40 * 3600)) }
            if rng.next() % 3 == 0 { t[.repairPlanAt] = created + Int64(rng.next() % (100 * 3600)) }
            if rng.next() % 5 == 0 {
                t[.planRejectedAt] = created + Int64(rng.next() % (100 * 3600))
                if rng.next() % 2 == 0 { t[.escalatedAt] = t[.planRejectedAt] + Int64(rng.next() % (40 * 3600)) }
            }
            if rng.next() % 5 != 0 {
                t[.resolvedAt] = created + Int64(rng.next() % (8 * 86_400))
                if rng.next() % 2 == 0 { t[.surveyedAt] = t[.resolvedAt] + Int64(rng.next() % (5 * 86_400)) }
                if rng.next() % 3 != 0 { t.satisfaction = UInt8(1 + rng.next() % 5) }
            }
            tickets.append(t)
        }
        var logistics: [LogisticsRow] = []
        logistics.reserveCapacity(3_100_000)
        var s = 0
        while logistics.count < 3_000_000 {
            let tn = pool.intern("SF\(s)")
            s += 1
            var at = t0 + Int64(rng.next() % year)
            for k in 0..<(2 + Int(rng.next() % 5)) {
                let kind: LogisticsEventKind = k == 0 ? .pickedUp : LogisticsEventKind.allCases[Int(rng.next() % 5)]
                var r = LogisticsRow(trackingNo: tn, event: kind, eventAt: at)
                if kind == .exception { r.exception = ExceptionType.allCases[Int(rng.next() % 7)] }
                logistics.append(r)
                at += Int64(rng.next() % (30 * 3600))
            }
        }
        // Rows arrive as deduplication leaves them: grouped by tracking number, in time order.
        let zone = ZoneRules(identifier: "Asia/Shanghai")!
        var config = Config()
        config.timezone = "Asia/Shanghai"
        let asOf = t0 + Int64(year)
        do {
            let engine = MetricsEngine(config: config, zone: zone, asOf: asOf, pool: pool)
            let clock = ContinuousClock()
            var acc = engine.makeAccumulator()
            let a = clock.measure { for o in orders { acc.add(order: o) } }
            let b = clock.measure { for t in tickets { acc.add(ticket: t) } }
            let c = clock.measure { for l in logistics { acc.add(logistics: l) } }
            var n = 0
            let d = clock.measure { n = acc.finish().count }
            print("metrics phases: orders \(a), tickets \(b), logistics \(c), finish \(d) (\(n) weeks)")
        }
        // With and without the breakdowns (every ticket here takes its merchant from its order).
        var plain = config
        plain.breakdowns.by = []
        for (name, config) in [
            ("breakdowns", config), ("no breakdowns", plain), ("breakdowns", config), ("no breakdowns", plain),
        ] {
            let engine = MetricsEngine(config: config, zone: zone, asOf: asOf, pool: pool)
            let clock = ContinuousClock()
            var acc = engine.makeAccumulator()
            var merchants: [StrID]? = nil
            let j = clock.measure { merchants = engine.orderMerchants(tickets: tickets, orders: orders) }
            for o in orders { acc.add(order: o) }
            let t = clock.measure { for (i, x) in tickets.enumerated() { acc.add(ticket: x, merchant: merchants?[i]) } }
            let f = clock.measure { _ = acc.finish(records: false) }
            print("metrics benchmark, \(name): join \(j), tickets \(t), finish \(f) (one thread)")
        }
        for parallelism in [1, 2] {
            var engine = MetricsEngine(config: config, zone: zone, asOf: asOf, pool: pool)
            engine.parallelism = parallelism
            let clock = ContinuousClock()
            var weeks: [WeeklySummary] = []
            let d = clock.measure {
                weeks = engine.compute(orders: orders, tickets: tickets, logistics: logistics)
            }
            print(
                "metrics benchmark: \(orders.count) orders, \(tickets.count) tickets, \(logistics.count) events"
                    + " → \(weeks.count) weeks, \(weeks.reduce(0) { $0 + $1.breaches.count }) breach rows, in \(d)"
                    + " (parallelism \(parallelism))")
            #expect(weeks.count >= 52)
        }
    }
}
