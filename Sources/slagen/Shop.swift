import Foundation
import SLAReport

/// Time helpers on local wall-clock seconds (seconds since 1970-01-01 00:00 as if local were
/// UTC): the generator thinks in local time, as the exports do.
enum Clock {
    static let hour: Int64 = 3600
    static let day: Int64 = 86_400

    @inline(__always) static func dayOf(_ t: Int64) -> Int { Int(t >= 0 ? t / day : (t - day + 1) / day) }
    @inline(__always) static func secondOfDay(_ t: Int64) -> Int64 { t - Int64(dayOf(t)) * day }
    @inline(__always) static func hourOf(_ t: Int64) -> Int { Int(secondOfDay(t) / hour) }

    /// The first moment at or after t inside [open, close) hours of a day, plus a small queue delay
    /// when t had to wait for opening.
    static func nextOpen(_ t: Int64, open: Int, close: Int, rng: inout PRNG, queue: Int64 = 2700) -> Int64 {
        let sod = secondOfDay(t)
        let d = Int64(dayOf(t)) * day
        if sod < Int64(open) * hour { return d + Int64(open) * hour + Int64(rng.below(Int(queue))) }
        if sod >= Int64(close) * hour { return d + day + Int64(open) * hour + Int64(rng.below(Int(queue))) }
        return t
    }

    /// Sorted local instants: `total` of them spread over the days [firstDay, firstDay+weights.count)
    /// in proportion to the day weights, hours drawn from `hourCDF`.
    static func spread(total: Int, firstDay: Int, weights: [Double], hourCDF: [Double], rng: inout PRNG) -> [Int64] {
        let sum = weights.reduce(0, +)
        var out: [Int64] = []
        out.reserveCapacity(total)
        var acc = 0.0
        var placed = 0
        for (i, w) in weights.enumerated() {
            acc += w
            let upTo = i == weights.count - 1 ? total : Int((Double(total) * acc / sum).rounded())
            let n = max(0, upTo - placed)
            placed += n
            let base = Int64(firstDay + i) * day
            let start = out.count
            for _ in 0..<n {
                let h = rng.pick(hourCDF)
                out.append(base + Int64(h) * hour + Int64(rng.below(3600)))
            }
            out[start...].sort()
        }
        return out
    }
}

/// The shop: merchants with Zipf-like sizes, their products and categories, customers.
struct Shop: Sendable {
    let merchantCount: Int
    let merchantCDF: [Double]
    /// Products of merchant m are productStart[m] ..< productStart[m+1].
    let productStart: [Int]
    let productCategory: [UInt8]
    let productMerchant: [Int32]
    let productPriceCents: [Int32]
    /// Zipf CDFs by product count, shared between merchants.
    let productCDFs: [Int: [Double]]
    let customerCount: Int

    init(orders: Int, rng: inout PRNG) {
        merchantCount = min(500, max(50, orders / 200))
        merchantCDF = cumulative(zipfWeights(merchantCount, s: 0.8))
        let catCDF = cumulative(Vocabulary.categories.map(\.weight))
        var start: [Int] = [0]
        var cat: [UInt8] = []
        var merch: [Int32] = []
        var price: [Int32] = []
        var cdfs: [Int: [Double]] = [:]
        for m in 0..<merchantCount {
            let main = rng.pick(catCDF)
            // Big merchants list more products.
            let n = 3 + Int(40 / Double(m + 1).squareRoot()) + rng.below(8)
            for _ in 0..<n {
                let c = rng.chance(0.8) ? main : rng.pick(catCDF)
                let info = Vocabulary.categories[c]
                cat.append(UInt8(c))
                merch.append(Int32(m))
                let yuan = Double(info.minPrice) * pow(Double(info.maxPrice) / Double(info.minPrice), rng.unit())
                price.append(Int32(Int(yuan) * 100 + (rng.chance(0.6) ? 0 : rng.int(0, 99))))
            }
            if cdfs[n] == nil { cdfs[n] = cumulative(zipfWeights(n, s: 0.6)) }
            start.append(cat.count)
        }
        productStart = start
        productCategory = cat
        productMerchant = merch
        productPriceCents = price
        productCDFs = cdfs
        customerCount = max(1000, orders / 3)
    }

    var productCount: Int { productCategory.count }

    func randomProduct(_ rng: inout PRNG) -> Int {
        let m = rng.pick(merchantCDF)
        let lo = productStart[m]
        let n = productStart[m + 1] - lo
        return lo + rng.pick(productCDFs[n]!)
    }
}
