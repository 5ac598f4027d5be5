import SLAReport

/// Writes the logistics events: the main file (two gzip members with `--messy --gzip`) and, with
/// `--messy`, a carrier-portal TSV (BOM, CRLF, Chinese headers and some Chinese values) that also
/// repeats some events with the same instant written another way.
struct LogisticsWriter {
    static let english = ["tracking_no", "order_id", "carrier", "event", "event_at", "exception"]
    static let chinese = ["运单号", "订单号", "快递公司", "物流节点", "节点时间", "异常类型"]

    let cfg: GenConfig
    let orders: OrderBook
    let manifest: Manifest
    let carrierName = Vocabulary.bytes(Vocabulary.carriers.map(\.name))
    let prefix = Vocabulary.bytes(Vocabulary.carriers.map(\.prefix))
    let eventEN = Vocabulary.bytes(Vocabulary.eventEN), eventZH = Vocabulary.bytes(Vocabulary.eventZH)
    let excEN = Vocabulary.bytes(Vocabulary.exceptionEN), excZH = Vocabulary.bytes(Vocabulary.exceptionZH)

    @inline(__always)
    func row(_ o: Int, _ e: Int, w: ByteWriter, ts: inout TimestampMixer, zh: Bool = false, exact: Bool = false) {
        let c = Int(orders.carrier[o])
        w.trackingNo(o, prefix: prefix[c])
        w.sep()
        w.orderID(o)
        w.sep()
        w.append(carrierName[c])
        w.sep()
        let k = Int(orders.evKind[e])
        w.append(zh ? eventZH[k] : eventEN[k])
        w.sep()
        if exact { ts.writeExactVariant(w, orders.evAt[e]) } else { ts.write(w, orders.evAt[e]) }
        w.sep()
        let x = orders.evException[e]
        if x != 255 { w.append(zh ? excZH[Int(x)] : excEN[Int(x)]) }
        w.endRow()
    }

    func header(_ w: ByteWriter, zh: Bool) {
        w.append(
            csvLine(
                (zh ? LogisticsWriter.chinese : LogisticsWriter.english).map { Swift.Array($0.utf8) }, sep: w.separator)
        )
        if w.crlf { w.byte(13) }
        w.byte(10)
    }

