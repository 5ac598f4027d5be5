import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite("Pipeline.Dedup")
struct DedupTests {
    /// Two dumps of order O1: file rank 0 and 1. `seq` = rank << 32 | record.
    func order(_ id: StrID, updated: Int64, rank: Int64, record: Int64, ordered: Int64 = 100) -> OrderRow {
        var o = OrderRow(orderID: id, orderedAt: ordered)
        o.updatedAt = updated
        o.seq = rank << 32 | record
        return o
    }

    /// Rows through `LatestByID` in the order given.
    func latest(_ rows: [OrderRow]) -> [OrderRow] {
        var t = LatestByID<OrderRow>()
        for r in rows { t.add(r) }
        #expect(t.merged == rows.count - t.rows.count)
        return t.rows
    }

    /// Events through `Dedup.groupedEvents`, split into two parts with pools of their own
    /// (ids here are the pool ids of "T0", "T1", …, carriers "C7", …). The result's tracking ids
    /// and carriers are mapped back
    /// to the numbers given: pool ids depend on which part is merged first.
    func events(_ rows: [LogisticsRow]) -> [LogisticsRow] {
        let half = rows.count / 2
        var parts: [(pool: StringPool, rows: [LogisticsRow])] = [rows[..<half], rows[half...]].map { chunk in
            let pool = StringPool(capacity: 4)
            let mapped = chunk.map { r -> LogisticsRow in
                var r = r
                r.trackingNo = pool.intern("T\(r.trackingNo)")
                if r.carrier != .none { r.carrier = pool.intern("C\(r.carrier)") }
                return r
            }
            return (pool, mapped)
        }
        let (pool, out) = Dedup.groupedEvents(&parts)
        return out.map { r in
            var r = r
            r.trackingNo = StrID(pool!.string(r.trackingNo).dropFirst())!
            if r.carrier != .none { r.carrier = StrID(pool!.string(r.carrier).dropFirst())! }
            return r
        }
    }

    @Test func greatestUpdatedAtWins() {
        let a = order(0, updated: 200, rank: 0, record: 1, ordered: 1)
        let b = order(0, updated: 100, rank: 1, record: 1, ordered: 2)
        // a has the later updated_at even though b was read later.
        for rows in [[a, b], [b, a]] {
            let out = latest(rows)
            #expect(out == [a])
        }
    }

    @Test func presentBeatsMissing() {
        let a = order(0, updated: .missing, rank: 1, record: 5, ordered: 1)
        let b = order(0, updated: 50, rank: 0, record: 1, ordered: 2)
        for rows in [[a, b], [b, a]] {
            let out = latest(rows)
            #expect(out == [b])
        }
    }

    @Test(arguments: [Int64(300), Int64.min])
    func tiesGoToTheRowReadLast(updated: Int64) {
        // Equal (or both missing) updated_at: file rank 1 beats rank 0; within a file the later line wins.
        let a = order(0, updated: updated, rank: 0, record: 9, ordered: 1)
        let b = order(0, updated: updated, rank: 1, record: 2, ordered: 2)
        let c = order(0, updated: updated, rank: 1, record: 3, ordered: 3)
        for rows in [[a, b, c], [c, b, a], [b, a, c]] {
            let out = latest(rows)
            #expect(out == [c])
        }
    }

    @Test func logisticsEventsEqualInKeyCountOnce() {
        func ev(_ t: StrID, _ k: LogisticsEventKind, _ at: Int64, seq: Int64, carrier: StrID = .none) -> LogisticsRow {
            var r = LogisticsRow(trackingNo: t, event: k, eventAt: at)
            r.seq = seq
            r.carrier = carrier
            return r
        }
        let rows = [
            ev(1, .delivered, 500, seq: 1, carrier: 7),
            ev(0, .pickedUp, 100, seq: 2),
            ev(1, .delivered, 500, seq: 9, carrier: 8),  // same key, read later: kept
            ev(1, .inTransit, 500, seq: 3),  // same instant, other event: kept
            ev(0, .pickedUp, 101, seq: 4),  // other instant: kept
        ]
        let out = events(rows)
        #expect(out.count == 4)
        #expect(out.map(\.trackingNo).sorted() == [0, 0, 1, 1])
        #expect(out.first { $0.event == .delivered }?.carrier == 8)
        // Any arrival order keeps the same events (compared in a canonical order).
        func canonical(_ r: [LogisticsRow]) -> [LogisticsRow] {
            r.sorted { ($0.trackingNo, $0.eventAt, $0.event.rawValue) < ($1.trackingNo, $1.eventAt, $1.event.rawValue) }
        }
        #expect(canonical(events(rows.reversed())) == canonical(out))
        // Many distinct events, each given twice: none lost, none doubled.
        let many = (0..<5000).map { ev(StrID($0 % 97), .inTransit, Int64($0), seq: Int64($0)) }
        #expect(events(many + many).count == 5000)
    }

