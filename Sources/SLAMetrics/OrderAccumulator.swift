import SLAFast
import SLAModel

/// Orders (SPEC 5 "Volume" and the merchant complaint rate): orders placed per week, orders per
/// merchant and week, and each order's product and merchant for tickets that lack them.
public struct OrderAccumulator: Sendable {
    struct Ref: Sendable {
        var order: StrID
        var product: StrID
        var merchant: StrID
    }

    var placed = WeekSeries<Int>(empty: 0)
    /// Orders per merchant and per product and week: keys week index << 32 | StrID.
    var merchantOrders = KeyCounts()
    var productOrders = KeyCounts()
    /// Orders that carry a product or a merchant (the join side for tickets).
    var refs = Chunked<Ref>()

    public init() {}

    mutating func reserveCapacity(_ n: Int) { refs.reserveCapacity(n) }

    mutating func add(order o: OrderRow, week w: Int) {
        placed[w] += 1
        if o.merchant != .none { merchantOrders.add(AgentAccumulator.key(week: w, agent: o.merchant)) }
        if o.product != .none { productOrders.add(AgentAccumulator.key(week: w, agent: o.product)) }
        if o.product != .none || o.merchant != .none {
            refs.append(Ref(order: o.orderID, product: o.product, merchant: o.merchant))
        }
    }

    public mutating func merge(_ other: OrderAccumulator) {
        placed.merge(other.placed) { $0 += $1 }
        other.merchantOrders.forEach { merchantOrders.add($0, $1) }
        other.productOrders.forEach { productOrders.add($0, $1) }
        refs.merge(other.refs)
    }

    /// The orders of the complaint records that lack a product or a merchant, with their ref:
    /// only those (tens of thousands) are looked up while the refs (a million) stream past.
    /// When an order id appears more than once (not deduplicated upstream), the last ref wins.
    func join(_ records: Chunked<ComplaintAccumulator.Record>, poolCount: Int) -> OrderJoin {
        var j = OrderJoin(poolCount: poolCount)
        // A bit per order id asked for: most refs are rejected by it without a hash lookup.
        var asked = [UInt64](repeating: 0, count: poolCount / 64 + 1)
        records.forEach { r in
            if (r.product == .none || r.merchant == .none) && r.order >= 0 && Int(r.order) < poolCount,
                j.keys.insert(Int64(r.order)).inserted
            {
                j.refs.append(nil)
                asked[Int(r.order) >> 6] |= 1 << UInt64(r.order & 63)
            }
        }
        if j.keys.count == 0 { return j }
        refs.forEach { ref in
            guard ref.order >= 0 && Int(ref.order) < poolCount,
                asked[Int(ref.order) >> 6] & (1 << UInt64(ref.order & 63)) != 0,
                let k = j.keys.find(Int64(ref.order))
            else { return }
            j.refs[k] = ref
        }
        return j
    }

    func orders(week: Int, merchant: StrID) -> Int {
        merchantOrders.count(AgentAccumulator.key(week: week, agent: merchant))
    }

    func orders(week: Int, product: StrID) -> Int {
        productOrders.count(AgentAccumulator.key(week: week, agent: product))
    }
}

/// Order refs by order id for `OrderAccumulator.join`.
struct OrderJoin {
    let poolCount: Int
    var keys = DenseKeys()
    var refs: [OrderAccumulator.Ref?] = []

    init(poolCount: Int) { self.poolCount = poolCount }

    /// The ref of an order asked for in `join`, nil when it has none.
    func ref(_ order: StrID) -> OrderAccumulator.Ref? {
        guard order >= 0 && Int(order) < poolCount, let k = keys.find(Int64(order)) else { return nil }
        return refs[k]
    }
}