    func writeAll() throws {
        let n = orders.count
        manifest.add("logistics.unique_events", orders.evAt.count)
        var shipments = 0
        var delivered = 0
        var exceptions = 0
        var longGaps = 0
        for o in 0..<n {
            let lo = Int(orders.evStart[o])
            let hi = Int(orders.evStart[o + 1])
            if hi > lo { shipments += 1 }
            if orders.signedAt[o] >= 0 { delivered += 1 }
            for e in lo..<hi {
                if orders.evKind[e] == 4 { exceptions += 1 }
                if e > lo && orders.evAt[e] - orders.evAt[e - 1] > 24 * 3600 { longGaps += 1 }
            }
        }
        manifest.add("logistics.truth.shipments", shipments)
        manifest.add("logistics.truth.delivered", delivered)
        manifest.add("logistics.truth.exception_events", exceptions)
        manifest.add("logistics.truth.gaps_over_24h_between_events", longGaps)
        let mainName = cfg.messy ? "logistics-\(cfg.dayBefore)\(cfg.ext)" : "logistics-\(cfg.endDate)\(cfg.ext)"
        let mainFile = try OutputFile(directory: cfg.out, name: mainName, gzipLevel: cfg.gzLevel)
        let w = ByteWriter(sink: mainFile)
        header(w, zh: false)
        var ts = TimestampMixer(seed: cfg.seed, stream: 11, rate: cfg.messy ? 0.01 : 0, zone: cfg.zone)
        if !cfg.messy {
            for o in 0..<n {
                w.rowBoundary()
                for e in Int(orders.evStart[o])..<Int(orders.evStart[o + 1]) { row(o, e, w: w, ts: &ts) }
            }
            w.flush()
            mainFile.close()
            manifest.file(
                mainFile, table: "logistics", rows: w.rows, details: ["encoding=utf-8", "header=english", "eol=lf"])
            return
        }
        let tsvFile = try OutputFile(directory: cfg.out, name: "logistics-\(cfg.endDate).tsv", gzipLevel: nil)
        let tw = ByteWriter(sink: tsvFile)
        tw.separator = 9
        tw.crlf = true
        tw.append(utf8BOM)
        header(tw, zh: true)
        var tts = TimestampMixer(seed: cfg.seed, stream: 12, rate: 0.02, zone: cfg.zone)
        var rng = PRNG(seed: cfg.seed, stream: 13)
        var std = TimestampMixer(seed: 0, stream: 0, rate: 0, zone: cfg.zone)
        let rejects = rejectRows()
        var nextReject = 0
        var repeated = 0
        var zhValues = 0
        for o in 0..<n {
            while nextReject < rejects.count && o >= (nextReject + 1) * n / (rejects.count + 1) {
                w.rowBoundary()
                w.append(rejects[nextReject].1)
                w.endRow()
                manifest.add("logistics.reject.\(rejects[nextReject].0)", 1)
                nextReject += 1
            }
            if o == n / 2 && mainFile.gzip {
                // A second gzip member, as if two nightly pieces had been joined with cat.
                w.flush()
                mainFile.newMember()
            }
            let lo = Int(orders.evStart[o])
            let hi = Int(orders.evStart[o + 1])
            if lo == hi { continue }
            let h = cfg.h(1, o)
            w.rowBoundary()
            tw.rowBoundary()
            if h % 100 < 10 {
                for e in lo..<hi {
                    let zh = rng.chance(0.4)
                    if zh { zhValues += 1 }
                    row(o, e, w: tw, ts: &tts, zh: zh)
                }
                continue
            }
            let repeatLast = (h >> 8) % 1000 < 12
            for e in lo..<hi {
                if repeatLast && e == hi - 1 {
                    row(o, e, w: w, ts: &std)  // standard form here, so both copies hold the same second
                } else {
                    row(o, e, w: w, ts: &ts)
                }
                if repeatLast && e == hi - 1 {
                    // The last event again, same instant written another way (counts once).
                    row(o, e, w: tw, ts: &tts, zh: rng.chance(0.5), exact: true)
                    repeated += 1
                }
            }
        }
        manifest.add("logistics.dup.same_event_other_timestamp_form", repeated)
        manifest.add("logistics.kept.chinese_enum_values", zhValues)
        for (f, wr, details) in [
            (
                mainFile, w,
                ["encoding=utf-8", "header=english", "eol=lf", "timestamps_nonstandard=" + variantSummary(ts)]
            ),
            (
                tsvFile, tw,
                [
                    "encoding=utf-8", "bom=yes", "eol=crlf", "delimiter=tab", "header=chinese",
                    "content=~10% of shipments (40% of their rows with Chinese event/exception values) + \(repeated) repeated events",
                    "timestamps_nonstandard=" + variantSummary(tts),
                ]
            ),
        ] {
            wr.flush()
            f.close()
            manifest.file(f, table: "logistics", rows: wr.rows, details: details)
        }
    }

    private func rejectRows() -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        let scratch = ByteWriter(capacity: 1 << 12)
        var ts = TimestampMixer(seed: 0, stream: 0, rate: 0, zone: cfg.zone)
        var k = 0
        func make(_ reason: String, _ mutate: (inout [[UInt8]]) -> Void) {
            scratch.reset()
            let e = (k * 7919) % orders.evAt.count
            var o = 0
            while Int(orders.evStart[o + 1]) <= e { o += 1 }
            row(o, e, w: scratch, ts: &ts)
            k += 1
            var f = splitFields(Swift.Array(scratch.bytes.dropLast()))
            f[0] = Swift.Array("XX\(900_000_000_000 + k)".utf8)
            mutate(&f)
            out.append((reason, csvLine(f)))
        }
        make("unknown_enum") { $0[3] = Swift.Array("arrived".utf8) }
        make("unknown_enum") { $0[3] = Swift.Array("已到站".utf8) }
        make("unknown_enum") {
            $0[3] = Swift.Array("exception".utf8)
            $0[5] = Swift.Array("weather".utf8)
        }
        make("bad_timestamp") { $0[4] = Swift.Array("2026-11-31 08:00:00".utf8) }
        make("bad_timestamp") { $0[4] = Swift.Array("2026-11-05T25:00:00+08:00".utf8) }
        make("missing_required") { $0[0] = [] }
        make("missing_required") { $0[4] = [] }
        make("field_count") { $0.append(Swift.Array("网点".utf8)) }
        make("field_count") { $0.removeLast() }
        return out
    }
}
