import SLAModel
import SLAReport

/// Writes the tickets table: the main English file and, with `--messy`, the Chinese Excel export,
/// the overlapping second dump, and injected bad rows.
struct TicketsWriter {
    enum Col: Int, CaseIterable {
        case ticketID, orderID, productID, merchantID, createdAt, channel, agent, type, category, priority
        case firstResponse, faultConfirmed, repairPlan, planRejected, escalated, resolved, satisfaction, surveyed
        case responsibility, updated
    }
    static let english = [
        "ticket_id", "order_id", "product_id", "merchant_id", "created_at", "channel", "agent", "type",
        "category", "priority", "first_response_at", "fault_confirmed_at", "repair_plan_at", "plan_rejected_at",
        "escalated_at", "resolved_at", "satisfaction", "surveyed_at", "responsibility", "updated_at",
    ]
    static let chinese = [
        "工单号", "订单号", "商品ID", "店铺ID", "创建时间", "渠道", "客服工号", "工单类型", "问题分类", "优先级",
        "首次响应时间", "故障确认时间", "维修方案时间", "方案拒绝时间", "升级时间", "完结时间", "满意度", "回访时间", "责任方", "更新时间",
    ]
    /// The Chinese export orders its columns differently (column order must not matter).
    static let chineseOrder: [Col] = [
        .ticketID, .orderID, .createdAt, .type, .priority, .category, .channel, .agent,
        .productID, .merchantID, .firstResponse, .faultConfirmed, .repairPlan, .planRejected, .escalated, .resolved,
        .satisfaction, .surveyed, .responsibility, .updated,
    ]

    let cfg: GenConfig
    let shop: Shop
    let orders: OrderBook
    let book: TicketBook
    let manifest: Manifest
    let channel = Vocabulary.bytes(Vocabulary.channels)
    let category = Vocabulary.bytes(Vocabulary.ticketCategories.map(\.name))
    let typeEN = Vocabulary.bytes(Vocabulary.typeEN), typeZH = Vocabulary.bytes(Vocabulary.typeZH)
    let prioEN = Vocabulary.bytes(Vocabulary.priorityEN), prioZH = Vocabulary.bytes(Vocabulary.priorityZH)
    let respEN = Vocabulary.bytes(Vocabulary.responsibilityEN), respZH = Vocabulary.bytes(Vocabulary.responsibilityZH)

    /// One row. `override` replaces a column's bytes as written (already quoted if need be).
    func row(
        _ t: Ticket, _ i: Int, cols: [Col], zh: Bool, w: ByteWriter, ts: inout TimestampMixer,
        override: [(Col, [UInt8])] = []
    ) {
        for (k, col) in cols.enumerated() {
            if k > 0 { w.sep() }
            if !override.isEmpty, let o = override.first(where: { $0.0 == col }) {
                w.append(o.1)
                continue
            }
            switch col {
            case .ticketID: w.ticketID(i)
            case .orderID: if t.order >= 0 { w.orderID(Int(t.order)) }
            case .productID: if t.showIds { w.productID(Int(t.product)) }
            case .merchantID: if t.showIds { w.merchantID(Int(shop.productMerchant[Int(t.product)])) }
            case .createdAt: ts.write(w, t.created)
            case .channel: w.append(channel[Int(t.channel)])
            case .agent: if t.agent > 0 { w.agentID(Int(t.agent)) }
            case .type: w.append(zh ? typeZH[Int(t.type)] : typeEN[Int(t.type)])
            case .category: w.append(category[Int(t.category)])
            case .priority: w.append(zh ? prioZH[Int(t.priority)] : prioEN[Int(t.priority)])
            case .firstResponse: ts.write(w, t.firstResponse)
            case .faultConfirmed: ts.write(w, t.faultConfirmed)
            case .repairPlan: ts.write(w, t.repairPlan)
            case .planRejected: ts.write(w, t.planRejected)
            case .escalated: ts.write(w, t.escalated)
            case .resolved: ts.write(w, t.resolved)
            case .satisfaction: if t.satisfaction > 0 { w.byte(48 + t.satisfaction) }
            case .surveyed: ts.write(w, t.surveyed)
            case .responsibility:
                if zh && t.responsibility == 3 && i % 2 == 1 {
                    w.append(Swift.Array(Vocabulary.responsibilityZHAlt.utf8))
                } else {
                    w.append(zh ? respZH[Int(t.responsibility)] : respEN[Int(t.responsibility)])
                }
            case .updated: ts.write(w, t.updated)
            }
        }
        w.endRow()
    }

