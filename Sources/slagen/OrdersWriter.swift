import SLAReport

/// Writes the orders table: the main file and, with `--messy`, a GB18030 Excel export with
/// Chinese headers, an overlapping second dump and injected bad rows.
struct OrdersWriter {
    enum Col: Int, CaseIterable {
        case orderID, orderedAt, paidAt, shippedAt, signedAt, customerID, merchantID, productID, category, amount, updated
    }
    static let english = ["order_id", "ordered_at", "paid_at", "shipped_at", "signed_at", "customer_id", "merchant_id",
        "product_id", "category", "amount", "updated_at"]
    static let chinese = ["订单号", "下单时间", "付款时间", "发货时间", "签收时间", "客户ID", "商家ID", "商品ID", "商品类目", "实付金额", "更新时间"]
    static let chineseOrder: [Col] = [.orderID, .merchantID, .productID, .category, .amount, .orderedAt, .paidAt,
        .shippedAt, .signedAt, .customerID, .updated]

    let cfg: GenConfig
    let shop: Shop
    let orders: OrderBook
    let manifest: Manifest
    let category = Vocabulary.bytes(Vocabulary.categories.map(\.name))

    /// A row of order `o`; `snapshot` >= 0 writes the order as it stood at that moment.
    func row(_ o: Int, cols: [Col], w: ByteWriter, ts: inout TimestampMixer, snapshot: Int64 = -1, amountDelta: Int = 0) {
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
        var shipped = 0, signed = 0, unpaid = 0
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
            manifest.file(mainFile, table: "orders", rows: w.rows, details: ["encoding=utf-8", "header=english", "eol=lf"])
            return
        }
        let gbkFile = try OutputFile(directory: cfg.out, name: "orders-gbk-\(cfg.twoDaysBefore).csv", gzipLevel: nil, gb18030: true)
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
        var stale = 0, dups = 0, badAmounts = 0, changedAmount = 0
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
                if rng.chance(0.3) { delta = 500; changedAmount += 1 }
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
        for (f, wr, details) in [
            (mainFile, w, ["encoding=utf-8", "header=english", "eol=lf", "timestamps_nonstandard=" + variantSummary(ts)]),
            (gbkFile, gw, ["encoding=gb18030", "eol=crlf", "header=chinese", "timestamps_nonstandard=" + variantSummary(gts)]),
            (dumpFile, dw, ["encoding=utf-8", "header=english", "eol=lf", "content=newer versions of \(stale) orders + \(dups) exact copies of main-file rows"]),
        ] {
            wr.flush()
            f.close()
            manifest.file(f, table: "orders", rows: wr.rows, details: details)
        }
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
