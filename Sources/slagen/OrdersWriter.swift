import SLAReport

/// Writes the orders table: the main file and, with `--messy`, a GB18030 Excel export with
/// Chinese headers, an overlapping second dump and injected bad rows. The v2 columns (status,
/// promised ship and delivery times) come from `OrderTerms`.
struct OrdersWriter {
    enum Col: Int, CaseIterable {
        case orderID, orderedAt, paidAt, shippedAt, signedAt, customerID, merchantID, productID, category, amount
        case status, promisedShip, promisedDelivery, updated
    }
    static let english = [
        "order_id", "ordered_at", "paid_at", "shipped_at", "signed_at", "customer_id", "merchant_id",
        "product_id", "category", "amount", "status", "promised_ship_at", "promised_delivery_at", "updated_at",
    ]
    static let chinese = [
        "订单号", "下单时间", "付款时间", "发货时间", "签收时间", "客户ID", "商家ID", "商品ID", "商品类目", "实付金额",
        "订单状态", "承诺发货时间", "预计送达时间", "更新时间",
    ]
    static let chineseOrder: [Col] = [
        .orderID, .status, .merchantID, .productID, .category, .amount, .orderedAt, .paidAt,
        .shippedAt, .signedAt, .promisedShip, .promisedDelivery, .customerID, .updated,
    ]
    /// Deadlines a real export sometimes holds: MySQL's zero date and a far-future sentinel. slareport
    /// reads an unparsable or out-of-range deadline as missing, never as a reject (SPEC 2.6).
    static let badPromises = ["0000-00-00 00:00:00", "9999-12-31", "0000-00-00 00:00:00"]

    let cfg: GenConfig
    let shop: Shop
    let orders: OrderBook
    let manifest: Manifest
    let category = Vocabulary.bytes(Vocabulary.categories.map(\.name))
    let terms: OrderTerms

    init(cfg: GenConfig, shop: Shop, orders: OrderBook, manifest: Manifest) {
        self.cfg = cfg
        self.shop = shop
        self.orders = orders
        self.manifest = manifest
        terms = OrderTerms(cfg: cfg, orders: orders, shop: shop)
    }

    /// A row of order `o`; `snapshot` >= 0 writes the order as it stood at that moment.
    func row(_ o: Int, cols: [Col], w: ByteWriter, ts: inout TimestampMixer, snapshot: Int64 = -1, amountDelta: Int = 0)
    {
        @inline(__always) func at(_ v: Int64) -> Int64 { snapshot >= 0 && v > snapshot ? -1 : v }
        let p = Int(orders.product[o])
        for (k, col) in cols.enumerated() {
            if k > 0 { w.sep() }
            switch col {
            case .orderID: w.orderID(o)
            case .orderedAt: ts.write(w, orders.orderedAt[o])
            case .paidAt: ts.write(w, at(orders.paidAt[o]))
            case .shippedAt: ts.write(w, at(orders.shippedAt[o]))
            case .signedAt: ts.write(w, at(orders.signedAt[o]))
            case .customerID: w.customerID(Int(orders.customer[o]))
            case .merchantID: w.merchantID(Int(shop.productMerchant[p]))
            case .productID: w.productID(p)
            case .category: w.append(category[Int(shop.productCategory[p])])
            case .amount: w.money(Int(orders.amountCents[o]) + amountDelta)
            // Not through `ts`: the v1 columns keep their odd-timestamp draws.
            case .status: terms.writeStatus(w, o, at: snapshot >= 0 ? snapshot : cfg.span.cutoff)
            case .promisedShip: terms.writePromisedShip(w, o)
            case .promisedDelivery: terms.writePromisedDelivery(w, o)
            case .updated: ts.write(w, snapshot >= 0 ? snapshot : orders.updatedAt[o])
            }
        }
        w.endRow()
    }

    func header(_ w: ByteWriter, cols: [Col], zh: Bool) {
        let names = zh ? OrdersWriter.chinese : OrdersWriter.english
        w.append(csvLine(cols.map { Swift.Array(names[$0.rawValue].utf8) }))
        if w.crlf { w.byte(13) }
        w.byte(10)
    }

