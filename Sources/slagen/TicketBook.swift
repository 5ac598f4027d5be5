import Foundation
import SLAModel
import SLAReport

/// One ticket; timestamps are local seconds, -1 = empty; enum fields index `Vocabulary` arrays.
struct Ticket: Sendable {
    var order: Int32 = -1
    var product: Int32 = -1
    /// When false the ticket's product_id and merchant_id are left empty (joined from the order).
    var showIds = true
    var created: Int64 = -1
    var firstResponse: Int64 = -1
    var faultConfirmed: Int64 = -1
    var repairPlan: Int64 = -1
    var planRejected: Int64 = -1
    var escalated: Int64 = -1
    var resolved: Int64 = -1
    var surveyed: Int64 = -1
    var updated: Int64 = -1
    var channel: UInt8 = 0
    /// 0 = none, 1...40 = A01...A40.
    var agent: UInt8 = 0
    var type: UInt8 = 0
    var category: UInt8 = 0
    var priority: UInt8 = 0
    /// 0 = none, 1...5.
    var satisfaction: UInt8 = 0
    var responsibility: UInt8 = 0

    /// The same ticket as an earlier export saw it: everything after `t` not yet happened.
    func snapshot(at t: Int64) -> Ticket {
        var s = self
        for kp in [
            \Ticket.firstResponse, \.faultConfirmed, \.repairPlan, \.planRejected, \.escalated, \.resolved, \.surveyed,
        ]
        where s[keyPath: kp] > t {
            s[keyPath: kp] = -1
        }
        if s.resolved < 0 {
            s.satisfaction = 0
            s.responsibility = 0
            s.surveyed = -1
        }
        if s.surveyed < 0 && self.surveyed >= 0 { s.satisfaction = 0 }
        s.updated = t
        return s
    }
}

/// Facts the report should find, chosen while generating (for the manifest).
struct TicketPlan: Sendable {
    var spikeWeekMonday = -1
    var badProduct = -1
    var badWeeks: [Int] = []
    var badTickets = 0
}

/// All tickets, sorted by `created_at`.
struct TicketBook: Sendable {
    var tickets: [Ticket] = []
    var plan = TicketPlan()

    static let hours: [Double] = [
        0.4, 0.25, 0.15, 0.1, 0.1, 0.15, 0.4, 1, 2.5, 5, 6.5, 6, 4.5, 5, 6, 6, 5.5, 5, 3.5, 3, 3, 2.5, 1.6, 0.9,
    ]
    static let agentCount = 40

    /// Response-speed factor per agent: most near 1, a few slow ones (A07, A23, A31) and one fast.
    static func agentSpeed(_ a: Int, _ rng: inout PRNG) -> Double {
        switch a {
        case 7: return 2.6
        case 23: return 2.2
        case 31: return 1.8
        case 12: return 0.5
        default: return 0.75 + 0.5 * rng.unit()
        }
    }

