import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// A row of a snapshot table (orders, tickets, surveys): the same row may come in several dumps.
protocol Snapshot {
    /// `updated_at`, `Timestamp.missing` (Int64.min) when absent, so a present one wins.
    var dedupUpdated: Int64 { get }
    var seq: ReadSeq { get }
}

/// Rows deduplicated by id (SPEC 2.5): orders and tickets.
protocol KeyedSnapshot: Snapshot {
    var dedupKey: StrID { get }
}

extension SurveyRow: Snapshot {
    var dedupUpdated: Int64 { updatedAt }
}

extension OrderRow: KeyedSnapshot {
    var dedupKey: StrID { orderID }
    var dedupUpdated: Int64 { updatedAt }
}

extension TicketRow: KeyedSnapshot {
    var dedupKey: StrID { ticketID }
    var dedupUpdated: Int64 { times.updatedAt }
}

/// Duplicate resolution (SPEC 2.5). Independent of the order rows arrive in: it looks only at
/// values and each row's read sequence (file rank in name order, then record).
enum Dedup {
    /// Does snapshot `a` replace `b`? Greater updated_at wins; equal (or both missing) ones go to
    /// the row read last.
    @inline(__always)
    static func wins<R: Snapshot>(_ a: R, over b: R) -> Bool {
        a.dedupUpdated > b.dedupUpdated || (a.dedupUpdated == b.dedupUpdated && a.seq > b.seq)
    }

    /// Every part's events deduplicated and grouped (see `EventSet`), with the pool their
    /// tracking ids now refer to. Empties `parts`.
    static func groupedEvents(_ parts: inout [(pool: StringPool, rows: [LogisticsRow])])
        -> (pool: StringPool?, rows: [LogisticsRow])
    {
        var set = EventSet()
        for i in parts.indices { set.add(&parts[i].rows, pool: parts[i].pool, file: i) }
        parts = []
        let rows = set.finish()
        return (set.pool, rows)
    }

    @inline(__always)
    static func eventOrder(_ a: LogisticsRow, _ b: LogisticsRow) -> Bool {
        if a.eventAt != b.eventAt { return a.eventAt < b.eventAt }
        if a.event != b.event { return a.event.rawValue < b.event.rawValue }
        return a.seq < b.seq
    }
}

/// Logistics events deduplicated as their chunks arrive, so a dump repeated in later files costs
/// no memory beyond the chunk being merged. The first file's rows are appended as they are; when
/// another file's arrive, each tracking number gets a list of its events (`head`/`next`, indices
/// into `events`) and a later event replaces the copy of the same (event, event_at) it finds
/// there when read later, or is appended. `finish` groups everything in place.
struct EventSet {
    private(set) var pool: StringPool?
    private var events: [LogisticsRow] = []
    /// Per tracking id: its last listed event, -1 = none. Empty until a second file arrives.
    private var head: [Int32] = []
    /// Per event: the previous listed event of the same tracking number, -1 = none.
    private var next: [Int32] = []
    private(set) var read = 0
    /// The file whose rows came first: until another file's arrive, its chunks are appended
    /// without lists (a single file's own duplicates are settled in `finish`).
    private var firstFile = -1

