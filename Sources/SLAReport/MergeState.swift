import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

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
