import Foundation
import Testing

@testable import SLAFast
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAReport

/// The partial stage's figures (`LogisticsPartial`, `MetricsPartial`) and their text
/// (`PartialText`): what buckets measure, written, read back into another pool and added up,
/// gives the one-pass summaries.
@Suite struct PartialTests {
    /// Events of two shipments in two shares. SF1: picked up Mon 2026-11-16 08:00 UTC, delivered
    /// Tue 08:00 (24 h); SF2: picked up Mon 10:00, an exception (damaged) Mon 12:00, no delivery,
    /// the last event 50 h before as_of Wed 14:00 with stall_hours 48: stalled.
    @Test func logisticsSharesAddUpByHand() throws {
        let pool = StringPool()
        func event(_ t: String, _ e: LogisticsEventKind, _ at: Int64, _ seq: Int64) -> LogisticsRow {
            var r = LogisticsRow(trackingNo: pool.intern(t), event: e, eventAt: at)
            r.carrier = pool.intern(t == "SF1" ? "SF Express" : "YTO")
            if e == .exception { r.exception = .damaged }
            r.seq = seq
            return r
        }
        let mon = utcTime(2026, 11, 16)
        let share1 = [event("SF1", .pickedUp, mon + 8 * 3600, 1), event("SF1", .delivered, mon + 32 * 3600, 2)]
        let share2 = [event("SF2", .pickedUp, mon + 10 * 3600, 3), event("SF2", .exception, mon + 12 * 3600, 4)]
        var config = Config()
        config.breakdowns.by.append(.carrier)
        let ctx = MetricsContext(config: config, zone: .utc, asOf: mon + 2 * 86_400 + 14 * 3600, pool: pool)
        var a = LogisticsPartial(events: share1, context: ctx)
        a.merge(LogisticsPartial(events: share2, context: ctx))
        let w = ISOWeek(name: "2026-W47")!.index
        #expect(a.shipments[w].shipments == 2)
        #expect(a.shipments[w].delivered == 1)
        #expect(a.shipments[w].stalled == 1)
        #expect(a.shipments[w].deliverySeconds == [86_400])
        #expect(a.exceptions[w][Int(ExceptionType.damaged.rawValue)] == 1)
        #expect(a.shipments[w].carriers.count == 2)

        // Through the text into another pool: the same figures, carriers by name.
        var text = PartialText.Writer()
        a.encode(pool: pool, into: &text)
        let other = StringPool()
        _ = other.intern("unrelated")  // other ids than the first pool's
        var r = PartialText.Reader(text.out.bytes)
        let b = try LogisticsPartial.decode(&r, pool: other)
        #expect(b.minWeek == w && b.maxWeek == w)
        let sf = try #require(other.lookup("SF Express"))
        #expect(b.shipments[w].carriers[sf]?.deliverySeconds == [86_400])
        var again = PartialText.Writer()
        b.encode(pool: other, into: &again)
        #expect(again.out.bytes == text.out.bytes)
    }

