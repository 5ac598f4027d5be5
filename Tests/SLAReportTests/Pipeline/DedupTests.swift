import Foundation
import Testing

@testable import SLAReport

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
    /// (ids here are the pool ids of "T0", "T1", …).
    func events(_ rows: [LogisticsRow]) -> [LogisticsRow] {
        let half = rows.count / 2
        var parts: [(pool: StringPool, rows: [LogisticsRow])] = [rows[..<half], rows[half...]].map { chunk in
            let pool = StringPool(capacity: 4)
            let mapped = chunk.map { r -> LogisticsRow in
                var r = r
                r.trackingNo = pool.intern("T\(r.trackingNo)")
                return r
            }
            return (pool, mapped)
        }
        return Dedup.groupedEvents(&parts)
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
}

@Suite("Pipeline.InputDiscovery")
struct InputDiscoveryTests {
    @Test(arguments: [
        ("orders-2026.csv", Table.orders as Table?), ("Tickets_1.CSV.GZ", .tickets), ("logistics.tsv", .logistics),
        ("logistics-x.tsv.gz", .logistics), ("orders.gz", .orders), ("orders.txt", nil), ("README.md", nil),
        ("customers.csv", nil),
    ])
    func tableFromName(name: String, table: Table?) {
        #expect(InputDiscovery.table(forName: name) == table)
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
        #expect(throws: IngestError.noInput) { try InputDiscovery.discover(InputSelection(), defaultFolder: empty) }
    }
}