    init(count n: Int, span: Span, shop: Shop, orders: OrderBook, rng: inout PRNG) {
        let cut = span.cutoff
        // Spike week: the week of 双十一 when inside the span (and not its first week), else mid-span.
        var spike = -1
        let nov11 = CivilDate.days(year: CivilDate.civil(span.endDay).year, month: 11, day: 11)
        let firstMonday = ISOWeek(day: span.firstDay).monday
        if nov11 >= span.firstDay, nov11 <= span.endDay, ISOWeek(day: nov11).monday > firstMonday + 7 {
            spike = ISOWeek(day: nov11).monday
        } else if span.days >= 21 {
            spike = ISOWeek(day: span.firstDay + span.days / 2).monday
        }
        plan.spikeWeekMonday = spike
        // Ticket volume follows the orders of the previous week.
        var orderW = (0..<span.days).map { span.orderWeight(span.firstDay + $0, noise: 1) }
        orderW = orderW.indices.map { i in
            let lo = max(0, i - 7)
            var s = 0.0
            for j in lo...i { s += orderW[j] }
            var w = s / Double(i - lo + 1)
            let day = span.firstDay + i
            if CivilDate.weekday(day) >= 6 { w *= 0.85 }
            if Span.isNationalDay(day) { w *= 0.9 }
            if spike >= 0 && day >= spike && day < spike + 7 { w *= 1.35 }
            return w
        }
        let created = Clock.spread(
            total: n, firstDay: span.firstDay, weights: orderW, hourCDF: cumulative(TicketBook.hours), rng: &rng)

        // A product with a bad batch: the best-selling phone/appliance; complaints pile up in two weeks.
        var sold = [Int](repeating: 0, count: shop.productCount)
        for p in orders.product { sold[Int(p)] += 1 }
        var bad = 0
        var best = -1
        for p in 0..<shop.productCount
        where Vocabulary.categories[Int(shop.productCategory[p])].repairable && sold[p] > best {
            best = sold[p]
            bad = p
        }
        plan.badProduct = bad
        let lastMonday = ISOWeek(day: span.endDay).monday
        plan.badWeeks = [lastMonday - 14, lastMonday - 35].filter { $0 > firstMonday }
        var badOrders: [Int] = []
        for i in 0..<orders.count where orders.product[i] == Int32(bad) && orders.signedAt[i] >= 0 {
            badOrders.append(i)
        }
        let perWeek = Double(n) / Double(max(1, span.days)) * 7
        let pBad = min(0.5, 12.0 / perWeek)

        var speed: [Double] = [1]
        for a in 1...TicketBook.agentCount { speed.append(TicketBook.agentSpeed(a, &rng)) }
        let channelCDF = cumulative(Vocabulary.channelWeights)
        tickets.reserveCapacity(n)
        for c in created {
            var t = Ticket()
            t.created = c
            let weekMonday = ISOWeek(day: Clock.dayOf(c)).monday
            let inSpike = weekMonday == spike
            // The order: placed 1 hour to 25 days before.
            var o = -1
            if plan.badWeeks.contains(weekMonday) && rng.chance(pBad) {
                // Orders of the bad product signed before now.
                var k = 0
                var candidates: [Int] = []
                while k < badOrders.count {
                    let i = badOrders[k]
                    if orders.signedAt[i] < c && orders.signedAt[i] > c - 30 * Clock.day { candidates.append(i) }
                    k += 1
                }
                if !candidates.isEmpty {
                    o = candidates[rng.below(candidates.count)]
                    plan.badTickets += 1
                    t.order = Int32(o)
                    t.product = orders.product[o]
                    let r = rng.unit()
                    t.type = UInt8(r < 0.6 ? 5 : (r < 0.85 ? 1 : 3))
                    t.category = UInt8(t.type == 3 ? 12 : Vocabulary.qualityProblem)
                }
            }
            if o < 0 {
                // Most after-sales contacts concern orders a few days old.
                let lo = orders.firstOrder(atOrAfter: c - 25 * Clock.day)
                var hi = orders.firstOrder(atOrAfter: c - 36 * 3600)
                if hi <= lo || rng.chance(0.2) { hi = orders.firstOrder(atOrAfter: c - 3600) }
                if hi > lo && !rng.chance(0.03) {
                    o = lo + rng.below(hi - lo)
                    t.order = Int32(o)
                    t.product = orders.product[o]
                } else {
                    t.product = Int32(shop.randomProduct(&rng))  // pre-sale question, no order
                }
                chooseTypeAndCategory(&t, order: o, at: c, orders: orders, shop: shop, spike: inSpike, rng: &rng)
            }
            t.showIds = o < 0 || rng.chance(0.72)
            t.channel = UInt8(rng.pick(channelCDF))
            t.agent = rng.chance(0.02) ? 0 : UInt8(1 + rng.below(TicketBook.agentCount))
            if t.type == 5 {
                let r = rng.unit()
                t.priority = r < 0.72 ? 1 : (r < 0.94 ? 2 : 3)
            } else {
                let r = rng.unit()
                t.priority = r < 0.35 ? 0 : (r < 0.9 ? 1 : (r < 0.98 ? 2 : 3))
            }
            timeline(&t, speed: speed[Int(t.agent)], cut: cut, rng: &rng)
            tickets.append(t)
        }
    }

    private func chooseTypeAndCategory(
        _ t: inout Ticket, order o: Int, at c: Int64, orders: OrderBook, shop: Shop, spike: Bool, rng: inout PRNG
    ) {
        func w(_ pairs: [(Int, Double)]) -> UInt8 {
            let cdf = cumulative(pairs.map(\.1))
            return UInt8(pairs[rng.pick(cdf)].0)
        }
        let delay = spike ? 5.0 : 1.0
        if o < 0 {
            t.type = 0
            t.category = w([(16, 6), (17, 3), (14, 1)])
            return
        }
        let shipped = orders.shippedAt[o] >= 0 && orders.shippedAt[o] <= c
        let signed = orders.signedAt[o] >= 0 && orders.signedAt[o] <= c
        let cat = Vocabulary.categories[Int(shop.productCategory[Int(t.product)])]
        if !shipped {
            t.type = w([(0, 40), (4, 45), (5, 15 * delay)])
            switch t.type {
            case 0: t.category = w([(15, 3), (16, 4), (14, 1)])
            case 4: t.category = w([(18, 8), (7, 2)])
            default: t.category = w([(9, 6), (0, 2 * delay), (6, 1)])
            }
        } else if !signed {
            t.type = w([(0, 35), (5, 45 * delay), (4, 20)])
            switch t.type {
            case 0: t.category = w([(15, 1)])
            case 4: t.category = w([(7, 3), (18, 1)])
            default: t.category = w([(0, 7 * delay), (8, 1), (6, 1)])
            }
        } else {
            t.type =
                cat.repairable
                ? w([(0, 15), (1, 20), (2, 10), (3, 25), (4, 10), (5, 20)])
                : w([(0, 20), (1, 30), (2, cat.sized ? 18 : 8), (4, 15), (5, 23)])
            switch t.type {
            case 0: t.category = w([(16, 5), (14, 2), (17, 3), (15, 1)])
            case 1: t.category = w([(10, 10), (3, 6), (2, 5), (1, 4), (11, cat.sized ? 8 : 0)])
            case 2: t.category = w([(11, cat.sized ? 10 : 0), (5, 3), (3, 4), (1, 2)])
            case 3: t.category = w([(12, 6), (3, 4)])
            case 4: t.category = w([(7, 5), (4, 3), (13, 3), (19, 1)])
            default:
                t.category = w([
                    (0, 16 * delay), (1, 12), (2, 11), (3, 13), (4, 6), (5, 5), (6, 8), (7, 7), (8, 3), (19, 2),
                ])
            }
        }
    }

