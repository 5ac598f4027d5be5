import SLAFast
import SLAModel

/// Early warnings over the complaint tickets created in a period (a week or a month), relative
/// to the period's overall rate r = those tickets / orders placed in the period (undefined
/// without orders):
/// - `product_complaints`: a product with ≥ `product_complaints` such tickets and, when r is
///   defined and the product has orders in the period, a rate (its tickets / its orders) ≥
///   `product_rate_ratio` × r. value = count, threshold = `product_complaints`.
/// - `merchant_complaint_rate`: a merchant with ≥ `merchant_min_orders` orders in the period and
///   at least one such ticket, whose rate ≥ `merchant_rate_ratio` × r and ≥ the floor
///   `merchant_complaint_rate`. value = its rate, threshold = max(ratio × r, floor). None when r
///   is undefined.
/// - `category_spike`: count ≥ `category_spike_ratio` × the previous period's count and
///   ≥ `category_spike_min` (value = count, threshold = the ratio). A category absent in the
///   previous period (0) spikes as soon as it reaches the minimum. Never in the first period.
/// Each alert carries `previous`: the same kind and subject's value in the previous period, nil
/// when there is none (no tickets for a count, no orders or no tickets for a rate). A ticket's
/// empty product or merchant comes from its order. Sorted by kind in that order, then value
/// descending, then subject (byte order).
enum Alerts {
    static func compute(
        complaints: ComplaintAccumulator, orders: OrderAccumulator,
        categoryCounts: [Int: (total: Int, byCategory: [String: Int])], firstWeek: Int,
        context ctx: MetricsContext
    ) -> [Int: [Alert]] {
        let cfg = ctx.config.alerts
        let pool = ctx.pool
        // A ticket's empty product or merchant comes from its order.
        let join = orders.join(complaints.records, poolCount: pool.count)

        // Counts keyed by week << 32 | id (DenseKeys: a hashed Dictionary per key cost more than
        // the rest of the alerts together).
        var products = KeyCounts()
        var merchants = KeyCounts()
        complaints.records.forEach { r in
            var product = r.product
            var merchant = r.merchant
            if product == .none || merchant == .none, let ref = join.ref(r.order) {
                if product == .none { product = ref.product }
                if merchant == .none { merchant = ref.merchant }
            }
            let w = Int(r.week)
            if product != .none { products.add(AgentAccumulator.key(week: w, agent: product)) }
            if merchant != .none { merchants.add(AgentAccumulator.key(week: w, agent: merchant)) }
        }
        /// The period's overall rate, nil without orders.
        func overall(_ w: Int) -> Double? {
            let placed = orders.placed[w]
            return placed > 0 ? Double(categoryCounts[w]?.total ?? 0) / Double(placed) : nil
        }
        func count(_ c: KeyCounts, _ w: Int, _ id: StrID) -> Int { c.count(AgentAccumulator.key(week: w, agent: id)) }
        func merchantRate(_ w: Int, _ id: StrID) -> Double? {
            let placed = orders.orders(week: w, merchant: id)
            let n = count(merchants, w, id)
            return placed > 0 && n > 0 ? Double(n) / Double(placed) : nil
        }

        // Alerts per week with their kind's rank (the first sort key).
        var out: [Int: [(rank: Int, alert: Alert)]] = [:]
        products.forEach { k, n in
            guard n >= cfg.productComplaints else { return }
            let (w, p) = Self.split(k)
            let placed = orders.orders(week: w, product: p)
            if let r = overall(w), placed > 0, Double(n) / Double(placed) < cfg.productRateRatio * r { return }
            var a = Alert(
                kind: "product_complaints", subject: pool.string(p), value: Double(n),
                threshold: Double(cfg.productComplaints), valueIsCount: true, thresholdIsCount: true)
            let before = count(products, w - 1, p)
            a.previous = before > 0 ? Double(before) : nil
            out[w, default: []].append((0, a))
        }
        merchants.forEach { k, n in
            let (w, mid) = Self.split(k)
            let placed = orders.orders(week: w, merchant: mid)
            guard let r = overall(w), placed > 0, placed >= cfg.merchantMinOrders else { return }
            let rate = Double(n) / Double(placed)
            let threshold = max(cfg.merchantRateRatio * r, cfg.merchantComplaintRate)
            guard rate >= threshold else { return }
            var a = Alert(
                kind: "merchant_complaint_rate", subject: pool.string(mid), value: rate, threshold: threshold,
                valueIsCount: false, thresholdIsCount: false)
            a.previous = merchantRate(w - 1, mid)
            out[w, default: []].append((1, a))
        }
        for (w, cur) in categoryCounts where w != firstWeek {
            let prev = categoryCounts[w - 1]?.byCategory ?? [:]
            for (c, n) in cur.byCategory {
                let before = prev[c] ?? 0
                if n >= cfg.categorySpikeMin && Double(n) >= cfg.categorySpikeRatio * Double(before) {
                    var a = Alert(
                        kind: "category_spike", subject: c, value: Double(n), threshold: cfg.categorySpikeRatio,
                        valueIsCount: true, thresholdIsCount: false)
                    a.previous = before > 0 ? Double(before) : nil
                    out[w, default: []].append((2, a))
                }
            }
        }
        // Kind, value descending, subject (bytes): a total order (a subject appears once per kind
        // and week), so the result does not depend on the order alerts were found in.
        return out.mapValues { list in
            list.sorted { a, b in
                if a.rank != b.rank { return a.rank < b.rank }
                if a.alert.value != b.alert.value { return a.alert.value > b.alert.value }
                return a.alert.subject.utf8.lexicographicallyPrecedes(b.alert.subject.utf8)
            }.map(\.alert)
        }
    }

    static func split(_ k: Int64) -> (week: Int, id: StrID) {
        (Int(k >> 32), StrID(bitPattern: UInt32(truncatingIfNeeded: k)))
    }
}

/// How often each `Int64` key occurs.
struct KeyCounts: Sendable {
    private var keys = DenseKeys()
    private var counts: [Int] = []

    @inline(__always)
    mutating func add(_ key: Int64, _ n: Int = 1) {
        let (i, inserted) = keys.insert(key)
        if inserted { counts.append(n) } else { counts[i] += n }
    }

    /// The count of a key (0 when absent).
    func count(_ key: Int64) -> Int { keys.find(key).map { counts[$0] } ?? 0 }

    /// Each key with its count, in first-added order.
    func forEach(_ body: (Int64, Int) -> Void) {
        for (i, k) in keys.keys.enumerated() { body(k, counts[i]) }
    }
}
