import Foundation

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Hand-made WeeklySummary values for the renderer tests, and a 12-week demo with plausible
/// numbers (deterministic: a fixed linear congruential generator, no clock).
enum ReportFixtures {
    static let zone = ZoneRules(identifier: "Asia/Shanghai")!

    static func config(lang: ReportLanguage = .en, policies: [Policy] = Array(Config.defaultPolicies.prefix(2)))
        -> Config
    {
        var c = Config()
        c.timezone = "Asia/Shanghai"
        c.lang = lang
        c.policies = policies
        return c
    }

    static let run = RunInfo(
        asOf: 1_795_392_000,  // 2026-11-23T08:00:00+08:00
        toolVersion: "0.1.0-test", configSource: "built-in", configHash: "abc123",
        files: [], tables: [], rejectCount: 0, timings: [])

    /// One small week: two policies, one complaint category, one alert of each number shape.
    /// A pending ticket due in 5 h (start 90 h after the open breach T3's).
    static var dueSoonItem: OpenItem {
        var soon = OpenItem(
            state: "pending", table: .tickets, id: "T5", orderID: "", policy: "first_response",
            start: 1_795_000_000 + 90 * 3600, due: 1_795_000_000 + 114 * 3600, secondsLeft: 5 * 3600)
        soon.agent = "A07"
        return soon
    }

    static func small() -> WeeklySummary {
        var w = WeeklySummary(
            week: "2026-W47", weekStart: "2026-11-16", weekEnd: "2026-11-22",
            timezone: "Asia/Shanghai", asOf: "2026-11-23T08:00:00+08:00")
        w.ordersPlaced = 120
        w.ticketsCreated = 3
        w.ticketsResolved = 2
        w.byType = [KeyCount("complaint", 2), KeyCount("inquiry", 1), KeyCount("refund", 0)]
        w.byChannel = [KeyCount("app", 3)]
        w.byResponsibility = [KeyCount("(none)", 1), KeyCount("merchant", 2)]
        var fr = SLAResult(
            policy: "first_response", label: "First response within 24 h / 24小时内首次响应",
            targetHours: 24, clock: .wallClock)
        fr.eligible = 3
        fr.met = 2
        fr.breached = 1
        fr.attainment = 2.0 / 3.0  // 0.6667
        fr.p50Hours = 0.5
        fr.p90Hours = 0.1 + 0.2  // 0.3
        var rp = SLAResult(policy: "repair_fault_confirm", label: "Fault confirmed", targetHours: 24, clock: .wallClock)
        rp.eligible = 0
        w.sla = [fr, rp]
        w.complaints.total = 2
        w.complaints.top = [CategoryCount(category: "质量问题 <quality>", count: 2, share: 1, previousCount: 1)]
        w.satisfaction.responses = 3
        w.satisfaction.mean = 10.0 / 3.0  // 3.3333
        w.satisfaction.csat = 1.0 / 3.0  // 0.3333
        w.satisfaction.distribution = [1, 0, 1, 1, 0]
        w.satisfaction.lowScores = 1
        w.satisfaction.responseRate = 0.5
        w.logistics.shipments = 4
        w.logistics.delivered = 3
        w.logistics.stalled = 1
        w.logistics.exceptions = [KeyCount("damaged", 1), KeyCount("lost", 0)]
        w.logistics.p50DeliveryHours = 30.25
        var product = Alert(
            kind: "product_complaints", subject: "P123", value: 4, threshold: 3, valueIsCount: true,
            thresholdIsCount: true)
        product.previous = 2
        w.alerts = [
            product,
            Alert(
                kind: "merchant_complaint_rate", subject: "M9", value: 0.025, threshold: 0.02, valueIsCount: false,
                thresholdIsCount: false),
        ]
        var a = AgentSummary(agent: "A07")
        a.tickets = 3
        var ap = AgentPolicyResult(policy: "first_response")
        ap.met = 2
        ap.breached = 1
        ap.attainment = 2.0 / 3.0
        a.sla = [ap, AgentPolicyResult(policy: "repair_fault_confirm")]
        a.responses = 3
        a.mean = 10.0 / 3.0
        a.csat = 1.0 / 3.0
        w.agents = [a]
        w.dataQuality.invalidDurations = 1
        w.responseBuckets = [1, 1, 0, 0, 1, 0, 0]
        var b = BreachRecord(
            ticketID: "T3", orderID: "O3", policy: "first_response", start: 1_795_000_000,
            stop: .missing, elapsedHours: 108.8889, targetHours: 24, state: "breached_open")
        b.id = "T3"
        b.due = 1_795_000_000 + 24 * 3600
        b.agent = "-A07"
        b.type = "complaint"
        b.priority = "urgent"
        w.breaches = [b]
        // The same open breach as an open item (as_of 84 h 53 min past its due: "3 d 13 h", rounded to the hour), and a
        // ticket due in 5 h.
        var open = OpenItem(
            state: "breached_open", table: .tickets, id: "T3", orderID: "O3", policy: "first_response",
            start: b.start, due: b.due, secondsLeft: -(84 * 3600 + 53 * 60))
        open.agent = b.agent
        open.type = b.type
        open.priority = b.priority
        w.openItems = OpenItemsDigest([open, dueSoonItem])
        var low = LowScoreRecord(
            ticketID: "T2", orderID: "", agent: "A07", score: 1, category: "质量问题",
            resolvedAt: 1_795_100_000, surveyedAt: .missing)
        low.surveyID = "S9"
        low.comment = "太慢了, \"再也不买\""
        w.lowScoreRecords = [low]
        return w
    }