    /// Fills the clocks: first response, repair steps, rejection/escalation, resolution, survey.
    private func timeline(_ t: inout Ticket, speed: Double, cut: Int64, rng: inout PRNG) {
        let c = t.created
        let holiday = Span.isNationalDay(Clock.dayOf(c)) ? 2.5 : 1.0
        let s = speed * holiday
        let type = Vocabulary.TicketType(rawValue: Int(t.type))!
        // First response, during service hours 09:00-21:00 every day.
        var fr: Int64
        if t.channel == 2 {
            fr = Clock.nextOpen(c, open: 9, close: 21, rng: &rng) + Int64(rng.below(240))
        } else if type == .complaint {
            let median: Double = t.priority == 2 ? 1800 : (t.priority == 3 ? 4 * 3600 : 1000)
            fr = Clock.nextOpen(c, open: 9, close: 21, rng: &rng) + rng.logNormal(median: median * s, sigma: 0.8)
        } else {
            fr = Clock.nextOpen(c, open: 9, close: 21, rng: &rng) + rng.logNormal(median: 1.3 * 3600 * s, sigma: 1.2)
        }
        if rng.chance(0.01) { fr = c + 26 * 3600 + Int64(rng.below(40 * 3600)) }  // forgotten in a queue
        fr = max(fr, c + 5)
        t.firstResponse = fr
        var last = fr
        if type == .repair {
            t.faultConfirmed = last + rng.logNormal(median: 4 * 3600 * s, sigma: 1.0)
            t.repairPlan = t.faultConfirmed + rng.logNormal(median: 22 * 3600 * s, sigma: 0.7)
            last = t.repairPlan
        }
        if (type == .repair && rng.chance(0.10)) || ((type == .complaint || type == .ret) && rng.chance(0.04)) {
            t.planRejected = last + 3600 + Int64(rng.below(36 * 3600))
            last = t.planRejected
            if rng.chance(0.88) {
                t.escalated = last + rng.logNormal(median: 7 * 3600 * s, sigma: 1.0)
                last = t.escalated
            }
        }
        if !rng.chance(0.02) {  // 2 % stay open for good
            let d: Int64
            switch type {
            case .inquiry: d = rng.logNormal(median: 1800, sigma: 1.0)
            case .refund: d = max(0, rng.logNormal(median: 5 * 3600 * s, sigma: 1.1) - (last - c))
            case .complaint: d = rng.logNormal(median: 8 * 3600 * s, sigma: 1.2)
            case .ret, .exchange: d = rng.logNormal(median: 30 * 3600 * s, sigma: 0.8)
            case .repair: d = rng.logNormal(median: 50 * 3600 * s, sigma: 0.6)
            }
            t.resolved = last + 60 + d
            last = t.resolved
            // Follow-up call (回访) for most resolved tickets; about two thirds of those give a score,
            // and a few scores come from the app without a call.
            let called = rng.chance(0.85)
            if called {
                t.surveyed = t.resolved + rng.logNormal(median: 14 * 3600, sigma: 1.0)
                last = t.surveyed
            }
            if (called && rng.chance(0.65)) || (!called && rng.chance(0.3)) {
                let breached = t.firstResponse - c > 24 * 3600 || t.resolved - c > 5 * 24 * 3600 || t.escalated >= 0
                let weights: [Double] = breached ? [24, 14, 20, 22, 20] : [5, 4, 9, 27, 55]
                t.satisfaction = UInt8(1 + rng.pick(cumulative(weights)))
            }
            let usual = Vocabulary.ticketCategories[Int(t.category)].responsible
            let r = rng.unit()
            t.responsibility = UInt8(r < 0.08 ? 0 : (r < 0.85 ? usual : 1 + rng.below(4)))
        } else if rng.chance(0.3) {
            t.responsibility = UInt8(Vocabulary.ticketCategories[Int(t.category)].responsible)
        }
        // Not yet happened at the export moment.
        if last > cut || t.firstResponse > cut {
            t = t.snapshot(at: cut)
            if t.responsibility != 0 && rng.chance(0.6) { t.responsibility = 0 }
        }
        var u = c
        for v in [t.firstResponse, t.faultConfirmed, t.repairPlan, t.planRejected, t.escalated, t.resolved, t.surveyed]
        { u = max(u, v) }
        t.updated = min(cut, u + 1 + Int64(rng.below(1200)))
    }
}