    /// One file listing each shipment's events together (the usual export): grouped without the
    /// permutation, yet still time-sorted inside each shipment and deduplicated.
    @Test func logisticsAlreadyGroupedFile() {
        let pool = StringPool(capacity: 4)
        func ev(_ t: String, _ k: LogisticsEventKind, _ at: Int64, _ record: Int64) -> LogisticsRow {
            var r = LogisticsRow(trackingNo: pool.intern(t), event: k, eventAt: at)
            r.seq = record
            r.carrier = StrID(record)
            return r
        }
        var parts = [(pool: pool, rows: [
            ev("A", .delivered, 200, 1), ev("A", .pickedUp, 100, 2),  // out of time order
            ev("B", .inTransit, 50, 3), ev("B", .inTransit, 50, 4),  // a repeat: record 4 wins
            ev("C", .pickedUp, 10, 5),
        ])]
        let (p, out) = Dedup.groupedEvents(&parts)
        #expect(out.map { p!.string($0.trackingNo) } == ["A", "A", "B", "C"])
        #expect(out.map(\.eventAt) == [100, 200, 50, 10])
        #expect(out.map(\.carrier) == [2, 1, 4, 5])
    }

    /// Files merged in any order: the copy from the file read last wins, whichever file arrived
    /// first, and the first file's own duplicates are settled too.
    @Test func logisticsFilesInAnyArrivalOrder() {
        func part(rank: Int64, carrier: StrID, twice: Bool = false) -> (pool: StringPool, rows: [LogisticsRow]) {
            let pool = StringPool(capacity: 4)
            var rows: [LogisticsRow] = []
            for (k, record) in [(0, Int64(1)), (1, 2)] + (twice ? [(0, 3)] : []) {
                var r = LogisticsRow(trackingNo: pool.intern("SF\(k)"), event: .delivered, eventAt: 500)
                r.seq = rank << 32 | record
                // The carrier marks the copy: interned in the part's own pool, remapped by the merge.
                r.carrier = pool.intern("C\(carrier + StrID(record == 3 ? 10 : 0))")
                rows.append(r)
            }
            return (pool, rows)
        }
        let a = part(rank: 1, carrier: 1, twice: true)
        let b = part(rank: 0, carrier: 2)
        let c = part(rank: 2, carrier: 3)
        for order in [[a, b, c], [c, b, a], [b, a, c], [a, c, b]] {
            var parts = order
            let (pool, out) = Dedup.groupedEvents(&parts)
            #expect(out.count == 2)
            #expect(Set(out.map { pool!.string($0.trackingNo) }) == ["SF0", "SF1"])
            #expect(out.allSatisfy { pool!.string($0.carrier) == "C3" })
        }
        var noC = [b, a]
        let (pool, out) = Dedup.groupedEvents(&noC)
        // Without c, a wins; a's own later copy of SF0 (record 3) beats its record 1.
        #expect(out.first { pool!.string($0.trackingNo) == "SF0" }.map { pool!.string($0.carrier) } == "C11")
        #expect(out.first { pool!.string($0.trackingNo) == "SF1" }.map { pool!.string($0.carrier) } == "C1")
    }

