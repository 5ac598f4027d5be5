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
    /// Seconds spent parsing files and merging them (for run.json timings).
    public var parseSeconds: Double = 0
    public var mergeSeconds: Double = 0
}

/// Reads input files on worker threads (files in parallel; each gzip file also inflates on its
/// own thread), then merges pools and deduplicates.
public enum InputLoader {
    /// Reads `files` (from `InputDiscovery`). Throws the first file-level error in read order,
    /// unless `keepPartial` allows keeping what was read.
    public static func load(_ files: [InputFile], options: LoadOptions, workers: Int = 2) throws -> LoadedInputs {
        let clock = Stopwatch()
        var results = loadFiles(files, options: options, workers: workers)
        let parsed = clock.lap()
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
        var loaded = merge(&results)
        loaded.parseSeconds = parsed
        loaded.mergeSeconds = clock.lap()
        return loaded
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
        // Move the results out so the rows have one owner (merge then mutates them in place).
        var out: [FileResult] = []
        out.reserveCapacity(files.count)
        box.lock.lock()
        for i in box.results.indices {
            out.append(box.results[i]!)
            box.results[i] = nil
        }
        box.lock.unlock()
        return out
    }

    /// Merges per-file pools and deduplicates (SPEC 2.5): orders and tickets by id (greatest
    /// updated_at; a present one beats a missing one; ties won by the row read last), logistics
    /// events by (tracking_no, event, event_at) (the copy read last is kept).
    ///
    /// Orders and tickets share one pool (tickets join orders on order_id); logistics tracking
    /// numbers get a pool of their own, merged on a second thread at the same time. Rows are
    /// remapped in place and winners gathered once, so no table is copied twice.
    static func merge(_ results: inout [FileResult]) -> LoadedInputs {
        var tables = Table.allCases.map { TableStats(table: $0) }
        var rejects: [Reject] = []
        var latest: Int64 = .min
        for r in results {
            // `results` are in read order (table, then file rank) and each file's rejects in
            // line order, so `rejects` is already in read order.
            rejects.append(contentsOf: r.rejects)
            latest = max(latest, r.maxTimestamp)
            let ti = Table.allCases.firstIndex(of: r.file.table)!
            tables[ti].files += 1
            tables[ti].rowsRead += r.stats.rowsRead
            tables[ti].accepted += r.stats.accepted
            tables[ti].rejected += r.stats.rejected
            for (k, v) in r.stats.rejectedByKind { tables[ti].rejectedByKind[k, default: 0] += v }
        }

        // Logistics on its own thread: move its parts out so the two threads share nothing.
        final class LogisticsJob: @unchecked Sendable {
            var parts: [(pool: StringPool, rows: [LogisticsRow])] = []
            var out: [LogisticsRow] = []
            var read = 0
        }
        let job = LogisticsJob()
        for i in results.indices where results[i].file.table == .logistics {
            job.parts.append((results[i].pool, results[i].logistics))
            results[i].logistics = []
        }
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            job.read = job.parts.reduce(0) { $0 + $1.rows.count }
            job.out = Dedup.groupedEvents(&job.parts)
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()

        // The biggest file's pool becomes the merged pool as it is (its rows keep their ids);
        // the others are absorbed into it. With one large orders file this saves hashing a
        // million order ids a second time.
        let main = results.indices.filter { results[$0].file.table != .logistics }
            .max { a, b in results[a].pool.count != results[b].pool.count ? results[a].pool.count < results[b].pool.count : a > b }
        let pool = main.map { results[$0].pool.copy() } ?? StringPool(capacity: 1 << 16)
        var orderParts: [[OrderRow]] = []
        var ticketParts: [[TicketRow]] = []
        for i in results.indices where results[i].file.table != .logistics {
            if i == main {
                if !results[i].orders.isEmpty { orderParts.append(results[i].orders) }
                if !results[i].tickets.isEmpty { ticketParts.append(results[i].tickets) }
                results[i].orders = []
                results[i].tickets = []
                results[i].pool = StringPool(capacity: 1)
                continue
            }
            let map = pool.absorb(results[i].pool)
            results[i].pool = StringPool(capacity: 1)
            @inline(__always) func m(_ id: StrID) -> StrID { id < 0 ? id : map[Int(id)] }
            var orders = results[i].orders
            results[i].orders = []
            orders.withUnsafeMutableBufferPointer { rows in
                for k in rows.indices {
                    rows[k].orderID = m(rows[k].orderID)
                    rows[k].customer = m(rows[k].customer)
                    rows[k].merchant = m(rows[k].merchant)
                    rows[k].product = m(rows[k].product)
                    rows[k].category = m(rows[k].category)
                }
            }
            if !orders.isEmpty { orderParts.append(orders) }
            var tickets = results[i].tickets
            results[i].tickets = []
            tickets.withUnsafeMutableBufferPointer { rows in
                for k in rows.indices {
                    rows[k].ticketID = m(rows[k].ticketID)
                    rows[k].orderID = m(rows[k].orderID)
                    rows[k].product = m(rows[k].product)
                    rows[k].merchant = m(rows[k].merchant)
                    rows[k].channel = m(rows[k].channel)
                    rows[k].agent = m(rows[k].agent)
                    rows[k].category = m(rows[k].category)
                }
            }
            if !tickets.isEmpty { ticketParts.append(tickets) }
        }
        let orderCount = orderParts.reduce(0) { $0 + $1.count }
        let ticketCount = ticketParts.reduce(0) { $0 + $1.count }
        let o = Dedup.latest(parts: orderParts, key: { $0.orderID }, updated: { $0.updatedAt }, seq: { $0.seq }, idCount: pool.count)
        orderParts = []
        let t = Dedup.latest(parts: ticketParts, key: { $0.ticketID }, updated: { $0[.updatedAt] }, seq: { $0.seq }, idCount: pool.count)
        ticketParts = []
        done.wait()

        tables[0].unique = o.count
        tables[0].duplicatesMerged = orderCount - o.count
        tables[1].unique = job.out.count
        tables[1].duplicatesMerged = job.read - job.out.count
        tables[2].unique = t.count
        tables[2].duplicatesMerged = ticketCount - t.count

        return LoadedInputs(
            pool: pool, orders: o, tickets: t, logistics: job.out, rejects: rejects,
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

    /// `latest` over several arrays read in order, without concatenating them first.
    public static func latest<Row>(parts: [[Row]], key: (Row) -> StrID, updated: (Row) -> Int64, seq: (Row) -> Int64,
                                   idCount: Int) -> [Row]
    {
        if parts.count == 1 { return latest(parts[0], key: key, updated: updated, seq: seq, idCount: idCount) }
        // best[id] = part << 32 | row, or -1.
        var best = [Int64](repeating: -1, count: idCount)
        var unique = 0
        for (p, rows) in parts.enumerated() {
            for (i, r) in rows.enumerated() {
                let k = Int(key(r))
                let b = best[k]
                if b < 0 {
                    best[k] = Int64(p) << 32 | Int64(i)
                    unique += 1
                    continue
                }
                let cur = parts[Int(b >> 32)][Int(b & 0xFFFF_FFFF)]
                let (u1, u0) = (updated(r), updated(cur))
                if u1 > u0 || (u1 == u0 && seq(r) > seq(cur)) { best[k] = Int64(p) << 32 | Int64(i) }
            }
        }
        var out: [Row] = []
        out.reserveCapacity(unique)
        for b in best where b >= 0 { out.append(parts[Int(b >> 32)][Int(b & 0xFFFF_FFFF)]) }
        return out
    }

    /// Interns every part's tracking numbers into one pool, groups the events by tracking number
    /// with a counting sort (linear), sorts each group by (event_at, event, read order) and keeps
    /// the copy read last of equal (event, event_at). Empties `parts` as it goes. The result is
    /// grouped by tracking number (ids in first-seen order) and time-ordered inside each group.
    static func groupedEvents(_ parts: inout [(pool: StringPool, rows: [LogisticsRow])]) -> [LogisticsRow] {
        let total = parts.reduce(0) { $0 + $1.rows.count }
        if total == 0 { return [] }
        // The largest part's pool is adopted as it is (identity map); the others are absorbed.
        let main = parts.indices.max { parts[$0].rows.count < parts[$1].rows.count } ?? 0
        let pool = parts[main].pool.copy()
        var maps: [[StrID]] = []
        for (i, p) in parts.enumerated() {
            maps.append(i == main ? (0..<Int32(pool.count)).map { $0 } : pool.absorb(p.pool))
        }
        let n = pool.count
        var start = [Int32](repeating: 0, count: n + 1)
        for (pi, p) in parts.enumerated() {
            let m = maps[pi]
            for r in p.rows { start[Int(m[Int(r.trackingNo)]) + 1] += 1 }
        }
        for i in 0..<n { start[i + 1] += start[i] }
        var next = start
        var grouped = [LogisticsRow](unsafeUninitializedCapacity: total) { buf, count in
            for pi in parts.indices {
                let m = maps[pi]
                for var r in parts[pi].rows {
                    r.trackingNo = m[Int(r.trackingNo)]
                    let k = Int(r.trackingNo)
                    (buf.baseAddress! + Int(next[k])).initialize(to: r)
                    next[k] += 1
                }
                parts[pi].rows = []
            }
            count = total
        }
        parts = []
        next = []
        var w = 0
        grouped.withUnsafeMutableBufferPointer { g in
            for k in 0..<n {
                let a = Int(start[k])
                let b = Int(start[k + 1])
                // Insertion sort: groups are a handful of events.
                if b - a > 1 {
                    for i in (a + 1)..<b {
                        let x = g[i]
                        var j = i
                        while j > a && eventOrder(x, g[j - 1]) {
                            g[j] = g[j - 1]
                            j -= 1
                        }
                        g[j] = x
                    }
                }
                let groupStart = w
                for i in a..<b {
                    let r = g[i]
                    if w > groupStart && g[w - 1].eventAt == r.eventAt && g[w - 1].event == r.event {
                        g[w - 1] = r  // read later: keep this copy
                    } else {
                        g[w] = r
                        w += 1
                    }
                }
            }
        }
        grouped.removeLast(total - w)
        return grouped
    }

    @inline(__always)
    static func eventOrder(_ a: LogisticsRow, _ b: LogisticsRow) -> Bool {
        if a.eventAt != b.eventAt { return a.eventAt < b.eventAt }
        if a.event != b.event { return a.event.rawValue < b.event.rawValue }
        return a.seq < b.seq
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