    func header(_ w: ByteWriter, cols: [Col], zh: Bool) {
        let names = zh ? TicketsWriter.chinese : TicketsWriter.english
        w.append(csvLine(cols.map { Swift.Array(names[$0.rawValue].utf8) }))
        if w.crlf { w.byte(13) }
        w.byte(10)
    }

    func writeAll() throws {
        manifest.fact(
            "tickets.spike_week",
            book.plan.spikeWeekMonday >= 0
                ? ISOWeek(monday: book.plan.spikeWeekMonday).name + " (category 物流延迟)" : "none")
        manifest.fact(
            "tickets.bad_product",
            "P\(100_001 + book.plan.badProduct) with \(book.plan.badTickets) extra 质量问题 tickets in weeks "
                + book.plan.badWeeks.map { ISOWeek(monday: $0).name }.joined(separator: ", "))
        manifest.add("tickets.unique_ids", book.tickets.count)
        countFacts(book.tickets)
        let all = Col.allCases
        let mainName = cfg.messy ? "tickets-\(cfg.dayBefore)\(cfg.ext)" : "tickets-\(cfg.endDate)\(cfg.ext)"
        let mainFile = try OutputFile(directory: cfg.out, name: mainName, gzipLevel: cfg.gzLevel)
        let w = ByteWriter(sink: mainFile)
        header(w, cols: all, zh: false)
        var ts = TimestampMixer(seed: cfg.seed, stream: 31, rate: cfg.messy ? 0.015 : 0, zone: cfg.zone)
        if !cfg.messy {
            for (i, t) in book.tickets.enumerated() {
                w.rowBoundary()
                row(t, i, cols: all, zh: false, w: w, ts: &ts)
            }
            w.flush()
            mainFile.close()
            manifest.file(
                mainFile, table: "tickets", rows: w.rows, details: ["encoding=utf-8", "header=english", "eol=lf"])
            return
        }
        try writeMessy(book.tickets, mainFile: mainFile, w: w, ts: &ts)
    }

    private func countFacts(_ ts: [Ticket]) {
        var open = 0
        var scored = 0
        var low = 0
        var repairs = 0
        var rejected = 0
        var noIds = 0
        for t in ts {
            if t.resolved < 0 { open += 1 }
            if t.satisfaction > 0 {
                scored += 1
                if t.satisfaction <= 2 { low += 1 }
            }
            if t.type == 3 { repairs += 1 }
            if t.planRejected >= 0 { rejected += 1 }
            if !t.showIds && t.order >= 0 { noIds += 1 }
        }
        manifest.add("tickets.truth.open_unresolved", open)
        manifest.add("tickets.truth.scored", scored)
        manifest.add("tickets.truth.low_scores_1_2", low)
        manifest.add("tickets.truth.repairs", repairs)
        manifest.add("tickets.truth.plan_rejected", rejected)
        manifest.add("tickets.truth.ids_to_join_from_order", noIds)
    }