    /// Each file interns its carriers in a pool of its own, so the same id names another carrier
    /// in the next file: the merge remaps carriers as it does tracking numbers (empty stays
    /// empty), whichever file comes first, and in the first file's later chunks too.
    @Test func logisticsCarrierIdsRemappedAcrossFiles() {
        func part(rank: Int64, _ shipments: [(String, String?)]) -> (pool: StringPool, rows: [LogisticsRow]) {
            let pool = StringPool(capacity: 4)
            var rows: [LogisticsRow] = []
            for (i, (t, c)) in shipments.enumerated() {
                // The carrier is interned first, so both files give their first carrier id 0.
                let carrier = c.map { pool.intern($0) } ?? .none
                var r = LogisticsRow(trackingNo: pool.intern(t), event: .pickedUp, eventAt: 100 + Int64(i))
                r.carrier = carrier
                r.seq = rank << 32 | Int64(i)
                rows.append(r)
            }
            return (pool, rows)
        }
        let first = part(rank: 0, [("T1", "顺丰"), ("T2", nil)])
        let second = part(rank: 1, [("T3", "京东"), ("T4", "顺丰"), ("T5", nil)])
        let firstAgain = part(rank: 0, [("T6", "中通")])  // a later chunk of the first file
        for order in [[first, second, firstAgain], [second, first, firstAgain], [first, firstAgain, second]] {
            var parts = order
            let (pool, out) = Dedup.groupedEvents(&parts)
            var carriers: [String: String] = [:]
            for r in out { carriers[pool!.string(r.trackingNo)] = r.carrier == .none ? "" : pool!.string(r.carrier) }
            #expect(carriers == ["T1": "顺丰", "T2": "", "T3": "京东", "T4": "顺丰", "T5": "", "T6": "中通"])
        }
    }
}

@Suite("Pipeline.InputDiscovery")
struct InputDiscoveryTests {
    @Test(arguments: [
        ("orders-2026.csv", Table.orders as Table?), ("Tickets_1.CSV.GZ", .tickets), ("logistics.tsv", .logistics),
        ("logistics-x.tsv.gz", .logistics), ("orders.gz", .orders), ("orders.txt", nil), ("README.md", nil),
        ("customers.csv", nil),
    ])
    func tableFromName(name: String, table: Table?) throws {
        #expect(try InputDiscovery.table(forName: name) == table)
    }

    @Test func readOrderIsBaseNameThenPath() {
        let files = [
            InputFile(path: "/b/tickets-2.csv", table: .tickets, tsv: false),
            InputFile(path: "/a/tickets-2.csv", table: .tickets, tsv: false),
            InputFile(path: "/z/tickets-1.csv", table: .tickets, tsv: false),
            InputFile(path: "/z/orders.csv", table: .orders, tsv: false),
        ]
        let out = InputDiscovery.ordered(files)
        #expect(out.map(\.path) == ["/z/orders.csv", "/z/tickets-1.csv", "/a/tickets-2.csv", "/b/tickets-2.csv"])
        #expect(out.map(\.rank) == [0, 0, 1, 2])
    }

    @Test func missingInputsAreNamed() throws {
        var sel = InputSelection()
        sel.tickets = ["/nonexistent/tickets.csv"]
        #expect(throws: IngestError.inputMissing(path: "/nonexistent/tickets.csv")) {
            try InputDiscovery.discover(sel, defaultFolder: "sample-data")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-empty-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        FileManager.default.createFile(atPath: empty + "/notes.txt", contents: Data())
        FileManager.default.createFile(atPath: empty + "/export_2025_11_24.csv", contents: Data())
        // The message names the folder, the patterns looked for and the files ignored.
        let patterns = InputDiscovery.patterns(globs: [:])
        #expect(patterns.first == "orders* (.csv, .tsv, .gz)" && patterns.count == 4)
        #expect(throws: IngestError.noInputFound(
            folders: [empty], patterns: patterns, ignored: [empty + "/export_2025_11_24.csv", empty + "/notes.txt"])) {
            try InputDiscovery.discover(InputSelection(), defaultFolder: empty)
        }
        // A files glob finds the export; one that two tables share is a config error.
        let found = try InputDiscovery.discover(InputSelection(), defaultFolder: empty, globs: [.tickets: ["EXPORT_*"]])
        #expect(found.map(\.table) == [.tickets])
        #expect(throws: ConfigError.self) {
            try InputDiscovery.discover(
                InputSelection(), defaultFolder: empty, globs: [.tickets: ["export_*"], .orders: ["*.csv"]])
        }
    }

    @Test(arguments: [
        ("olist_orders*", "olist_orders_dataset.csv", true), ("*.csv", "a.csv", true), ("a?c.csv", "abc.csv", true),
        ("a[xy]c*", "ayc.csv", true), ("a[xy]c*", "azc.csv", false), ("*orders*", "x.csv", false),
        ("export_*_1.csv", "export_2025_11_24_8f3c_1.csv", true), ("*", "", true), ("?", "", false),
    ])
    func globs(pattern: String, name: String, matches: Bool) {
        #expect(Glob.matches(pattern, name) == matches)
    }
}
