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
        var records = complaints.records
        orders.join(&records, poolCount: pool.count)

        // Counts keyed by week << 32 | id.
        var products: [Int64: Int] = [:]
        var merchants: [Int64: Int] = [:]
        for r in records {
            let w = Int(r.week)
            if r.product != .none { products[AgentAccumulator.key(week: w, agent: r.product), default: 0] += 1 }
            if r.merchant != .none { merchants[AgentAccumulator.key(week: w, agent: r.merchant), default: 0] += 1 }
        }

        var out: [Int: [Alert]] = [:]
        for (k, n) in products where n >= cfg.productComplaints {
            let (w, p) = Self.split(k)
            out[w, default: []].append(
                Alert(kind: "product_complaints", subject: pool.string(p), value: Double(n),
                      threshold: Double(cfg.productComplaints), valueIsCount: true, thresholdIsCount: true))
        }
        for (k, n) in merchants {
            let (w, mid) = Self.split(k)
            let placed = orders.orders(week: w, merchant: mid)
            guard placed > 0, placed >= cfg.merchantMinOrders else { continue }
            let rate = Double(n) / Double(placed)
            if rate >= cfg.merchantComplaintRate {
                out[w, default: []].append(
                    Alert(kind: "merchant_complaint_rate", subject: pool.string(mid), value: rate,
                          threshold: cfg.merchantComplaintRate, valueIsCount: false, thresholdIsCount: false))
            }
        }
        for (w, cur) in categoryCounts where w != firstWeek {
            let prev = categoryCounts[w - 1]?.byCategory ?? [:]
            for (c, n) in cur.byCategory {
                let before = prev[c] ?? 0
                if n >= cfg.categorySpikeMin && Double(n) >= cfg.categorySpikeRatio * Double(before) {
                    out[w, default: []].append(
                        Alert(kind: "category_spike", subject: c, value: Double(n), threshold: cfg.categorySpikeRatio,
                              valueIsCount: true, thresholdIsCount: false))
                }
            }
        }
        for w in out.keys { out[w]!.sort(by: Self.order) }
        return out
    }

    static func split(_ k: Int64) -> (week: Int, id: StrID) {
        (Int(k >> 32), StrID(bitPattern: UInt32(truncatingIfNeeded: k)))
    }

    static let kindRank = ["product_complaints": 0, "merchant_complaint_rate": 1, "category_spike": 2]

    static func order(_ a: Alert, _ b: Alert) -> Bool {
        let ka = kindRank[a.kind] ?? 3
        let kb = kindRank[b.kind] ?? 3
        if ka != kb { return ka < kb }
        if a.value != b.value { return a.value > b.value }
        return a.subject.utf8.lexicographicallyPrecedes(b.subject.utf8)
    }
}
