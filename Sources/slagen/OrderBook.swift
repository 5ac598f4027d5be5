import Foundation
import SLAModel
import SLAReport

/// The span of the data: local days [firstDay, endDay], nothing stamped after `cutoff`.
struct Span: Sendable {
    let firstDay: Int
    let endDay: Int
    var days: Int { endDay - firstDay + 1 }
    /// The export moment: the last second of the end day. Later events have not happened yet.
    var cutoff: Int64 { Int64(endDay + 1) * Clock.day - 1 }

    /// Day weight of orders: weekends a little busier, the 双十一 (Nov 11) and 618 sales, 国庆.
    func orderWeight(_ day: Int, noise: Double) -> Double {
        let c = CivilDate.civil(day)
        var w = 1.0 + 0.15 * Double(day - firstDay) / Double(max(1, days))
        if CivilDate.weekday(day) >= 6 { w *= 1.12 }
        switch (c.month, c.day) {
        case (11, 11): w *= 3.2
        case (11, 10), (11, 12): w *= 1.7
        case (11, 1...9): w *= 1.2
        case (6, 18): w *= 2.4
        case (10, 1...7): w *= 1.25
        default: break
        }
        return w * noise
    }

    static func isNationalDay(_ day: Int) -> Bool {
        let c = CivilDate.civil(day)
        return c.month == 10 && c.day <= 7
    }
}

/// All orders and their shipments, held in parallel arrays (1 M orders ≈ 100 MB), sorted by
/// `ordered_at`. Timestamps are local seconds, -1 = empty.
struct OrderBook: Sendable {
    var orderedAt: [Int64] = []
    var paidAt: [Int64] = []
    var shippedAt: [Int64] = []
    var signedAt: [Int64] = []
    var updatedAt: [Int64] = []
    /// Paid, then cancelled before shipping (no ship or sign times). Recorded from the draw the
    /// timeline already made, so keeping it costs no randomness.
    var canceled: [Bool] = []
    var customer: [Int32] = []
    var product: [Int32] = []
    var amountCents: [Int32] = []
    var carrier: [UInt8] = []
    /// Events of order i: evStart[i] ..< evStart[i+1].
    var evStart: [Int32] = [0]
    var evAt: [Int64] = []
    var evKind: [UInt8] = []
    /// Exception type index, 255 = none.
    var evException: [UInt8] = []

    var count: Int { orderedAt.count }

    static let orderHours: [Double] = [
        2.0, 1.2, 0.6, 0.3, 0.2, 0.3, 0.7, 1.5, 2.5, 3.5, 4.5, 4.5, 4.5, 4, 4.2, 4.2, 4, 3.8, 4, 5, 6, 6.5, 5.5, 3.5,
    ]

    init(count n: Int, span: Span, shop: Shop, rng: inout PRNG) {
        let weights = (0..<span.days).map { span.orderWeight(span.firstDay + $0, noise: 0.9 + 0.2 * rng.unit()) }
        orderedAt = Clock.spread(
            total: n, firstDay: span.firstDay, weights: weights, hourCDF: cumulative(OrderBook.orderHours), rng: &rng)
        paidAt.reserveCapacity(n)
        shippedAt.reserveCapacity(n)
        signedAt.reserveCapacity(n)
        updatedAt.reserveCapacity(n)
        canceled.reserveCapacity(n)
        customer.reserveCapacity(n)
        product.reserveCapacity(n)
        amountCents.reserveCapacity(n)
        carrier.reserveCapacity(n)
        evStart.reserveCapacity(n + 1)
        evAt.reserveCapacity(n * 4)
        evKind.reserveCapacity(n * 4)
        evException.reserveCapacity(n * 4)
        let carrierCDF = cumulative(Vocabulary.carriers.map(\.weight))
        let excCDF = cumulative(Vocabulary.exceptionWeights)
        let cut = span.cutoff
        for i in 0..<n {
            let t0 = orderedAt[i]
            let p = shop.randomProduct(&rng)
            product.append(Int32(p))
            customer.append(Int32(rng.below(shop.customerCount)))
            let qty = rng.chance(0.88) ? 1 : rng.int(2, 3)
            var cents = Int(shop.productPriceCents[p]) * qty
            if rng.chance(0.3) { cents = cents * rng.int(80, 97) / 100 }  // coupon
            amountCents.append(Int32(cents))
            carrier.append(UInt8(rng.pick(carrierCDF)))
            var last = t0
            // Paid within minutes; 2 % never paid.
            var paid: Int64 = -1
            if !rng.chance(0.02) {
                paid = t0 + 20 + rng.logNormal(median: 90, sigma: 1.2)
                if paid > cut { paid = -1 } else { last = paid }
            }
            var shipped: Int64 = -1
            var signed: Int64 = -1
            // 1.2 % cancelled before shipping.
            let cancel = paid >= 0 && rng.chance(0.012)
            if paid >= 0 && !cancel {
                let holiday = Span.isNationalDay(Clock.dayOf(paid)) ? 1.6 : 1.0
                var s = paid + rng.logNormal(median: 15 * 3600 * holiday, sigma: 0.7)
                s = Clock.nextOpen(s, open: 8, close: 20, rng: &rng, queue: 3 * 3600)
                if s <= cut {
                    shipped = s
                    last = s
                    signed = shipment(from: s, rng: &rng, excCDF: excCDF, cut: cut, last: &last)
                }
            }
            paidAt.append(paid)
            canceled.append(cancel)
            shippedAt.append(shipped)
            signedAt.append(signed)
            updatedAt.append(min(cut, last + 1 + Int64(rng.below(1800))))
            evStart.append(Int32(evAt.count))
        }
    }

