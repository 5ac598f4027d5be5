import SLAReport

/// The v2 order columns — `status`, `promised_ship_at`, `promised_delivery_at` — derived from an
/// order's timeline and per-order hashes. They draw nothing from the generator streams the v1
/// columns come from, so those keep their bytes, and every file shows an order the same way.
struct OrderTerms: Sendable {
    /// Marketplace-style order states (the values of Olist's `order_status`), English everywhere.
    enum Status: Int, CaseIterable {
        case created, paid, shipped, delivered, canceled, unavailable
        var name: String { OrderTerms.statusNames[rawValue] }
        /// Cancelled before shipping: never shipped or signed, whatever its promise says.
        var isCanceled: Bool { self == .canceled || self == .unavailable }
    }
    static let statusNames = ["created", "paid", "shipped", "delivered", "canceled", "unavailable"]
    static let statusBytes = Vocabulary.bytes(statusNames)

    /// Days from the order day to the promised delivery day, and their weights: most promises
    /// hold, about one signed order in twenty arrives late (more in the 双十一 jam).
    static let deliveryDays = [3, 4, 5, 7]
    static let deliveryDayCDF = cumulative([40, 35, 15, 10])
    /// Share of orders whose promise is exported as a bare date (`YYYY-MM-DD`, read as midnight
    /// at the start of that day, so a parcel signed later that day counts as late).
    static let dateOnlyPercent: UInt64 = 8
    /// Share of paid-then-cancelled orders reported as `unavailable` (out of stock).
    static let unavailablePercent: UInt64 = 30
    /// Unpaid orders are closed (`canceled`) after this long; younger ones are `created`.
    static let unpaidTimeout: Int64 = 24 * 3600

    let cfg: GenConfig
    let orders: OrderBook
    let shop: Shop

    /// The state of order `o` at `moment` (an earlier dump's snapshot, else the export cutoff).
    func status(_ o: Int, at moment: Int64) -> Status {
        @inline(__always) func seen(_ v: Int64) -> Bool { v >= 0 && v <= moment }
        if seen(orders.signedAt[o]) { return .delivered }
        if seen(orders.shippedAt[o]) { return .shipped }
        if seen(orders.paidAt[o]) {
            guard orders.canceled[o] else { return .paid }
            return (cfg.h(4, o) >> 40) % 100 < OrderTerms.unavailablePercent ? .unavailable : .canceled
        }
        return moment - orders.orderedAt[o] > OrderTerms.unpaidTimeout ? .canceled : .created
    }

    /// Payment + 48 h (the usual marketplace rule), + 24 h at one merchant in five; -1 if unpaid.
    func promisedShip(_ o: Int) -> Int64 {
        let paid = orders.paidAt[o]
        guard paid >= 0 else { return -1 }
        let m = Int(shop.productMerchant[Int(orders.product[o])])
        return paid + (cfg.h(5, m) % 5 == 0 ? 24 : 48) * 3600
    }

    /// The promised delivery day (a day number) and whether the export writes it as a bare date.
    func promisedDeliveryDay(_ o: Int) -> (day: Int, dateOnly: Bool) {
        let h = cfg.h(4, o)
        let x = Double(h & 0xFFFF) / 65_536 * OrderTerms.deliveryDayCDF.last!
        let k = OrderTerms.deliveryDayCDF.firstIndex { x < $0 } ?? OrderTerms.deliveryDays.count - 1
        return (
            Clock.dayOf(orders.orderedAt[o]) + OrderTerms.deliveryDays[k], (h >> 16) % 100 < OrderTerms.dateOnlyPercent
        )
    }

    /// The promised delivery instant as slareport reads it: 23:59:59 of the day, or its midnight
    /// when written as a bare date.
    func promisedDelivery(_ o: Int) -> Int64 {
        let p = promisedDeliveryDay(o)
        return Int64(p.day) * Clock.day + (p.dateOnly ? 0 : Clock.day - 1)
    }

    func writeStatus(_ w: ByteWriter, _ o: Int, at moment: Int64) {
        w.append(OrderTerms.statusBytes[status(o, at: moment).rawValue])
    }

    func writePromisedShip(_ w: ByteWriter, _ o: Int) {
        let t = promisedShip(o)
        if t >= 0 { w.timestamp(t) }
    }

    func writePromisedDelivery(_ w: ByteWriter, _ o: Int) {
        let p = promisedDeliveryDay(o)
        w.date(p.day)
        if !p.dateOnly { w.append(OrderTerms.endOfDay) }
    }

    static let endOfDay: [UInt8] = Array(" 23:59:59".utf8)
}
