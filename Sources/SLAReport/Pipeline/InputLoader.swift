import Foundation

/// All inputs read, merged into one string pool and deduplicated (SPEC 2.5).
public struct LoadedInputs: @unchecked Sendable {
    public var pool: StringPool
    public var orders: [OrderRow]
    public var tickets: [TicketRow]
    /// Deduplicated on (tracking_no, event, event_at), sorted by tracking_no, event_at, event.
    public var logistics: [LogisticsRow]
    /// Rejects in read order (table, file rank, line).
    public var rejects: [Reject]
    public var files: [FileStats]
    public var tables: [TableStats]
    /// Latest timestamp in any column of any accepted row; nil when no row was accepted.
    public var latestTimestamp: Int64?
    /// File-level problems that were tolerated (`--keep-partial`).
    public var warnings: [IngestError]
}

/// Reads input files on worker threads (files in parallel; each gzip file also inflates on its
/// own thread), then merges pools and deduplicates.
public enum InputLoader {
    /// Reads `files` (from `InputDiscovery`). Throws the first file-level error in read order,
    /// unless `keepPartial` allows keeping what was read.
    public static func load(_ files: [InputFile], options: LoadOptions, workers: Int = 2) throws -> LoadedInputs {
        let results = loadFiles(files, options: options, workers: workers)
        var warnings: [IngestError] = []
        for r in results {
            if let e = r.error {
                if case .corruptGzip = e, options.keepPartial {
                    warnings.append(e)
                } else {
                    throw e
                }
            }
        }
        return merge(results)
    }

    /// Loads each file on a pool of `workers` threads, largest files first so the long ones start
    /// early; results come back in the order of `files`.
    static func loadFiles(_ files: [InputFile], options: LoadOptions, workers: Int) -> [FileResult] {
        final class Box: @unchecked Sendable {
            var results: [FileResult?]
            var next = 0
            let lock = NSLock()
            let order: [Int]
            init(_ n: Int, order: [Int]) {
                results = Array(repeating: nil, count: n)
                self.order = order
            }
        }
        let sizes = files.map { f -> Int in
            (try? FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int) ?? 0
        }
        let order = files.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        let box = Box(files.count, order: order)
        let n = max(1, min(workers, files.count))
        let group = DispatchGroup()
        for _ in 0..<n {
            group.enter()
            let t = Thread {
                while true {
                    box.lock.lock()
                    let k = box.next
                    box.next += 1
                    box.lock.unlock()
                    if k >= box.order.count { break }
                    let i = box.order[k]
                    let r = FileLoader.load(files[i], options: options)
                    box.lock.lock()
                    box.results[i] = r
                    box.lock.unlock()
                }
                group.leave()
            }
            t.stackSize = 8 << 20
            t.start()
        }
        group.wait()
        return box.results.map { $0! }
    }

