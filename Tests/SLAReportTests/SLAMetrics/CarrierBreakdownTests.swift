import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// The logistics cut by carrier, worked out by hand. UTC, as_of Wed 2026-11-25 12:00, stall
/// 24 h. W47 = Mon 16 … Sun 22 November, W48 = Mon 23 … Sun 29. Tracking events are interned in
/// a pool of their own, as the pipeline does.
///
/// - S1 SF: picked up Mon 16 10:00, in transit 20:00, delivered Tue 17 16:00 (30 h)
/// - S2 SF: picked up Tue 17 08:00 *without a carrier*, in transit 10:00 (SF), delivered Wed 18
///   08:00 (24 h): the carrier of its earliest event that names one
/// - S3 JD: picked up Wed 18 09:00, in transit 12:00, exception lost Sat 21 12:00 (72 h gap:
///   stalled), never delivered
/// - S4 no carrier: picked up Thu 19 10:00, in transit Fri 20 08:00, delivered 22:00 (36 h)
/// - S5 JD: picked up Sun 22 10:00, exception damaged Mon 23 09:00 (a W48 event), delivered Mon
///   23 18:00 (32 h)
///
/// W47: shipments 5, delivered 4, stalled 1, exceptions 1; delivery hours [24, 30, 32, 36].
/// W48: no shipment, one exception (S5's, under JD).
@Suite("Metrics: carrier breakdown")
struct CarrierBreakdownTests {
    static func compute(topN: Int = 10, by: [BreakdownDimension] = [.carrier]) -> [WeeklySummary] {
        var f = MetricsFixture()
        f.config.breakdowns.by = by
        f.config.breakdowns.topN = topN
        let events = StringPool()
        var rows: [LogisticsRow] = []
        func ev(
            _ t: String, _ carrier: String, _ kind: LogisticsEventKind, _ d: Int, _ h: Int, _ ex: ExceptionType? = nil
        ) {
            var r = LogisticsRow(trackingNo: events.intern(t), event: kind, eventAt: MetricsFixture.nov(d, h))
            r.carrier = carrier.isEmpty ? .none : events.intern(carrier)
            r.exception = ex
            rows.append(r)
        }
        ev("S1", "SF", .pickedUp, 16, 10)
        ev("S1", "SF", .inTransit, 16, 20)
        ev("S1", "SF", .delivered, 17, 16)
        ev("S2", "", .pickedUp, 17, 8)
        ev("S2", "SF", .inTransit, 17, 10)
        ev("S2", "", .delivered, 18, 8)
        ev("S3", "JD", .pickedUp, 18, 9)
        ev("S3", "JD", .inTransit, 18, 12)
        ev("S3", "JD", .exception, 21, 12, .lost)
        ev("S4", "", .pickedUp, 19, 10)
        ev("S4", "", .inTransit, 20, 8)
        ev("S4", "", .delivered, 20, 22)
        ev("S5", "JD", .pickedUp, 22, 10)
        ev("S5", "", .exception, 23, 9, .damaged)
        ev("S5", "JD", .delivered, 23, 18)
        let e = MetricsEngine(config: f.config, zone: f.zone, asOf: f.asOf, pool: f.pool, eventPool: events)
        return normalized(e.compute(orders: [], tickets: [], logistics: rows))
    }

    func row(
        _ v: String, values: Int = 1, _ shipments: Int, _ delivered: Int, _ stalled: Int, _ exceptions: Int,
        _ p50: Double?, _ p90: Double?
    ) -> CarrierBreakdownRow {
        var r = CarrierBreakdownRow(value: v)
        r.values = values
        (r.shipments, r.delivered, r.stalled, r.exceptions) = (shipments, delivered, stalled, exceptions)
        (r.p50DeliveryHours, r.p90DeliveryHours) = (p50, p90)
        return r
    }

    @Test func weekByHand() throws {
        let weeks = Self.compute()
        let w47 = try #require(weeks.first { $0.week == "2026-W47" })
        #expect(w47.logistics.shipments == 5 && w47.logistics.delivered == 4 && w47.logistics.stalled == 1)
        #expect(w47.logistics.p50DeliveryHours == 31 && w47.logistics.p90DeliveryHours == 34.8)
        // JD and SF tie on 2 shipments: by name. SF: [24, 30] h → 27, 29.4.
        #expect(
            w47.breakdowns.carrier?.rows == [
                row("JD", 2, 1, 1, 1, 32, 32),
                row("SF", 2, 2, 0, 0, 27, 29.4),
                row("(none)", 1, 1, 0, 0, 36, 36),
            ])
        #expect(w47.breakdowns.tickets.isEmpty)
        // S5's exception is a W48 event: counted there, under the shipment's carrier.
        let w48 = try #require(weeks.first { $0.week == "2026-W48" })
        #expect(w48.breakdowns.carrier?.rows == [row("JD", 0, 0, 0, 1, nil, nil)])
    }

    /// top_n = 1: JD named, SF and (none) folded, their percentiles over all their durations
    /// [24, 30, 36] (not a mix of the rows' own).
    @Test func otherFoldsTheRest() throws {
        let w47 = try #require(Self.compute(topN: 1).first { $0.week == "2026-W47" })
        #expect(
            w47.breakdowns.carrier?.rows == [
                row("JD", 2, 1, 1, 1, 32, 32),
                row("(other)", values: 2, 3, 3, 0, 0, 30, 34.8),
            ])
    }

    @Test(arguments: [1, 2, 10])
    func rowsAddUpToTotals(topN: Int) {
        for s in Self.compute(topN: topN) {
            let rows = s.breakdowns.carrier?.rows ?? []
            #expect(rows.reduce(0) { $0 + $1.shipments } == s.logistics.shipments)
            #expect(rows.reduce(0) { $0 + $1.delivered } == s.logistics.delivered)
            #expect(rows.reduce(0) { $0 + $1.stalled } == s.logistics.stalled)
            #expect(rows.reduce(0) { $0 + $1.exceptions } == s.logistics.exceptions.reduce(0) { $0 + $1.count })
            #expect(rows.count <= topN + 1)
        }
    }

    /// Without `carrier` in `by` there is no cut, and the ticket cuts are unaffected by it.
    @Test func onlyWhenAsked() {
        for s in Self.compute(by: [.channel]) {
            #expect(s.breakdowns.carrier == nil)
            #expect(s.breakdowns.tickets.map(\.dimension) == [.channel])
        }
    }
}
