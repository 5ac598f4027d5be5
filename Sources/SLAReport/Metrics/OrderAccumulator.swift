/// Orders (SPEC 5 "Volume" and the merchant complaint rate): orders placed per week, orders per
/// merchant and week, and each order's product and merchant for tickets that lack them.
public struct OrderAccumulator: Sendable {
    struct Ref: Sendable {
        var order: StrID
        var product: StrID
        var merchant: StrID
    }

    var placed = WeekSeries<Int>(empty: 0)
    /// Orders per merchant and week: keys week index << 32 | merchant StrID, counts by key number.
    var merchantKeys = DenseKeys()
    var merchantOrders: [Int] = []
    /// Orders that carry a product or a merchant (the join side for tickets).
    var refs: [Ref] = []

    public init() {}

    mutating func add(order o: OrderRow, week w: Int) {
        placed[w] += 1
        if o.merchant != .none { count(AgentAccumulator.key(week: w, agent: o.merchant), 1) }
        if o.product != .none || o.merchant != .none {
            refs.append(Ref(order: o.orderID, product: o.product, merchant: o.merchant))
        }
    }

    public mutating func merge(_ other: OrderAccumulator) {
        placed.merge(other.placed) { $0 += $1 }
        for (i, k) in other.merchantKeys.keys.enumerated() { count(k, other.merchantOrders[i]) }
        refs += other.refs
    }

    /// Fills empty products and merchants from the records' orders, in place. A dense array
    /// indexed by order StrID (sized to the pool) makes the join linear without hashing.
    /// When an order id appears more than once (not deduplicated upstream), the last ref wins.
    func join(_ records: inout [ComplaintAccumulator.Record], poolCount: Int) {
        var slot = [Int32](repeating: -1, count: poolCount)
        var any = false
        for r in records where (r.product == .none || r.merchant == .none) && r.order >= 0 && Int(r.order) < poolCount {
            slot[Int(r.order)] = -2
            any = true
        }
        if !any { return }
        for (i, ref) in refs.enumerated() where ref.order >= 0 && Int(ref.order) < poolCount && slot[Int(ref.order)] != -1 {
            slot[Int(ref.order)] = Int32(i)
        }
        for i in records.indices {
            let o = records[i].order
            guard o >= 0, Int(o) < poolCount else { continue }
            let k = slot[Int(o)]
            if k < 0 { continue }
            let ref = refs[Int(k)]
            if records[i].product == .none { records[i].product = ref.product }
            if records[i].merchant == .none { records[i].merchant = ref.merchant }
        }
    }

    func orders(week: Int, merchant: StrID) -> Int {
        merchantKeys.find(AgentAccumulator.key(week: week, agent: merchant)).map { merchantOrders[$0] } ?? 0
    }

    @inline(__always)
    private mutating func count(_ key: Int64, _ n: Int) {
        let (i, inserted) = merchantKeys.insert(key)
        if inserted { merchantOrders.append(n) } else { merchantOrders[i] += n }
    }
}
