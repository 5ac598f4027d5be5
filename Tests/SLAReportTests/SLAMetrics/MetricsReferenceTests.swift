import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// A second, deliberately naive reading of SPEC 5 (string keys, dictionaries, a per-day loop for
/// business time, grouping logistics by dictionary) compared with the engine on random data.
@Suite("Metrics: naive reference")
struct MetricsReferenceTests {
    static func pct(_ xs: [Double], _ p: Double) -> Double? {
        if xs.isEmpty { return nil }
        let x = xs.sorted()
        let h = Double(x.count - 1) * p
        let lo = Int(h)
        if lo + 1 >= x.count { return x[lo] }
        return x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo])
    }

    static func ticketTime(_ t: TicketRow, _ column: String) -> Int64 {
        column == "due_at" ? t.dueAt : t[TicketTime(column: column)!]
    }

    static func orderTime(_ o: OrderRow, _ column: String) -> Int64 {
        switch column {
        case "ordered_at": return o.orderedAt
        case "paid_at": return o.paidAt
        case "shipped_at": return o.shippedAt
        case "signed_at": return o.signedAt
        case "promised_ship_at": return o.promisedShipAt
        case "promised_delivery_at": return o.promisedDeliveryAt
        default: return o.updatedAt
        }
    }

    @Test(arguments: ["UTC", "Asia/Shanghai", "Europe/Berlin"])
    func engineMatchesNaiveReading(zoneName: String) throws {
        let d = randomData(seed: 5, tickets: 1500, orders: 800, shipments: 600)
        let zone = try #require(ZoneRules(identifier: zoneName))
        var config = MetricsPropertyTests.config()
        config.timezone = zoneName
        config.policies.append(
            Policy(
                name: "vip", label: "VIP", channels: ["VIP"], start: .createdAt, stop: .firstResponseAt,
                targetText: "30m", targetSeconds: 1800, clock: .wallClock))
        config.policies.append(
            Policy(
                name: "fault_2bd", label: "2bd", types: [.repair, .complaint], priorities: [.urgent, .major],
                start: .createdAt, stop: .faultConfirmedAt, targetText: "2bd", targetSeconds: 18 * 3600,
                clock: .business))
        let asOf = utcTime(2026, 11, 1, 15)
        let got = MetricsEngine(config: config, zone: zone, asOf: asOf, pool: d.pool)
            .compute(orders: d.orders, tickets: d.tickets, logistics: d.logistics)
        let byWeek = Dictionary(uniqueKeysWithValues: got.map { ($0.week, $0) })
        let pool = d.pool
        func wk(_ t: Int64) -> String { ISOWeek(index: ISOWeek.index(utc: t, zone: zone)).name }
        func str(_ id: StrID) -> String { id == .none ? "(none)" : pool.string(id) }

        // Volume.
        var placed: [String: Int] = [:]
        for o in d.orders { placed[wk(o.orderedAt), default: 0] += 1 }
        var created: [String: Int] = [:]
        var resolved: [String: Int] = [:]
        var channels: [String: [String: Int]] = [:]
        for t in d.tickets {
            created[wk(t[.createdAt]), default: 0] += 1
            channels[wk(t[.createdAt]), default: [:]][str(t.channel), default: 0] += 1
            if t[.resolvedAt] != .missing { resolved[wk(t[.resolvedAt]), default: 0] += 1 }
        }
        for s in got {
            #expect(s.ordersPlaced == placed[s.week] ?? 0)
            #expect(s.ticketsCreated == created[s.week] ?? 0)
            #expect(s.ticketsResolved == resolved[s.week] ?? 0)
            #expect(
                s.byChannel
                    == (channels[s.week] ?? [:]).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .map { KeyCount($0.key, $0.value) })
        }

        // SLA: (start, stop) of every row a policy applies to, read by column name.
        func clocks(_ p: Policy) -> [(Int64, Int64)] {
            if p.table == .orders {
                return d.orders.map { (Self.orderTime($0, p.start), Self.orderTime($0, p.stop)) }
            }
            return d.tickets.compactMap { t in
                if let ty = p.types, !ty.contains(t.type) { return nil }
                if let pr = p.priorities, !pr.contains(t.priority) { return nil }
                if let ch = p.channels, !ch.contains(pool.string(t.channel)) { return nil }
                return (Self.ticketTime(t, p.start), Self.ticketTime(t, p.stop))
            }
        }
        #expect(config.policies.contains { $0.table == .orders }, "the default ship_24h measures orders")
        for (pi, p) in config.policies.enumerated() {
            var met: [String: Int] = [:]
            var breached: [String: Int] = [:]
            var pending: [String: Int] = [:]
            var invalid: [String: Int] = [:]
            var hours: [String: [Double]] = [:]
            for (start, stop) in clocks(p) {
                if start == .missing { continue }
                let w = wk(start)
                func el(_ to: Int64) -> Int64 {
                    p.clock == .business
                        ? MetricsBusinessCalendarTests.reference(config.calendar, zone, start, to)
                        : max(0, to - start)
                }
                if stop != .missing && stop < start {
                    invalid[w, default: 0] += 1
                } else if stop != .missing {
                    let e = el(stop)
                    if e <= p.targetSeconds { met[w, default: 0] += 1 } else { breached[w, default: 0] += 1 }
                    hours[w, default: []].append(Double(e) / 3600)
                } else if el(asOf) > p.targetSeconds {
                    breached[w, default: 0] += 1
                } else {
                    pending[w, default: 0] += 1
                }
            }
            for s in got {
                let r = s.sla[pi]
                #expect(r.policy == p.name)
                #expect(r.met == met[s.week] ?? 0, "\(p.name) \(s.week)")
                #expect(r.breached == breached[s.week] ?? 0, "\(p.name) \(s.week)")
                #expect(r.pending == pending[s.week] ?? 0, "\(p.name) \(s.week)")
                let h = hours[s.week] ?? []
                #expect(r.p50Hours == Self.pct(h, 0.5))
                #expect(r.p90Hours == Self.pct(h, 0.9))
                _ = invalid
            }
        }
        // invalid_durations: one per ticket and policy, in the start's week.
        var invalid: [String: Int] = [:]
        var breachCount: [String: Int] = [:]
        for p in config.policies {
            for (start, stop) in clocks(p) where start != .missing && stop != .missing && stop < start {
                invalid[wk(start), default: 0] += 1
            }
        }
        for s in got {
            #expect(s.dataQuality.invalidDurations == invalid[s.week] ?? 0)
            breachCount[s.week] = s.sla.reduce(0) { $0 + $1.breached }
            #expect(s.breaches.count == breachCount[s.week])
        }

        // Complaints.
        var comp: [String: [String: Int]] = [:]
        for t in d.tickets where config.complaintTypes.contains(t.type) {
            comp[wk(t[.createdAt]), default: [:]][str(t.category), default: 0] += 1
        }
        for s in got {
            let m = comp[s.week] ?? [:]
            let total = m.values.reduce(0, +)
            #expect(s.complaints.total == total)
            let prevName = ISOWeek(name: s.week)!.previous.name
            let top = m.sorted {
                $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)
            }
            .prefix(config.topN)
            .map {
                CategoryCount(
                    category: $0.key, count: $0.value, share: Double($0.value) / Double(total),
                    previousCount: comp[prevName]?[$0.key] ?? 0)
            }
            #expect(s.complaints.top == top)
        }

        // Satisfaction.
        for s in got {
            var scores: [Int] = []
            var invalidScores = 0
            var res = 0
            var resScored = 0
            for t in d.tickets {
                let sw = t[.surveyedAt] != .missing ? t[.surveyedAt] : t[.resolvedAt]
                if sw != .missing && wk(sw) == s.week {
                    if t.satisfaction >= 1 { scores.append(Int(t.satisfaction)) }
                    if t.satisfactionInvalid { invalidScores += 1 }
                }
                if t[.resolvedAt] != .missing && wk(t[.resolvedAt]) == s.week {
                    res += 1
                    if t.satisfaction >= 1 { resScored += 1 }
                }
            }
            #expect(s.satisfaction.responses == scores.count)
            #expect(s.satisfaction.distribution == (1...5).map { v in scores.filter { $0 == v }.count })
            #expect(s.satisfaction.lowScores == scores.filter { $0 <= 2 }.count)
            #expect(s.satisfaction.mean == (scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count)))
            #expect(s.satisfaction.responseRate == (res == 0 ? nil : Double(resScored) / Double(res)))
            #expect(s.dataQuality.invalidScores == invalidScores)
        }

        // Logistics.
        var groups: [StrID: [LogisticsRow]] = [:]
        for l in d.logistics { groups[l.trackingNo, default: []].append(l) }
        var ship: [String: (n: Int, delivered: Int, stalled: Int, hours: [Double])] = [:]
        for (_, g) in groups {
            let ev = g.sorted { $0.eventAt < $1.eventAt }
            let first = ev[0].eventAt
            let del = ev.filter { $0.event == .delivered }.map(\.eventAt).min()
            let upTo = ev.filter { del == nil || $0.eventAt <= del! }.map(\.eventAt)
            var stalled = zip(upTo, upTo.dropFirst()).contains { Double($1 - $0) > config.stallHours * 3600 }
            if del == nil && Double(asOf - upTo.last!) > config.stallHours * 3600 { stalled = true }
            var e = ship[wk(first)] ?? (0, 0, 0, [])
            e.n += 1
            if let del {
                e.delivered += 1
                e.hours.append(Double(del - first) / 3600)
            }
            if stalled { e.stalled += 1 }
            ship[wk(first)] = e
        }
        var exceptions: [String: [String: Int]] = [:]
        for l in d.logistics where l.event == .exception {
            exceptions[wk(l.eventAt), default: [:]][l.exception?.name ?? "(none)", default: 0] += 1
        }
        for s in got {
            let e = ship[s.week] ?? (0, 0, 0, [])
            #expect(s.logistics.shipments == e.n)
            #expect(s.logistics.delivered == e.delivered)
            #expect(s.logistics.stalled == e.stalled)
            #expect(s.logistics.p50DeliveryHours == Self.pct(e.hours, 0.5))
            #expect(s.logistics.p90DeliveryHours == Self.pct(e.hours, 0.9))
            #expect(
                s.logistics.exceptions
                    == (exceptions[s.week] ?? [:]).sorted { $0.key < $1.key }
                    .map { KeyCount($0.key, $0.value) })
        }

        // Agents: cohort sizes, tickets without an agent as "(unassigned)"; every ticket once.
        var cohort: [String: [String: Int]] = [:]
        for t in d.tickets {
            let name = t.agent == .none ? "(unassigned)" : pool.string(t.agent)
            cohort[wk(t[.createdAt]), default: [:]][name, default: 0] += 1
        }
        for s in got {
            #expect(Dictionary(uniqueKeysWithValues: s.agents.map { ($0.agent, $0.tickets) }) == cohort[s.week] ?? [:])
            #expect(s.agents.reduce(0) { $0 + $1.tickets } == s.ticketsCreated)
        }
        // The weeks span exactly the data.
        #expect(byWeek.count == got.count)
    }
}