    /// Takes `rows` (ids from `pool`) of input file `file`, leaving it empty. `expected`: about
    /// how many events the first file holds in all (room is made once).
    mutating func add(_ rows: inout [LogisticsRow], pool p: StringPool, file: Int, expected: Int = 0) {
        read += rows.count
        guard let pool else {
            pool = p
            firstFile = file
            swap(&events, &rows)
            if expected > events.count { events.reserveCapacity(min(expected, 1 << 30)) }
            return
        }
        let map = pool.absorb(p)
        if file == firstFile && next.isEmpty {
            for var r in rows {
                r.trackingNo = map[Int(r.trackingNo)]
                if r.carrier != .none { r.carrier = map[Int(r.carrier)] }
                events.append(r)
            }
            rows = []
            return
        }
        if next.isEmpty && !events.isEmpty {
            // Lists for the adopted rows (their own duplicates are settled in `finish`).
            head = [Int32](repeating: -1, count: pool.count)
            next = [Int32](repeating: -1, count: events.count)
            next.reserveCapacity(events.capacity)
            for i in events.indices {
                let t = Int(events[i].trackingNo)
                next[i] = head[t]
                head[t] = Int32(i)
            }
        }
        if head.count < pool.count { head.append(contentsOf: repeatElement(-1, count: pool.count - head.count)) }
        for var r in rows {
            r.trackingNo = map[Int(r.trackingNo)]
            if r.carrier != .none { r.carrier = map[Int(r.carrier)] }
            let t = Int(r.trackingNo)
            var j = Int(head[t])
            while j >= 0 && (events[j].eventAt != r.eventAt || events[j].event != r.event) { j = Int(next[j]) }
            if j >= 0 {
                // Replacing only ever raises the seq a key holds and r is dropped only when
                // a listed copy beats it, so the copy read last always survives; `finish`
                // settles the copies a file listed together.
                if r.seq > events[j].seq { events[j] = r }
            } else {
                events.append(r)
                next.append(head[t])
                head[t] = Int32(events.count - 1)
            }
        }
        rows = []
    }

    /// The events grouped by tracking number (ids in pool order) in place (see `permute`; one
    /// check pass when the file listed them grouped), each group sorted by (event_at, event,
    /// read order) keeping the copy read last of equal (event, event_at).
    mutating func finish() -> [LogisticsRow] {
        head = []
        next = []
        guard let pool, !events.isEmpty else { return [] }
        let total = events.count
        let n = pool.count
        var w = 0
        events.withUnsafeMutableBufferPointer { g in
            // Exports list a shipment's events together and ids are numbered as first seen, so
            // the ids usually never decrease along the array: then it is grouped already.
            var grouped = true
            for i in 1..<g.count where g[i].trackingNo < g[i - 1].trackingNo {
                grouped = false
                break
            }
            if !grouped { Self.permute(g, groups: n) }
            var a = 0
            while a < g.count {
                let key = g[a].trackingNo
                var b = a + 1
                var sorted = true
                while b < g.count && g[b].trackingNo == key {
                    if sorted && Dedup.eventOrder(g[b], g[b - 1]) { sorted = false }
                    b += 1
                }
                // Insertion sort: groups are a handful of events, usually in order already.
                // (event_at, event, read order) is a total order, so the permutation's
                // instability is harmless.
                if !sorted {
                    for i in (a + 1)..<b {
                        let x = g[i]
                        var j = i
                        while j > a && Dedup.eventOrder(x, g[j - 1]) {
                            g[j] = g[j - 1]
                            j -= 1
                        }
                        g[j] = x
                    }
                }
                let groupStart = w
                for i in a..<b {
                    if w > groupStart && g[w - 1].eventAt == g[i].eventAt && g[w - 1].event == g[i].event {
                        g[w - 1] = g[i]  // read later: keep this copy
                    } else {
                        if w != i { g[w] = g[i] }
                        w += 1
                    }
                }
                a = b
            }
        }
        events.removeLast(total - w)
        defer { events = [] }
        return events
    }