    /// Appends the tracking events of one shipment; returns the delivery time or -1.
    private mutating func shipment(from s: Int64, rng: inout PRNG, excCDF: [Double], cut: Int64, last: inout Int64)
        -> Int64
    {
        var t = s + 600 + Int64(rng.below(3 * 3600))
        var delivered: Int64 = -1
        func add(_ kind: UInt8, _ at: Int64, _ exc: UInt8 = 255) -> Bool {
            if at > cut { return false }
            evAt.append(at)
            evKind.append(kind)
            evException.append(exc)
            last = at
            return true
        }
        guard add(0, t) else { return -1 }
        // Around 双十一 the network clogs: more long gaps.
        let c = CivilDate.civil(Clock.dayOf(s))
        let peak = c.month == 11 && (10...15).contains(c.day)
        var longGap = rng.chance(peak ? 0.16 : 0.04)
        let r = rng.unit()
        let transits = r < 0.12 ? 0 : (r < 0.82 ? 1 : 2)
        for _ in 0..<transits {
            t += 3 * 3600 + Int64(rng.below(13 * 3600))
            if longGap {
                t += 25 * 3600 + Int64(rng.below(48 * 3600))
                longGap = false
            }
            guard add(1, t) else { return -1 }
        }
        if longGap { t += 25 * 3600 + Int64(rng.below(40 * 3600)) }
        var after: UInt8 = 255
        if rng.chance(0.025) {
            let e = UInt8(rng.pick(excCDF))
            switch e {
            case 1:  // lost: the parcel never arrives
                t += 2 * 3600 + Int64(rng.below(28 * 3600))
                _ = add(4, t, e)
                return -1
            case 5:  // no tracking update for more than a day
                t += 26 * 3600 + Int64(rng.below(34 * 3600))
                guard add(4, t, e) else { return -1 }
            case 2, 3, 4:  // found at or after delivery
                after = e
            default:
                t += 3600 + Int64(rng.below(9 * 3600))
                guard add(4, t, e) else { return -1 }
            }
        }
        if rng.chance(0.006) { return -1 }  // stuck in the network, never delivered
        t += 2 * 3600 + Int64(rng.below(6 * 3600))
        t = Clock.nextOpen(t, open: 7, close: 19, rng: &rng, queue: 3 * 3600)
        if rng.chance(0.88) {
            guard add(2, t) else { return -1 }
        }
        t += 1200 + Int64(rng.below(6 * 3600))
        guard add(3, t) else { return -1 }
        delivered = t
        if after != 255 {
            _ = add(4, t + 3600 + Int64(rng.below(30 * 3600)), after)
        }
        return delivered
    }

    /// Index of the first order placed at or after t.
    func firstOrder(atOrAfter t: Int64) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if orderedAt[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