    /// Random orders, tickets and events cut into order-group buckets (an order with every ticket
    /// naming it; events by tracking number), each measured, written, read back into a fresh
    /// pool and added up: the merge's summaries equal the one-pass summaries, detail rows
    /// (breaches, low scores, repeat contacts, open items) included. With `listed`, the item
    /// lists go through the groups stage's lists files (read a period at a time) instead of the
    /// figures.
    @Test(arguments: [(1, false), (3, false), (5, false), (1, true), (3, true), (5, true)])
    func bucketsThroughTextEqualOnePass(buckets n: Int, listed: Bool) throws {
        let d = randomData(seed: 7, tickets: 2000, orders: 1500, shipments: 1000)
        var config = MetricsPropertyTests.config()
        config.breakdowns.by.append(.carrier)
        let asOf = utcTime(2026, 11, 20)
        var tickets = d.tickets
        TicketOrderJoin.fill(&tickets, orders: d.orders, poolCount: d.pool.count)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("partial-lists-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for kind in PeriodKind.allCases {
            let engine = MetricsEngine(config: config, zone: .utc, asOf: asOf, pool: d.pool, period: kind)
            let (expected, expectedRecords) = engine.computeDeferred(
                orders: d.orders, tickets: tickets, logistics: d.logistics)
            let filled = expected.map { s in
                var s = s
                expectedRecords.fill(&s)
                return s
            }
            #expect(
                filled.contains { !$0.breaches.isEmpty && !$0.repeatRecords.isEmpty && !$0.lowScoreRecords.isEmpty })

            // The buckets: by order id (a ticket with its order; one without, by its own id), events by
            // tracking number (kept in their grouped order).
            func bucket(_ id: StrID) -> Int { Int(UInt32(bitPattern: id)) % n }
            var text = PartialText.Writer()
            var lists: [String] = []
            for k in 0..<n {
                let os = d.orders.filter { bucket($0.orderID) == k }
                let ts = tickets.filter { bucket($0.orderID == .none ? $0.ticketID : $0.orderID) == k }
                let ls = d.logistics.filter { bucket($0.trackingNo) == k }
                text.line("section next")
                LogisticsPartial(events: ls, context: engine.context).encode(pool: d.pool, into: &text)
                text.line("section next")
                let figures = MetricsPartial(orders: os, tickets: ts, engine: engine)
                figures.encode(pool: d.pool, into: &text, items: !listed)
                if listed {
                    let path = dir.appendingPathComponent("\(kind.rawValue)-\(k).txt").path
                    try PartialListFiles.write(figures, context: engine.context, to: path)
                    lists.append(path)
                }
            }

            // The merge side: its own pool, filled by reading the text.
            let pool = StringPool()
            _ = pool.intern("an id the buckets never saw")
            let reading = MetricsEngine(config: config, zone: .utc, asOf: asOf, pool: pool, period: kind)
            var r = PartialText.Reader(text.out.bytes)
            var shipments: LogisticsPartial? = nil
            var figures: MetricsPartial? = nil
            while r.nextLine() {
                let l = try LogisticsPartial.decode(&r, pool: pool)
                _ = r.nextLine()
                let m = try MetricsPartial.decode(&r, context: reading.context)
                if shipments == nil { shipments = l } else { shipments!.merge(l) }
                if figures == nil { figures = m } else { figures!.merge(m) }
            }
            let source = listed ? try PartialListFiles(paths: lists, config: config) : nil
            let merge = MetricsEngine(config: config, zone: .utc, asOf: asOf, pool: pool, period: kind)
            let (summaries, records) = merge.computeDeferred(
                orders: [], tickets: [], logistics: [], shipments: shipments, figures: figures, lists: source)
            let got = summaries.map { s in
                var s = s
                records.fill(&s)
                return s
            }
            #expect(got == filled, "\(kind) with \(n) buckets")
            #expect(records.openItems() == expectedRecords.openItems())
            #expect(source?.failure == nil)
        }
    }

    @Test func namesAndNumbersRoundTrip() throws {
        let pool = StringPool()
        let odd = ["Li Wei", "a\\b", "two\nlines", "cr\rhere", "=", "-", "物流 慢", ""]
        var w = PartialText.Writer()
        w.tag("x")
        w.ints([0, -1, Int64.min, Int64.max])
        for s in odd { w.name(s) }
        w.name(nil)
        w.name(StrID.none, pool)
        w.endLine()
        var r = PartialText.Reader(w.out.bytes)
        let started = r.nextLine() && r.tag("x")
        #expect(started)
        let numbers: [Int64] = [try r.int(), try r.int(), try r.int(), try r.int()]
        #expect(numbers == [0, -1, .min, .max])
        for s in odd {
            let got = try r.string()
            #expect(got == s)
        }
        let none = try r.string()
        #expect(none == nil)
        let id = try r.name(pool)
        #expect(id == .none)
        #expect(r.atLineEnd)
        let more = r.nextLine()
        #expect(!more)
    }

    @Test func badTextNamesItsLine() {
        var r = PartialText.Reader(Array("period week 1 1\nw 1 2 x 3\n".utf8))
        #expect(throws: PartialFormatError.self) {
            var copy = r
            _ = try LogisticsPartial.decode(&copy, pool: StringPool())
        }
        var r2 = PartialText.Reader(Array("period week 1 1\nw 1 2 x 3\n".utf8))
        do {
            _ = try LogisticsPartial.decode(&r2, pool: StringPool())
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("not a number: x"))
        }
        var r3 = PartialText.Reader(Array("x 99999999999999999999\n".utf8))
        _ = r3.nextLine()
        _ = r3.tag("x")
        #expect(throws: PartialFormatError.self) {
            var copy = r3
            _ = try copy.int() as Int64
        }
    }
}
