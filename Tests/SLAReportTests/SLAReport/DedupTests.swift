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
        var parts = [
            (
                pool: pool,
                rows: [
                    ev("A", .delivered, 200, 1), ev("A", .pickedUp, 100, 2),  // out of time order
                    ev("B", .inTransit, 50, 3), ev("B", .inTransit, 50, 4),  // a repeat: record 4 wins
                    ev("C", .pickedUp, 10, 5),
                ]
            )
        ]
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

    @Test func readOrderIsFileRankThenRecord() {
        #expect(Dedup.readSeq(rank: 1, record: 0) > Dedup.readSeq(rank: 0, record: 1_000_000))
        #expect(Dedup.readSeq(rank: 2, record: 8) > Dedup.readSeq(rank: 2, record: 7))
    }

    /// The ticket key is ticket_id alone: a later dump that moved the ticket to another order is
    /// the same ticket, and the winner's order_id is the one kept.
    @Test func ticketWhoseOrderChangedBetweenDumps() {
        func ticket(order: StrID, updated: Int64, rank: Int) -> TicketRow {
            var t = TicketRow(ticketID: 3, type: .complaint, createdAt: 10)
            t.orderID = order
            t.times.updatedAt = updated
            t.seq = Dedup.readSeq(rank: rank, record: 1)
            return t
        }
        // (updated_at of the later dump's row, the order_id kept)
        for (updated, kept) in [(Int64(20), StrID(6)), (30, 6), (10, 5), (.missing, 5)] {
            let a = ticket(order: 5, updated: 20, rank: 0)
            let b = ticket(order: 6, updated: updated, rank: 1)
            var byID = LatestByID<TicketRow>()
            for t in [b, a] { byID.add(t) }
            #expect(byID.rows.count == 1 && byID.merged == 1)
            #expect(byID.rows[0].orderID == kept)
        }
    }

    /// Surveys: by id; else ticket, order and sent_at; else ticket, order and answered_at.
    @Test func surveyKeys() {
        func survey(id: StrID = .none, sent: Int64 = .missing, answered: Int64 = .missing, rank: Int) -> SurveyRow {
            var s = SurveyRow()
            s.ticketID = 1
            s.orderID = 2
            s.surveyID = id
            s.sentAt = sent
            s.answeredAt = answered
            s.seq = Dedup.readSeq(rank: rank, record: 1)
            return s
        }
        #expect(Dedup.surveyKey(survey(id: 9, sent: 5, rank: 0)) == .id(9))
        #expect(Dedup.surveyKey(survey(sent: 5, answered: 7, rank: 0)) == .sent(1, 2, 5))
        #expect(Dedup.surveyKey(survey(answered: 7, rank: 0)) == .answered(1, 2, 7))
        // An invitation and its answered copy (same sent_at) merge; the one read last wins.
        var d = SurveyDedup()
        d.add(survey(sent: 5, rank: 0))
        d.add(survey(sent: 5, answered: 7, rank: 1))
        d.add(survey(answered: 8, rank: 0))
        #expect(d.rows.count == 2 && d.merged == 1)
        #expect(d.rows[0].answeredAt == 7)
    }

    /// The order the metrics rely on: tracking id ascending, then event_at, event, read order.
    @Test func eventsLeaveGroupedAndOrdered() {
        var rng = SplitMix(seed: 5)
        let pool = StringPool(capacity: 4)
        for t in 0..<200 { _ = pool.intern("T\(t)") }
        let rows = (0..<3000).map { i -> LogisticsRow in
            let kind = LogisticsEventKind(rawValue: UInt8(1 + rng.next() % 5))!
            var r = LogisticsRow(trackingNo: StrID(rng.next() % 200), event: kind, eventAt: Int64(rng.next() % 50))
            r.seq = Int64(i)
            return r
        }
        var parts = [(pool: pool, rows: rows)]
        let (p, out) = Dedup.groupedEvents(&parts)
        #expect(p === pool)
        #expect(out.count < rows.count)  // some (tracking, event, event_at) repeat
        for i in 1..<out.count {
            let (a, b) = (out[i - 1], out[i])
            #expect(a.trackingNo < b.trackingNo || (a.trackingNo == b.trackingNo && Dedup.eventOrder(a, b)))
            #expect(!(a.trackingNo == b.trackingNo && Dedup.sameEvent(a, b)))
        }
    }
}
