/// Early warnings (SPEC 5 "Alerts") over the complaint tickets created in a week:
/// - `product_complaints`: a product with ≥ `alerts.product_complaints` complaints
///   (value = count, threshold = that number);
/// - `merchant_complaint_rate`: complaints / orders the merchant placed in the week
///   ≥ `alerts.merchant_complaint_rate`, with ≥ `alerts.merchant_min_orders` orders and at least
///   one order (value = the rate);
/// - `category_spike`: count ≥ `category_spike_ratio` × the previous week's count and
///   ≥ `category_spike_min` (value = count, threshold = the ratio). A category absent in the
///   previous week (0) spikes as soon as it reaches the minimum. Never in the first week.
/// A ticket's empty product or merchant comes from its order. Sorted by kind in that order,
/// then value descending, then subject (byte order).
enum Alerts {
    static func compute(complaints: ComplaintAccumulator, orders: OrderAccumulator,
                        categoryCounts: [Int: (total: Int, byCategory: [String: Int])], firstWeek: Int,
                        context ctx: MetricsContext) -> [Int: [Alert]] {
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

        // Alerts per week with their kind's rank (the first sort key).
        var out: [Int: [(rank: Int, alert: Alert)]] = [:]
        products.forEach { k, n in
            guard n >= cfg.productComplaints else { return }
            let (w, p) = Self.split(k)
            out[w, default: []].append(
                (0, Alert(kind: "product_complaints", subject: pool.string(p), value: Double(n),
                          threshold: Double(cfg.productComplaints), valueIsCount: true, thresholdIsCount: true)))
        }
        merchants.forEach { k, n in
            let (w, mid) = Self.split(k)
            let placed = orders.orders(week: w, merchant: mid)
            guard placed > 0, placed >= cfg.merchantMinOrders else { return }
            let rate = Double(n) / Double(placed)
            if rate >= cfg.merchantComplaintRate {
                out[w, default: []].append(
                    (1, Alert(kind: "merchant_complaint_rate", subject: pool.string(mid), value: rate,
                              threshold: cfg.merchantComplaintRate, valueIsCount: false, thresholdIsCount: false)))
            }
        }
        for (w, cur) in categoryCounts where w != firstWeek {
            let prev = categoryCounts[w - 1]?.byCategory ?? [:]
            for (c, n) in cur.byCategory {
                let before = prev[c] ?? 0
                if n >= cfg.categorySpikeMin && Double(n) >= cfg.categorySpikeRatio * Double(before) {
                    out[w, default: []].append(
                        (2, Alert(kind: "category_spike", subject: c, value: Double(n), threshold: cfg.categorySpikeRatio,
                                  valueIsCount: true, thresholdIsCount: false)))
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
struct KeyCounts {
    private var keys = DenseKeys()
    private var counts: [Int] = []

    @inline(__always)
    mutating func add(_ key: Int64, _ n: Int = 1) {
        let (i, inserted) = keys.insert(key)
        if inserted { counts.append(n) } else { counts[i] += n }
    }

    /// Each key with its count, in first-added order.
    func forEach(_ body: (Int64, Int) -> Void) {
        for (i, k) in keys.keys.enumerated() { body(k, counts[i]) }
    }
}