    func writeAll() throws {
        let all = Col.allCases
        let n = orders.count
        manifest.add("orders.unique_ids", n)
        var shipped = 0
        var signed = 0
        var unpaid = 0
        for o in 0..<n {
            if orders.paidAt[o] < 0 { unpaid += 1 }
            if orders.shippedAt[o] >= 0 { shipped += 1 }
            if orders.signedAt[o] >= 0 { signed += 1 }
        }
        manifest.add("orders.truth.unpaid", unpaid)
        manifest.add("orders.truth.shipped", shipped)
        manifest.add("orders.truth.signed", signed)
        manifest.fact("orders.merchants", "\(shop.merchantCount)")
        manifest.fact("orders.products", "\(shop.productCount)")
        let mainName = cfg.messy ? "orders-\(cfg.dayBefore)\(cfg.ext)" : "orders-\(cfg.endDate)\(cfg.ext)"
        let mainFile = try OutputFile(directory: cfg.out, name: mainName, gzipLevel: cfg.gzLevel)
        let w = ByteWriter(sink: mainFile)
        header(w, cols: all, zh: false)
        var ts = TimestampMixer(seed: cfg.seed, stream: 21, rate: cfg.messy ? 0.01 : 0, zone: cfg.zone)
        if !cfg.messy {
            for o in 0..<n {
                w.rowBoundary()
                row(o, cols: all, w: w, ts: &ts)
            }
            w.flush()
            mainFile.close()
            manifest.file(
                mainFile, table: "orders", rows: w.rows, details: ["encoding=utf-8", "header=english", "eol=lf"])
            termFacts(missingPromise: [])
            return
        }
        let gbkFile = try OutputFile(
            directory: cfg.out, name: "orders-gbk-\(cfg.twoDaysBefore).csv", gzipLevel: nil, gb18030: true)
        let gw = ByteWriter(sink: gbkFile)
        gw.crlf = true
        header(gw, cols: OrdersWriter.chineseOrder, zh: true)
        let dumpFile = try OutputFile(directory: cfg.out, name: "orders-\(cfg.endDate)-dump2.csv", gzipLevel: nil)
        let dw = ByteWriter(sink: dumpFile)
        header(dw, cols: all, zh: false)
        var gts = TimestampMixer(seed: cfg.seed, stream: 22, rate: 0.02, zone: cfg.zone)
        var dts = TimestampMixer(seed: cfg.seed, stream: 23, rate: 0, zone: cfg.zone)
        var rng = PRNG(seed: cfg.seed, stream: 24)
        let rejects = rejectRows()
        var nextReject = 0
        var stale = 0
        var dups = 0
        var badAmounts = 0
        var changedAmount = 0
        var badPromise: [Int] = []
        let pSpecial = min(1.0, 10.0 / Double(max(1, n)))
        for o in 0..<n {
            while nextReject < rejects.count && o >= (nextReject + 1) * n / (rejects.count + 1) {
                w.rowBoundary()
                w.append(rejects[nextReject].1)
                w.endRow()
                manifest.add("orders.reject.\(rejects[nextReject].0)", 1)
                nextReject += 1
            }
            let h = cfg.h(2, o)
            let toGbk = h % 100 < 10
            let isStale = orders.signedAt[o] >= 0 && orders.paidAt[o] >= 0 && (h >> 8) % 100 < 3
            let isDup = !toGbk && !isStale && (h >> 16) % 1000 < 5
            var snap: Int64 = -1
            var delta = 0
            if isStale {
                // The earlier dump saw the order before it was signed; the later one corrects the amount sometimes.
                let lo = orders.paidAt[o]
                snap = lo + Int64(rng.below(Int(max(1, orders.signedAt[o] - lo))))
                if rng.chance(0.3) {
                    delta = 500
                    changedAmount += 1
                }
                stale += 1
                dw.rowBoundary()
                row(o, cols: all, w: dw, ts: &dts)
            }
            if toGbk {
                gw.rowBoundary()
                row(o, cols: OrdersWriter.chineseOrder, w: gw, ts: &gts, snapshot: snap, amountDelta: delta)
                continue
            }
            w.rowBoundary()
            let start = w.count
            if !isStale && !isDup && badAmounts < 2 && rng.chance(pSpecial) {
                // Unparsable amount: the row is kept, the amount counted as missing.
                let scratch = ByteWriter(capacity: 1 << 12)
                var plain = TimestampMixer(seed: 0, stream: 0, rate: 0, zone: cfg.zone)
                row(o, cols: all, w: scratch, ts: &plain)
                var f = splitFields(Swift.Array(scratch.bytes.dropLast()))
                f[Col.amount.rawValue] = Swift.Array((badAmounts == 0 ? "¥1299.00" : "免费").utf8)
                w.append(csvLine(f))
                w.endRow()
                badAmounts += 1
                continue
            }
            let bad = OrdersWriter.badPromises
            if !isStale && !isDup && badPromise.count < bad.count && o >= (badPromise.count + 1) * n / (bad.count + 1) {
                // Written with `ts`, so the odd-timestamp draws of the other columns stay as they were.
                let scratch = ByteWriter(capacity: 1 << 12)
                row(o, cols: all, w: scratch, ts: &ts)
                var f = splitFields(Swift.Array(scratch.bytes.dropLast()))
                f[Col.promisedDelivery.rawValue] = Swift.Array(bad[badPromise.count].utf8)
                w.append(csvLine(f))
                w.endRow()
                badPromise.append(o)
                continue
            }
            row(o, cols: all, w: w, ts: &ts, snapshot: snap, amountDelta: delta)
            if isDup {
                dw.rowBoundary()
                dw.append(w.base + start, w.count - start)
                dw.rows += 1
                dups += 1
            }
        }
        manifest.add("orders.kept.invalid_amount", badAmounts)
        manifest.add("orders.dup.stale_then_newer", stale)
        manifest.add("orders.dup.stale_amount_changed", changedAmount)
        manifest.add("orders.dup.exact_copy", dups)
        manifest.add("orders.kept.promised_delivery_unparsable", badPromise.count)
        termFacts(missingPromise: Set(badPromise))
        for (f, wr, details) in [
            (
                mainFile, w,
                ["encoding=utf-8", "header=english", "eol=lf", "timestamps_nonstandard=" + variantSummary(ts)]
            ),
            (
                gbkFile, gw,
                ["encoding=gb18030", "eol=crlf", "header=chinese", "timestamps_nonstandard=" + variantSummary(gts)]
            ),
            (
                dumpFile, dw,
                [
                    "encoding=utf-8", "header=english", "eol=lf",
                    "content=newer versions of \(stale) orders + \(dups) exact copies of main-file rows",
                ]
            ),
        ] {
            wr.flush()
            f.close()
            manifest.file(f, table: "orders", rows: wr.rows, details: details)
        }
    }

