/// Orders (SPEC 5 "Volume" and the merchant complaint rate): orders placed per week, orders per
/// merchant and week, and each order's product and merchant for tickets that lack them.
public struct OrderAccumulator: Sendable {
    struct Ref: Sendable {
        var order: StrID
        var product: StrID
        var merchant: StrID
    }

    var placed = WeekSeries<Int>(empty: 0)
    /// Key: week index << 32 | merchant StrID.
    var merchantOrders: [Int64: Int] = [:]
    /// Orders that carry a product or a merchant (the join side for tickets).
    var refs: [Ref] = []

    public init() {}

    mutating func add(order o: OrderRow, week w: Int) {
        placed[w] += 1
        if o.merchant != .none { merchantOrders[AgentAccumulator.key(week: w, agent: o.merchant), default: 0] += 1 }
        if o.product != .none || o.merchant != .none {
            refs.append(Ref(order: o.orderID, product: o.product, merchant: o.merchant))
        }
    }

    public mutating func merge(_ other: OrderAccumulator) {
        placed.merge(other.placed) { $0 += $1 }
        merchantOrders.merge(other.merchantOrders) { $0 + $1 }
        refs += other.refs
    }

    /// Product and merchant of the given orders (only those asked for, so the map stays small).
    /// When an order id appears more than once (not deduplicated upstream), the last ref wins.
    func lookup(_ wanted: Set<StrID>) -> [StrID: (product: StrID, merchant: StrID)] {
        var out: [StrID: (product: StrID, merchant: StrID)] = [:]
        if wanted.isEmpty { return out }
        for r in refs where wanted.contains(r.order) { out[r.order] = (r.product, r.merchant) }
        return out
    }

    func orders(week: Int, merchant: StrID) -> Int {
        merchantOrders[AgentAccumulator.key(week: week, agent: merchant)] ?? 0
    }
}
