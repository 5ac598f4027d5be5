import SLAFast
import SLAModel

/// Duplicates (SPEC 2.5): which row wins for one key. The rest of the pipeline only calls this.
///
/// - Keys. Orders: order_id. Tickets: ticket_id alone — a ticket whose order_id changes between
///   dumps is still one ticket, and it keeps the winning row's order_id. Surveys: survey_id; else
///   (ticket_id, order_id, sent_at); else (ticket_id, order_id, answered_at), so an invitation and
///   its answered copy merge. Logistics events: (tracking_no, event, event_at). Keys compare parsed
///   values (签收 = delivered; one instant written two ways is one instant).
/// - Winner. Orders, tickets, surveys: the greatest updated_at, a present one beating a missing
///   one; equal (or both missing) ones go to the row read last. Events: the copy read last.
/// - Read order (`ReadSeq`): the table's files by base file name in byte order, then full path
///   (`InputFile.rank`), then line order in the file. Rows may arrive in any order (files are
///   merged as they finish): only values and read order decide.
/// - Rejected rows never take part. Merged duplicates are counted (`merged`, run.json).
/// - Logistics events leave grouped and ordered (`EventSet.finish`): by tracking id ascending,
///   then event_at, then event, then read order. `LogisticsAccumulator` relies on it.
///
/// Each decision is one function here; `LatestByID`, `SurveyDedup` and `EventSet` below apply
/// them while keeping memory to one row per key (the row loop's tuned structures).
enum Dedup {
    /// A row's place in the read order: file rank, then record index in the file.
    @inline(__always)
    static func readSeq(rank: Int, record: Int) -> ReadSeq {
        Int64(rank) << 32 | Int64(record)
    }

    /// Does snapshot `a` replace `b` (same key)? Greater updated_at wins (a missing one is
    /// `Timestamp.missing`, below any present one); equal ones go to the row read last.
    @inline(__always)
    static func wins<R: Snapshot>(_ a: R, over b: R) -> Bool {
        a.dedupUpdated > b.dedupUpdated || (a.dedupUpdated == b.dedupUpdated && a.seq > b.seq)
    }

    /// The key of a survey: its id; else ticket, order and sent_at; else ticket, order and
    /// answered_at.
    static func surveyKey(_ s: SurveyRow) -> SurveyKey {
        if s.surveyID != .none { return .id(s.surveyID) }
        if s.sentAt != .missing { return .sent(s.ticketID, s.orderID, s.sentAt) }
        return .answered(s.ticketID, s.orderID, s.answeredAt)
    }

    enum SurveyKey: Hashable {
        case id(StrID)
        case sent(StrID, StrID, Int64)
        case answered(StrID, StrID, Int64)
    }

    /// Are two events of one tracking number the same event? (Then the copy read last is kept.)
    @inline(__always)
    static func sameEvent(_ a: LogisticsRow, _ b: LogisticsRow) -> Bool {
        a.eventAt == b.eventAt && a.event == b.event
    }

    /// The order of a tracking number's events: event_at, then event, then read order (a total
    /// order, so copies of one event end up next to each other, the one read last last).
    @inline(__always)
    static func eventOrder(_ a: LogisticsRow, _ b: LogisticsRow) -> Bool {
        if a.eventAt != b.eventAt { return a.eventAt < b.eventAt }
        if a.event != b.event { return a.event.rawValue < b.event.rawValue }
        return a.seq < b.seq
    }

    /// Every part's events deduplicated, grouped and ordered (see `EventSet.finish`), with the
    /// pool their tracking ids now refer to. Empties `parts`.
    static func groupedEvents(_ parts: inout [(pool: StringPool, rows: [LogisticsRow])])
        -> (pool: StringPool?, rows: [LogisticsRow])
    {
        var set = EventSet()
        for i in parts.indices { set.add(&parts[i].rows, pool: parts[i].pool, file: i) }
        parts = []
        let rows = set.finish()
        return (set.pool, rows)
    }
}

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
    /// The ticket id alone: a ticket whose order_id changed between dumps is one ticket.
    var dedupKey: StrID { ticketID }
    var dedupUpdated: Int64 { times.updatedAt }
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
        if k >= slot.count {
            slot.append(contentsOf: repeatElement(-1, count: max(k + 1 - slot.count, slot.count, 1024)))
        }
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
        // Safe: keys are pool ids (>= 0) and `slot` has top + 1 entries, so 0 <= k < slot.count;
        // w <= i < g.count, and s is a w already written, so s < w <= g.count.
        rows.withUnsafeMutableBufferPointer { g in
            var top = -1
            for r in g { top = max(top, Int(r.dedupKey)) }
            slot = [Int32](repeating: -1, count: top + 1)
            slot.withUnsafeMutableBufferPointer { slot in
                for i in g.indices {
                    let r = g[i]
                    let k = Int(r.dedupKey)
                    assert(k >= 0 && k < slot.count, "dedup key outside the slot table")
                    let s = Int(slot[k])
                    assert(s < w && w <= i)
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
        // Safe: i runs over g.indices.
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

/// Survey snapshots deduplicated (a survey id; else ticket, order and sent_at; else ticket,
/// order and answered_at — parsed values, so an invitation and its answered copy merge), the
/// winner chosen like orders' and tickets' (greatest updated_at, then read last).
struct SurveyDedup {
    private(set) var rows: [SurveyRow] = []
    private var slot: [Dedup.SurveyKey: Int] = [:]
    private(set) var added = 0
    var merged: Int { added - rows.count }

    mutating func add(_ s: SurveyRow) {
        added += 1
        let k = Dedup.surveyKey(s)
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
            slot[Dedup.surveyKey(rows[i])] = i
        }
    }

    mutating func take() -> [SurveyRow] {
        slot = [:]
        defer { rows = [] }
        return rows
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
            while j >= 0 && !Dedup.sameEvent(events[j], r) { j = Int(next[j]) }
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

    /// The events deduplicated, grouped and ordered in place — the order `LoadedInputs.logistics`
    /// promises and `LogisticsAccumulator` relies on: by tracking id ascending (see `permute`;
    /// one check pass when the file listed them grouped), then `Dedup.eventOrder` (event_at,
    /// event, read order), keeping the copy read last of each event (`Dedup.sameEvent`).
    mutating func finish() -> [LogisticsRow] {
        head = []
        next = []
        guard let pool, !events.isEmpty else { return [] }
        let total = events.count
        let n = pool.count
        var w = 0
        // Safe: g is not empty (checked above); a < b <= g.count, a <= j <= i < b in the sort, and
        // w <= i < g.count in the merge, so every index lies in g.
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
                assert(a < b && b <= g.count && w <= a)
                for i in a..<b {
                    if w > groupStart && Dedup.sameEvent(g[w - 1], g[i]) {
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
        // Safe: ids are below n (the pool's count), so k and b lie in 0..<n and k + 1 in start;
        // next[b] stays below start[b + 1] <= g.count (one slot per event of group b).
        start.withUnsafeBufferPointer { start in
            next.withUnsafeMutableBufferPointer { next in
                for k in 0..<n {
                    var i = Int(next[k])
                    let end = Int(start[k + 1])
                    while i < end {
                        var x = g[i]
                        var b = Int(x.trackingNo)
                        while b != k {
                            assert(b >= 0 && b < n, "tracking id outside the pool")
                            let j = Int(next[b])
                            assert(j >= 0 && j < Int(start[b + 1]) && j < g.count)
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