    private func writeMessy(_ tickets: [Ticket], mainFile: OutputFile, w: ByteWriter, ts: inout TimestampMixer) throws {
        let all = Col.allCases
        let zhFile = try OutputFile(directory: cfg.out, name: "tickets-zh-\(cfg.endDate).csv", gzipLevel: nil)
        let zw = ByteWriter(sink: zhFile)
        zw.crlf = true
        zw.append(utf8BOM)
        header(zw, cols: TicketsWriter.chineseOrder, zh: true)
        let dumpFile = try OutputFile(directory: cfg.out, name: "tickets-\(cfg.endDate)-dump2.csv", gzipLevel: nil)
        let dw = ByteWriter(sink: dumpFile)
        header(dw, cols: all, zh: false)
        var zts = TimestampMixer(seed: cfg.seed, stream: 32, rate: 0.03, zone: cfg.zone)
        var dts = TimestampMixer(seed: cfg.seed, stream: 33, rate: 0, zone: cfg.zone)
        var rng = PRNG(seed: cfg.seed, stream: 34)
        let n = tickets.count
        // Kept-row oddities, spread through the main file: (kind, quota).
        var quota: [String: Int] = [
            "invalid_score": 6, "stop_before_start": 4, "quoted_comma": 5, "quoted_quotes": 4,
            "quoted_newline": 3, "padded_spaces": 5, "enum_case": 5,
        ]
        let badScores = ["0", "6", "4.0", "五", "5.0", "x"]
        let pSpecial = min(1.0, 80.0 / Double(max(1, n)))
        let rejects = rejectRows(tickets)
        var nextReject = 0
        var stale = 0
        var dups = 0
        var zhRows = 0
        for (i, t) in tickets.enumerated() {
            while nextReject < rejects.count && i >= (nextReject + 1) * n / (rejects.count + 1) {
                w.rowBoundary()
                w.append(rejects[nextReject].1)
                w.endRow()
                manifest.add("tickets.reject.\(rejects[nextReject].0)", 1)
                nextReject += 1
            }
            let h = cfg.h(3, i)
            let toZh = h % 100 < 15
            let isStale = t.resolved >= 0 && t.updated - t.created > 7200 && (h >> 8) % 100 < 4
            let isDup = !toZh && !isStale && (h >> 16) % 1000 < 8
            var version = t
            if isStale {
                let lo = t.created + 60
                let snap = lo + Int64(rng.below(Int(t.updated - 60 - lo)))
                version = t.snapshot(at: snap)
                if t.priority >= 2 && rng.chance(0.5) { version.priority = 1 }  // raised later
                stale += 1
                dw.rowBoundary()
                row(t, i, cols: all, zh: false, w: dw, ts: &dts)
            }
            if toZh {
                zw.rowBoundary()
                if zhRows == n / 40 || zhRows == n / 20 {
                    // Bad rows in Chinese: a misspelt type, an unknown priority word.
                    let bad: [(Col, String)] = zhRows == n / 40 ? [(.type, "投拆")] : [(.priority, "特急")]
                    var plain = TimestampMixer(seed: 0, stream: 0, rate: 0, zone: cfg.zone)
                    let o: [(Col, [UInt8])] = [
                        (.ticketID, Swift.Array("TX2\(zhRows)".utf8)), (bad[0].0, Swift.Array(bad[0].1.utf8)),
                    ]
                    row(t, i, cols: TicketsWriter.chineseOrder, zh: true, w: zw, ts: &plain, override: o)
                    manifest.add("tickets.reject.unknown_enum", 1)
                }
                row(version, i, cols: TicketsWriter.chineseOrder, zh: true, w: zw, ts: &zts)
                zhRows += 1
                continue
            }
            w.rowBoundary()
            var override: [(Col, [UInt8])] = []
            if !isStale && !isDup && rng.chance(pSpecial) {
                let kinds = quota.keys.sorted().filter { quota[$0]! > 0 }
                if !kinds.isEmpty {
                    let kind = kinds[rng.below(kinds.count)]
                    var used = true
                    switch kind {
                    case "invalid_score":
                        if t.satisfaction > 0 {
                            override = [(.satisfaction, Swift.Array(badScores[6 - quota[kind]!].utf8))]
                        } else {
                            used = false
                        }
                    case "stop_before_start":
                        if t.type != 5 && t.firstResponse >= 0 {
                            version.firstResponse = t.created - 300 - Int64(rng.below(7000))
                        } else {
                            used = false
                        }
                    case "quoted_comma": override = [(.channel, Swift.Array("\"在线客服,转人工\"".utf8))]
                    case "quoted_quotes": override = [(.category, Swift.Array("\"描述不符（\"\"正品\"\"存疑）\"".utf8))]
                    case "quoted_newline": override = [(.category, Swift.Array("\"质量问题\n屏幕闪烁\"".utf8))]
                    case "padded_spaces":
                        override = [
                            (.category, Swift.Array(" \(Vocabulary.ticketCategories[Int(t.category)].name) ".utf8)),
                            (.channel, Swift.Array("\t\(Vocabulary.channels[Int(t.channel)]) ".utf8)),
                        ]
                    default:
                        override = [(.type, Swift.Array(Vocabulary.typeEN[Int(t.type)].uppercased().utf8))]
                        if t.priority == 0 { override.append((.priority, Swift.Array("Normal".utf8))) }
                    }
                    if used {
                        quota[kind]! -= 1
                        manifest.add("tickets.kept.\(kind)", 1)
                    }
                }
            }
            let start = w.count
            row(version, i, cols: all, zh: false, w: w, ts: &ts, override: override)
            if isDup {
                dw.rowBoundary()
                dw.append(w.base + start, w.count - start)
                dw.rows += 1
                dups += 1
            }
        }
        for k in quota.keys.sorted() where quota[k]! > 0 { manifest.add("tickets.kept.\(k).not_placed", quota[k]!) }
        manifest.add("tickets.dup.stale_then_newer", stale)
        manifest.add("tickets.dup.exact_copy", dups)
        for (f, wr, details) in [
            (
                mainFile, w,
                ["encoding=utf-8", "header=english", "eol=lf", "timestamps_nonstandard=" + variantSummary(ts)]
            ),
            (
                zhFile, zw,
                [
                    "encoding=utf-8", "bom=yes", "eol=crlf", "header=chinese", "enums=chinese",
                    "timestamps_nonstandard=" + variantSummary(zts),
                ]
            ),
            (
                dumpFile, dw,
                [
                    "encoding=utf-8", "header=english", "eol=lf",
                    "content=newer versions of \(stale) tickets + \(dups) exact copies of main-file rows",
                ]
            ),
        ] {
            wr.flush()
            f.close()
            manifest.file(f, table: "tickets", rows: wr.rows, details: details)
        }
    }