    /// Groups `g` by tracking id (ids below `n`) in place: counting, then an American-flag
    /// permutation — linear, each event moved at most once, no second array of events.
    private static func permute(_ g: UnsafeMutableBufferPointer<LogisticsRow>, groups n: Int) {
        var start = [Int32](repeating: 0, count: n + 1)
        for r in g { start[Int(r.trackingNo) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var next = start
        start.withUnsafeBufferPointer { start in
            next.withUnsafeMutableBufferPointer { next in
                for k in 0..<n {
                    var i = Int(next[k])
                    let end = Int(start[k + 1])
                    while i < end {
                        var x = g[i]
                        var b = Int(x.trackingNo)
                        while b != k {
                            let j = Int(next[b])
                            next[b] += 1
                            swap(&x, &g[j])
                            b = Int(x.trackingNo)
                        }
                        g[i] = x
                        i += 1
                    }
                    next[k] = start[k + 1]
                }
            }
        }
    }
}

/// The winning snapshot per id, kept as rows arrive (in any order). Memory holds one row per
/// distinct id, however many dumps repeat it.
struct LatestByID<Row: KeyedSnapshot> {
    private(set) var rows: [Row] = []
    /// By id: index in `rows`, or -1.
    private var slot: [Int32] = []
    private(set) var added = 0

    var merged: Int { added - rows.count }

    @inline(__always)
    mutating func add(_ row: Row) {
        added += 1
        let k = Int(row.dedupKey)
        if k >= slot.count { slot.append(contentsOf: repeatElement(-1, count: max(k + 1 - slot.count, slot.count, 1024))) }
        let s = Int(slot[k])
        if s < 0 {
            slot[k] = Int32(rows.count)
            rows.append(row)
        } else if Dedup.wins(row, over: rows[s]) {
            rows[s] = row
        }
    }

    /// Takes a first batch whose ids need no remapping as the storage itself and deduplicates
    /// it in place (no second array of a million rows). Later batches go through `add`.
    /// `expected`: about how many rows will come in all (room is made once).
    mutating func adopt(_ batch: inout [Row], expected: Int = 0) {
        guard rows.isEmpty && added == 0 else {
            for r in batch { add(r) }
            batch = []
            return
        }
        swap(&rows, &batch)
        // `expected` counts the batch's file: nothing to size when the batch is another table's.
        if !rows.isEmpty && expected > rows.count { rows.reserveCapacity(min(expected, 1 << 30)) }
        added = rows.count
        var w = 0
        rows.withUnsafeMutableBufferPointer { g in
            var top = -1
            for r in g { top = max(top, Int(r.dedupKey)) }
            slot = [Int32](repeating: -1, count: top + 1)
            slot.withUnsafeMutableBufferPointer { slot in
                for i in g.indices {
                    let r = g[i]
                    let k = Int(r.dedupKey)
                    let s = Int(slot[k])
                    if s < 0 {
                        slot[k] = Int32(w)
                        g[w] = r
                        w += 1
                    } else if Dedup.wins(r, over: g[s]) {
                        g[s] = r
                    }
                }
            }
        }
        rows.removeLast(rows.count - w)
    }

    /// Rewrites every row's ids (the merged pool changed) and re-indexes them by their new key.
    mutating func remap(_ body: (inout Row) -> Void) {
        if rows.isEmpty { return }
        var top = -1
        rows.withUnsafeMutableBufferPointer { g in
            for i in g.indices {
                body(&g[i])
                top = max(top, Int(g[i].dedupKey))
            }
        }
        slot = [Int32](repeating: -1, count: top + 1)
        for (i, r) in rows.enumerated() { slot[Int(r.dedupKey)] = Int32(i) }
    }

    /// Hands the rows out and forgets them.
    mutating func take() -> [Row] {
        slot = []
        defer { rows = [] }
        return rows
    }
}

/// Folds chunks of rows and finished files into one deduplicated data set as they come. Orders
/// and tickets are deduplicated at once, so snapshots repeated by later dumps are dropped early
/// and memory holds one row per distinct id; they share one string pool (tickets join orders on
/// order_id), lent by the first chunk and absorbing the others'. Logistics events are
/// deduplicated against the earlier ones as each chunk arrives (`EventSet`, per-tracking-number
/// lists; a hash set per event was three times slower at a million shipments), then grouped in
/// place on a thread of their own after the last one.
final class MergeState: @unchecked Sendable {
    private var pool: StringPool?
    private var orders = LatestByID<OrderRow>()
    private var tickets = LatestByID<TicketRow>()
    private var surveys = SurveyDedup()
    /// Extra values of the merged rows by table (rows point into them; see `ExtraStore`).
    private var extras: [Table: ExtraStore] = [:]
    private var eventSet = EventSet()
    private var logisticsPending: Int
    private var events: [LogisticsRow] = []
    /// The thread grouping the events after the last logistics file; joined before they are read.
    private var eventsDone: Worker?
    /// Per input file: its stats, rejects, error and latest timestamp (rows moved out).
    private var files: [FileResult?]

    /// `extraStrings`: per table, the extra slots that hold strings (their ids follow the pool).
    init(files: [InputFile], extraStrings: [Table: [Int]] = [:]) {
        for t in [Table.orders, .tickets, .surveys] { extras[t] = ExtraStore(stringSlots: extraStrings[t] ?? []) }
        self.files = Array(repeating: nil, count: files.count)
        logisticsPending = files.filter { $0.table == .logistics }.count
    }

    /// Merges rows of file `index` (in read order): a chunk of them, or with `last` the rest
    /// and the file's counts, which are kept. Takes the rows out of `r` (they are moved, not
    /// copied, where possible).
    func add(_ index: Int, _ r: inout FileResult, last: Bool) {
        if r.file.table == .logistics {
            eventSet.add(&r.logistics, pool: r.pool, file: index, expected: r.expectedRows)
            if last { logisticsPending -= 1 }
            if last && logisticsPending == 0 {
                do {
                    eventsDone = try Workers.start { [self] in events = eventSet.finish() }
                } catch {
                    events = eventSet.finish()
                }
            }
        } else if pool == nil {
            // The first order, ticket or survey file: its pool and rows are taken as they are.
            pool = r.pool
            relocateExtras(&r, map: nil)
            orders.adopt(&r.orders, expected: r.expectedRows)
            tickets.adopt(&r.tickets, expected: r.expectedRows)
            for s in r.surveys { surveys.add(s) }
        } else if r.pool.count > pool!.count {
            // The file's pool is the larger (a million order ids after a small ticket file):
            // it becomes the merged pool and the smaller one is folded into it, so the fewer
            // strings and rows are the ones re-interned and remapped.
            let map = r.pool.absorb(pool!)
            pool = r.pool
            orders.remap { Self.remap(&$0, map) }
            tickets.remap { Self.remap(&$0, map) }
            surveys.remap { Self.remap(&$0, map) }
            for t in extras.keys { extras[t]!.remapStrings(map) }
            relocateExtras(&r, map: nil)
            orders.adopt(&r.orders)
            tickets.adopt(&r.tickets)
            for s in r.surveys { surveys.add(s) }
        } else {
            let map = pool!.absorb(r.pool)
            relocateExtras(&r, map: map)
            for var o in r.orders {
                Self.remap(&o, map)
                orders.add(o)
            }
            for var t in r.tickets {
                Self.remap(&t, map)
                tickets.add(t)
            }
            for var s in r.surveys {
                Self.remap(&s, map)
                surveys.add(s)
            }
        }
        r.orders = []
        r.tickets = []
        r.logistics = []
        r.surveys = []
        r.extras = []
        r.pool = StringPool(capacity: 1)
        if last { files[index] = r }
    }

    /// Moves a chunk's extra values into the merged store of its table (string slots through
    /// `map` when its pool is folded into the merged one) and points its rows at them.
    private func relocateExtras(_ r: inout FileResult, map: [StrID]?) {
        guard r.extraWidth > 0, !r.extras.isEmpty, r.file.table != .logistics else { return }
        let base = extras[r.file.table]!.append(r.extras, width: r.extraWidth, map: map)
        @inline(__always) func shift(_ e: inout ExtraIndex) { if e >= 0 { e += base } }
        switch r.file.table {
        case .orders: for i in r.orders.indices { shift(&r.orders[i].extra) }
        case .tickets: for i in r.tickets.indices { shift(&r.tickets[i].extra) }
        case .surveys: for i in r.surveys.indices { shift(&r.surveys[i].extra) }
        case .logistics: break
        }
    }

    @inline(__always)
    private static func remap(_ s: inout SurveyRow, _ map: [StrID]) {
        @inline(__always) func m(_ id: StrID) -> StrID { id < 0 ? id : map[Int(id)] }
        s.surveyID = m(s.surveyID)
        s.ticketID = m(s.ticketID)
        s.orderID = m(s.orderID)
        s.agent = m(s.agent)
        s.comment = m(s.comment)
    }

    @inline(__always)
    private static func remap(_ o: inout OrderRow, _ map: [StrID]) {
        @inline(__always) func m(_ id: StrID) -> StrID { id < 0 ? id : map[Int(id)] }
        o.orderID = m(o.orderID)
        o.customer = m(o.customer)
        o.merchant = m(o.merchant)
        o.product = m(o.product)
        o.category = m(o.category)
        o.status = m(o.status)
    }

    @inline(__always)
    private static func remap(_ t: inout TicketRow, _ map: [StrID]) {
        @inline(__always) func m(_ id: StrID) -> StrID { id < 0 ? id : map[Int(id)] }
        t.ticketID = m(t.ticketID)
        t.orderID = m(t.orderID)
        t.product = m(t.product)
        t.merchant = m(t.merchant)
        t.channel = m(t.channel)
        t.agent = m(t.agent)
        t.category = m(t.category)
        t.status = m(t.status)
    }

    /// The merged data set, with per-file and per-table counts in read order.
    func finish() -> LoadedInputs {
        let results = files.map { $0! }
        var tables = Table.allCases.map { TableStats(table: $0) }
        var rejects: [Reject] = []
        var parts: [RejectPart] = []
        var spillFailure: OutputError? = nil
        var latest: Int64 = .min
        for r in results {
            // Files are in read order (table, then rank) and each file's rejects in line order.
            rejects.append(contentsOf: r.rejects)
            if let spill = r.spill {
                parts.append(RejectPart(table: r.file.table, file: r.file.path, spill: spill.path))
                if let f = spill.failure, spillFailure == nil { spillFailure = .io(path: spill.path, message: f) }
            }
            latest = max(latest, r.maxTimestamp)
            let ti = Table.allCases.firstIndex(of: r.file.table)!
            tables[ti].files += 1
            tables[ti].rowsRead += r.stats.rowsRead
            tables[ti].accepted += r.stats.accepted
            tables[ti].rejected += r.stats.rejected
            tables[ti].columns.formUnion(r.stats.columns)
            for (k, v) in r.stats.rejectedByKind { tables[ti].rejectedByKind[k, default: 0] += v }
        }
        tables[0].duplicatesMerged = orders.merged
        tables[2].duplicatesMerged = tickets.merged
        tables[3].duplicatesMerged = surveys.merged
        let o = orders.take()
        let t = tickets.take()
        let sv = surveys.take()
        tables[3].unique = sv.count
        eventsDone?.join()
        let l = events
        events = []
        tables[1].duplicatesMerged = eventSet.read - l.count
        tables[0].unique = o.count
        tables[1].unique = l.count
        tables[2].unique = t.count
        return LoadedInputs(
            pool: pool ?? StringPool(capacity: 16), orders: o, tickets: t, logistics: l,
            logisticsPool: eventSet.pool ?? StringPool(capacity: 1), surveys: sv,
            extras: extras, rejects: rejects, rejectParts: parts, spillFailure: spillFailure,
            files: results.map(\.stats), tables: tables, latestTimestamp: latest == .min ? nil : latest,
            warnings: results.compactMap(\.error))
    }
}

/// Survey snapshots deduplicated (a survey id; else ticket, order and sent_at; else ticket,
/// order and answered_at — parsed values, so an invitation and its answered copy merge), the
/// winner chosen like orders' and tickets' (greatest updated_at, then read last).
struct SurveyDedup {
    enum Key: Hashable {
        case id(StrID)
        case sent(StrID, StrID, Int64)
        case answered(StrID, StrID, Int64)
    }

    private(set) var rows: [SurveyRow] = []
    private var slot: [Key: Int] = [:]
    private(set) var added = 0
    var merged: Int { added - rows.count }

    static func key(_ s: SurveyRow) -> Key {
        if s.surveyID != .none { return .id(s.surveyID) }
        if s.sentAt != .missing { return .sent(s.ticketID, s.orderID, s.sentAt) }
        return .answered(s.ticketID, s.orderID, s.answeredAt)
    }

    mutating func add(_ s: SurveyRow) {
        added += 1
        let k = Self.key(s)
        if let i = slot[k] {
            if Dedup.wins(s, over: rows[i]) { rows[i] = s }
        } else {
            slot[k] = rows.count
            rows.append(s)
        }
    }

    /// Rewrites every row's ids (the merged pool changed) and re-indexes them.
    mutating func remap(_ body: (inout SurveyRow) -> Void) {
        if rows.isEmpty { return }
        slot = [:]
        for i in rows.indices {
            body(&rows[i])
            slot[Self.key(rows[i])] = i
        }
    }

    mutating func take() -> [SurveyRow] {
        slot = [:]
        defer { rows = [] }
        return rows
    }
}