    /// Truth for the v2 columns, from each order's newest version as of the export cutoff:
    /// statuses, the promised delivery (signed on time, late, or not signed by then), and the
    /// default `ship_24h` policy (paid_at → shipped_at within 24 h, around the clock).
    private func termFacts(missingPromise: Set<Int>) {
        let cut = cfg.span.cutoff
        var status = [Int](repeating: 0, count: OrderTerms.Status.allCases.count)
        var delivery: [String: Int] = [:]
        var ship: [String: Int] = [:]
        var dateOnly = 0
        for o in 0..<orders.count {
            let st = terms.status(o, at: cut)
            status[st.rawValue] += 1
            if !missingPromise.contains(o) {
                if terms.promisedDeliveryDay(o).dateOnly { dateOnly += 1 }
                let due = terms.promisedDelivery(o)
                let signed = orders.signedAt[o]
                let state: String
                if signed >= 0 {
                    state = signed <= due ? "signed_on_time" : "signed_late"
                } else {
                    state = (st.isCanceled ? "canceled_" : "open_") + (cut > due ? "overdue" : "pending")
                }
                delivery[state, default: 0] += 1
            }
            let paid = orders.paidAt[o]
            let shipped = orders.shippedAt[o]
            if paid >= 0 {
                let key: String
                if shipped >= 0 {
                    key = shipped - paid <= 24 * 3600 ? "met" : "breached_shipped_late"
                } else {
                    key =
                        (cut - paid > 24 * 3600 ? "breached_not_shipped" : "pending")
                        + (st.isCanceled ? "_canceled" : "")
                }
                ship[key, default: 0] += 1
            }
        }
        for s in OrderTerms.Status.allCases { manifest.add("orders.truth.status.\(s.name)", status[s.rawValue]) }
        for (k, v) in delivery { manifest.add("orders.truth.promised_delivery.\(k)", v) }
        for (k, v) in ship { manifest.add("orders.truth.ship_24h.\(k)", v) }
        manifest.add("orders.kept.promised_delivery_date_only", dateOnly)
        manifest.fact(
            "orders.promised_delivery",
            "order day + 3/4/5/7 days (40/35/15/10 %) at 23:59:59 local; "
                + "\(OrderTerms.dateOnlyPercent) % written as a bare date (midnight, the start of that day)")
        manifest.fact("orders.promised_ship", "paid_at + 48 h (+ 24 h at one merchant in five); empty when unpaid")
    }

    private func rejectRows() -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        let scratch = ByteWriter(capacity: 1 << 12)
        var ts = TimestampMixer(seed: 0, stream: 0, rate: 0, zone: cfg.zone)
        var k = 0
        func make(_ reason: String, _ mutate: (inout [[UInt8]]) -> Void) {
            scratch.reset()
            row((k * 7919) % orders.count, cols: Col.allCases, w: scratch, ts: &ts)
            k += 1
            var f = splitFields(Swift.Array(scratch.bytes.dropLast()))
            f[0] = Swift.Array("OX\(10000 + k)".utf8)
            mutate(&f)
            out.append((reason, csvLine(f)))
        }
        make("field_count") { $0.append(Swift.Array("备注".utf8)) }
        make("field_count") { $0.removeLast(2) }
        make("stray_quote") { $0[Col.category.rawValue] = Swift.Array("家电\"厨卫".utf8) }
        make("stray_quote") { $0[Col.category.rawValue] = Swift.Array("\"服装\"女装".utf8) }
        make("missing_required") { $0[Col.orderID.rawValue] = [] }
        make("missing_required") { $0[Col.orderedAt.rawValue] = [] }
        make("bad_timestamp") { $0[Col.orderedAt.rawValue] = Swift.Array("2026-02-30 10:00:00".utf8) }
        make("bad_timestamp") { $0[Col.signedAt.rawValue] = Swift.Array("2026-10-32 10:00:00".utf8) }
        make("bad_timestamp") { $0[Col.paidAt.rawValue] = Swift.Array("2026-11-01 25:61:00".utf8) }
        return out
    }
}