    /// Bad rows (ids TX…, never real tickets), one line each, made from a real row's fields.
    private func rejectRows(_ tickets: [Ticket]) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        let scratch = ByteWriter(capacity: 1 << 16)
        var ts = TimestampMixer(seed: cfg.seed, stream: 35, rate: 0, zone: cfg.zone)
        var k = 0
        func make(_ reason: String, _ mutate: (inout [[UInt8]]) -> Void) {
            let t = tickets[(k * 7919) % tickets.count]
            k += 1
            scratch.reset()
            row(t, 0, cols: Col.allCases, zh: false, w: scratch, ts: &ts)
            var f = splitFields(Swift.Array(scratch.bytes.dropLast()))
            f[0] = Swift.Array("TX\(10000 + k)".utf8)
            mutate(&f)
            out.append((reason, csvLine(f)))
        }
        let c = Col.self
        make("field_count") { $0.append(Swift.Array("多余字段".utf8)) }
        make("field_count") { $0.removeLast() }
        make("field_count") { $0[c.category.rawValue] = Swift.Array("质量问题,屏幕".utf8) }
        make("stray_quote") { $0[c.category.rawValue] = Swift.Array("服务\"态度".utf8) }
        make("stray_quote") { $0[c.category.rawValue] = Swift.Array("\"退款问题\"已处理".utf8) }
        make("stray_quote") { $0[c.channel.rawValue] = Swift.Array("在线客服\"".utf8) }
        make("missing_required") { $0[c.ticketID.rawValue] = [] }
        make("missing_required") { $0[c.createdAt.rawValue] = [] }
        make("missing_required") { $0[c.type.rawValue] = [] }
        make("bad_timestamp") { $0[c.createdAt.rawValue] = Swift.Array("2026-02-30 10:00:00".utf8) }
        make("bad_timestamp") { $0[c.updated.rawValue] = Swift.Array("2026-13-01 08:00:00".utf8) }
        make("bad_timestamp") { $0[c.createdAt.rawValue] = Swift.Array("2026-11-05 24:00:00".utf8) }
        make("bad_timestamp") { $0[c.updated.rawValue] = Swift.Array("昨天 15:00".utf8) }
        make("unknown_enum") { $0[c.type.rawValue] = Swift.Array("warranty".utf8) }
        make("unknown_enum") { $0[c.priority.rawValue] = Swift.Array("P1".utf8) }
        make("unknown_enum") { $0[c.responsibility.rawValue] = Swift.Array("快递员".utf8) }
        return out
    }
}

func variantSummary(_ m: TimestampMixer) -> String {
    zip(TimestampMixer.names, m.counts).filter { $0.1 > 0 }.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
}