    /// Merges per-file pools into one and deduplicates orders and tickets by id (greatest
    /// updated_at; a present one beats a missing one; ties won by the row read last) and
    /// logistics events by (tracking_no, event, event_at) (the copy read last is kept).
    static func merge(_ results: [FileResult]) -> LoadedInputs {
        let pool = StringPool(capacity: 1 << 16)
        var orders: [OrderRow] = []
        var tickets: [TicketRow] = []
        var logistics: [LogisticsRow] = []
        var rejects: [Reject] = []
        var latest: Int64 = .min
        var tables = Table.allCases.map { TableStats(table: $0) }
        orders.reserveCapacity(results.reduce(0) { $0 + $1.orders.count })
        tickets.reserveCapacity(results.reduce(0) { $0 + $1.tickets.count })
        logistics.reserveCapacity(results.reduce(0) { $0 + $1.logistics.count })

        for r in results {
            let map = pool.absorb(r.pool)
            @inline(__always) func m(_ id: StrID) -> StrID { id < 0 ? id : map[Int(id)] }
            for var o in r.orders {
                o.orderID = m(o.orderID)
                o.customer = m(o.customer)
                o.merchant = m(o.merchant)
                o.product = m(o.product)
                o.category = m(o.category)
                orders.append(o)
            }
            for var t in r.tickets {
                t.ticketID = m(t.ticketID)
                t.orderID = m(t.orderID)
                t.product = m(t.product)
                t.merchant = m(t.merchant)
                t.channel = m(t.channel)
                t.agent = m(t.agent)
                t.category = m(t.category)
                tickets.append(t)
            }
            for var l in r.logistics {
                l.trackingNo = m(l.trackingNo)
                l.orderID = m(l.orderID)
                l.carrier = m(l.carrier)
                logistics.append(l)
            }
            rejects.append(contentsOf: r.rejects)
            latest = max(latest, r.maxTimestamp)
            let ti = Table.allCases.firstIndex(of: r.file.table)!
            tables[ti].files += 1
            tables[ti].rowsRead += r.stats.rowsRead
            tables[ti].accepted += r.stats.accepted
            tables[ti].rejected += r.stats.rejected
            for (k, v) in r.stats.rejectedByKind { tables[ti].rejectedByKind[k, default: 0] += v }
        }

        let o = Dedup.latest(orders, key: { $0.orderID }, updated: { $0.updatedAt }, seq: { $0.seq }, idCount: pool.count)
        let t = Dedup.latest(tickets, key: { $0.ticketID }, updated: { $0[.updatedAt] }, seq: { $0.seq }, idCount: pool.count)
        let l = Dedup.events(logistics)
        tables[0].unique = o.count
        tables[0].duplicatesMerged = orders.count - o.count
        tables[1].unique = l.count
        tables[1].duplicatesMerged = logistics.count - l.count
        tables[2].unique = t.count
        tables[2].duplicatesMerged = tickets.count - t.count

        // `results` are in read order (table, then file rank) and each file's rejects in line
        // order, so `rejects` is already in read order.
        return LoadedInputs(
            pool: pool, orders: o, tickets: t, logistics: l, rejects: rejects,
            files: results.map(\.stats), tables: tables, latestTimestamp: latest == .min ? nil : latest,
            warnings: results.compactMap(\.error))
    }
}

/// Duplicate resolution (SPEC 2.5), independent of the order files are given in: it looks only
/// at values and each row's read sequence.
public enum Dedup {
    /// Keeps, per key, the row with the greatest `updated` (present beats missing, which is
    /// Int64.min); equal ones are won by the greater `seq` (read last). Output in first-seen
    /// key order of the winners' positions sorted by key id.
    public static func latest<Row>(_ rows: [Row], key: (Row) -> StrID, updated: (Row) -> Int64, seq: (Row) -> Int64,
                                   idCount: Int) -> [Row]
    {
        var best = [Int32](repeating: -1, count: idCount)
        for (i, r) in rows.enumerated() {
            let k = Int(key(r))
            let b = best[k]
            if b < 0 {
                best[k] = Int32(i)
                continue
            }
            let cur = rows[Int(b)]
            let (u1, u0) = (updated(r), updated(cur))
            if u1 > u0 || (u1 == u0 && seq(r) > seq(cur)) { best[k] = Int32(i) }
        }
        var out: [Row] = []
        out.reserveCapacity(rows.count)
        for b in best where b >= 0 { out.append(rows[Int(b)]) }
        return out
    }

    /// Logistics events equal in (tracking_no, event, event_at) count once; the copy read last
    /// is kept. Result sorted by tracking_no id, event_at, event.
    public static func events(_ rows: [LogisticsRow]) -> [LogisticsRow] {
        var sorted = rows
        sorted.sort { a, b in
            if a.trackingNo != b.trackingNo { return a.trackingNo < b.trackingNo }
            if a.eventAt != b.eventAt { return a.eventAt < b.eventAt }
            if a.event != b.event { return a.event.rawValue < b.event.rawValue }
            return a.seq < b.seq
        }
        var out: [LogisticsRow] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, last.trackingNo == r.trackingNo, last.eventAt == r.eventAt, last.event == r.event {
                out[out.count - 1] = r  // read later: keep this copy
            } else {
                out.append(r)
            }
        }
        return out
    }
}