    /// An empty week after `small()`.
    static func emptyWeek() -> WeeklySummary {
        var w = WeeklySummary(
            week: "2026-W48", weekStart: "2026-11-23", weekEnd: "2026-11-29",
            timezone: "Asia/Shanghai", asOf: "2026-11-23T08:00:00+08:00")
        w.sla = small().sla.map { r in
            SLAResult(policy: r.policy, label: r.label, targetHours: r.targetHours, clock: r.clock)
        }
        w.responseBuckets = [0, 0, 0, 0, 0, 0, 0]
        return w
    }

    // MARK: Demo

    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + Int(next() * Double(hi - lo + 1)) }
    }

    /// Twelve weeks (2026-W36 … 2026-W47) of a mid-size shop, with one empty week (W40, the
    /// National Day holiday export gap) and nasty input text in a category and an agent name.
    static func demo(lang: ReportLanguage) -> (Config, RunInfo, [WeeklySummary], [Reject]) {
        var cfg = Config()
        cfg.timezone = "Asia/Shanghai"
        cfg.lang = lang
        var rng = LCG(state: 42)
        let categories = ["质量问题", "物流延迟", "少件/漏发", "商品与描述不符", "退款慢", "客服态度", "<script>alert(1)</script>"]
        let agents = ["张伟", "李娜", "王芳", "A07 \"night\" & 'co'", "刘洋", "陈静"]
        var weeks: [WeeklySummary] = []
        let firstMonday = CivilDate.days(year: 2026, month: 8, day: 31)
        var prevCats: [String: Int] = [:]
        for k in 0..<12 {
            let monday = firstMonday + 7 * k
            let wk = ISOWeek(monday: monday)
            var w = WeeklySummary(
                week: wk.name, weekStart: wk.startDate, weekEnd: wk.endDate, timezone: "Asia/Shanghai",
                asOf: "2026-11-23T08:00:00+08:00")
            w.sla = cfg.policies.map { SLAResult($0, goal: cfg.goal(of: $0)) }
            w.responseBuckets = [0, 0, 0, 0, 0, 0, 0]
            if k == 4 {
                weeks.append(w)
                prevCats = [:]
                continue
            }
            w.ordersPlaced = 5200 + rng.int(-400, 600)
            w.ticketsCreated = 610 + rng.int(-60, 90) + (k == 11 ? 140 : 0)
            w.ticketsResolved = w.ticketsCreated - rng.int(-20, 40)
            w.byType = [
                KeyCount("complaint", 120 + rng.int(0, 40)), KeyCount("exchange", 60), KeyCount("inquiry", 250),
                KeyCount("refund", 90), KeyCount("repair", 45), KeyCount("return", 70),
            ]
            w.byChannel = [KeyCount("app", 300), KeyCount("phone", 120), KeyCount("web", 150), KeyCount("微信", 60)]
            w.byResponsibility = [
                KeyCount("(none)", 40), KeyCount("customer", 90), KeyCount("logistics", 180),
                KeyCount("merchant", 260), KeyCount("platform", 50),
            ]
            for (i, p) in cfg.policies.enumerated() {
                var r = w.sla[i]
                let base: Double = [0.965, 0.95, 0.96, 0.9, 0.93, 0.98, 0.93, 0.95, 0.9, 0.86, 0.91][i]
                let eligible =
                    p.table == .orders
                    ? w.ordersPlaced
                    : p.types == nil
                        ? w.ticketsCreated
                        : (p.priorities == nil ? 50 + rng.int(0, 20) : [30, 8, 2][i - 3] + rng.int(0, 6))
                if p.name == "escalation" && k % 3 == 1 {
                    w.sla[i] = r
                    continue
                }
                r.eligible = eligible
                r.pending = k == 11 ? eligible / 8 : (k == 10 ? eligible / 30 : 0)
                let decided = eligible - r.pending
                let att = min(1, max(0, base + (rng.next() - 0.5) * 0.1 - (k == 11 && i == 0 ? 0.05 : 0)))
                r.met = Int((Double(decided) * att).rounded())
                r.breached = decided - r.met
                r.attainment = decided > 0 ? Double(r.met) / Double(decided) : nil
                r.p50Hours = (p.targetHours ?? 24) * (0.2 + rng.next() * 0.3)
                r.p90Hours = (p.targetHours ?? 24) * (0.8 + rng.next() * 0.6)
                w.sla[i] = r
            }
            let total = w.byType.filter { cfg.complaintTypes.map(\.name).contains($0.key) }.reduce(0) { $0 + $1.count }
            w.complaints.total = total
            var counts: [(String, Int)] = categories.enumerated().map { j, c in
                (c, max(1, [90, 70, 40, 30, 20, 10, 6][j] + rng.int(-15, 15) + (k == 11 && j == 1 ? 60 : 0)))
            }
            counts.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            w.complaints.top = counts.prefix(3).map { c, n in
                CategoryCount(category: c, count: n, share: Double(n) / Double(total), previousCount: prevCats[c] ?? 0)
            }
            prevCats = Dictionary(uniqueKeysWithValues: counts)
            let dist = [
                18 + rng.int(0, 10), 12 + rng.int(0, 6), 30 + rng.int(0, 10), 90 + rng.int(0, 20), 160 + rng.int(0, 40),
            ]
            let n = dist.reduce(0, +)
            w.satisfaction.responses = n
            w.satisfaction.distribution = dist
            w.satisfaction.mean = Double(dist.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(n)
            w.satisfaction.csat = Double(dist[3] + dist[4]) / Double(n)
            w.satisfaction.lowScores = dist[0] + dist[1]
            w.satisfaction.responseRate = Double(n) / Double(w.ticketsResolved)
            w.logistics.shipments = 4900 + rng.int(-300, 300)
            w.logistics.delivered = w.logistics.shipments - rng.int(100, 400)
            w.logistics.stalled = rng.int(40, 120)
            w.logistics.exceptions = [
                KeyCount("damaged", rng.int(5, 20)), KeyCount("lost", rng.int(0, 5)),
                KeyCount("no_update", rng.int(10, 40)), KeyCount("wrong_item", rng.int(0, 8)),
            ]
            w.logistics.p50DeliveryHours = 40 + rng.next() * 10
            w.logistics.p90DeliveryHours = 90 + rng.next() * 30
            if k == 11 {
                w.alerts = [
                    Alert(
                        kind: "product_complaints", subject: "SKU-88231 蓝牙耳机", value: 7, threshold: 3,
                        valueIsCount: true, thresholdIsCount: true),
                    Alert(
                        kind: "product_complaints", subject: "SKU-10020", value: 4, threshold: 3, valueIsCount: true,
                        thresholdIsCount: true),
                    Alert(
                        kind: "merchant_complaint_rate", subject: "M-旗舰店-07", value: 0.0312, threshold: 0.02,
                        valueIsCount: false, thresholdIsCount: false),
                    Alert(
                        kind: "category_spike", subject: "物流延迟", value: 131, threshold: 2, valueIsCount: true,
                        thresholdIsCount: false),
                ]
            }
            w.agents = agents.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }.map { name in
                var a = AgentSummary(agent: name)
                a.tickets = 60 + rng.int(0, 60)
                a.sla = cfg.policies.map { p in
                    var r = AgentPolicyResult(policy: p.name)
                    if ["first_response", "resolution_3bd", "survey_followup"].contains(p.name) {
                        r.met = a.tickets - rng.int(0, 12)
                        r.breached = a.tickets - r.met
                        r.attainment = Double(r.met) / Double(a.tickets)
                    }
                    return r
                }
                a.responses = rng.int(10, 40)
                a.mean = 3.6 + rng.next()
                a.csat = 0.7 + rng.next() * 0.25
                return a
            }
            w.dataQuality.invalidDurations = rng.int(0, 4)
            w.dataQuality.invalidScores = rng.int(0, 2)
            let b0 = w.ticketsCreated
            w.responseBuckets = [
                b0 * 45 / 100, b0 * 25 / 100, b0 * 12 / 100, b0 * 10 / 100, b0 * 3 / 100, b0 * 1 / 100,
            ]
            w.responseBuckets.append(b0 - w.responseBuckets.reduce(0, +))
            let start = Int64(monday) * 86_400 - 8 * 3600 + 9 * 3600
            for t in 0..<(k == 11 ? 73 : 12) {
                w.breaches.append(
                    BreachRecord(
                        ticketID: "TK2026\(wk.yearAndWeek.week)\(1000 + t)",
                        orderID: t % 5 == 0 ? "" : "=HYPERLINK(\"x\")",
                        policy: t % 3 == 0 ? "first_response" : "complaint_normal",
                        start: start + Int64(t) * 3700, stop: t % 4 == 0 ? .missing : start + Int64(t) * 3700 + 100_000,
                        elapsedHours: 27.7778 + Double(t), targetHours: t % 3 == 0 ? 24 : 1,
                        state: t % 4 == 0 ? "breached_open" : "breached"))
            }
            weeks.append(w)
        }
        var orders = TableStats(table: .orders)
        orders.files = 2
        orders.rowsRead = 63_511
        orders.accepted = 63_490
        orders.rejected = 21
        orders.duplicatesMerged = 1_204
        orders.unique = 62_286
        var tickets = TableStats(table: .tickets)
        tickets.files = 1
        tickets.rowsRead = 7_480
        tickets.accepted = 7_475
        tickets.rejected = 5
        tickets.duplicatesMerged = 310
        tickets.unique = 7_165
        var f = FileStats(path: "sample-data/tickets.csv.gz", table: .tickets)
        f.bytes = 301_233
        f.sha256 = String(repeating: "ab", count: 32)
        f.gzip = true
        f.rowsRead = 7_480
        f.accepted = 7_475
        f.rejectedByKind = [.badTimestamp: 3, .fieldCount: 2]
        let run = RunInfo(
            asOf: 1_795_392_000, toolVersion: "0.1.0-demo", configSource: "built-in",
            configHash: "0f" + String(repeating: "1e", count: 31),
            files: [f], tables: [orders, tickets], rejectCount: 26, timings: [("read", 1.25), ("render", 0.0625)])
        let rejects = [
            Reject(
                table: .tickets, location: RowLocation(file: "sample-data/tickets.csv.gz", line: 17, record: 16),
                kind: .badTimestamp, reason: "column 5 (created_at): \"2026-02-30 10:00\"",
                raw: ["T17", "=cmd|' /C calc'!A0", "2026-02-30 10:00", "a,b", "say \"hi\""])
        ]
        return (cfg, run, weeks, rejects)
    }
}

/// The text of one rendered file ("<missing …>" when absent).
func renderedText(_ files: [(path: String, bytes: [UInt8])], _ path: String) -> String {
    guard let f = files.first(where: { $0.path == path }) else { return "<missing \(path)>" }
    return String(decoding: f.bytes, as: UTF8.self)
}
