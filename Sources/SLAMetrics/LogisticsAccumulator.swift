import SLAFast
import SLAModel

/// Logistics (SPEC 5): shipments (distinct tracking numbers) in the week of their first event,
/// delivered and stalled shipments, delivery time percentiles, and exception events by type in
/// their own week. Rows are expected deduplicated (SPEC 2.5).
///
/// Exceptions are counted as rows arrive. Shipment figures need all events of a tracking number
/// together, so events are buffered compactly (16 bytes each); `merge` keeps the shards' buffers
/// as they are (no concatenated copy of the year's 60 MB). The events must come grouped by
/// tracking number and in time order, as deduplication leaves them (`LoadedInputs.logistics`),
/// split into contiguous shards merged in order: each run is then tallied where it lies, with
/// no second grouping (see `shipments`; asserted in debug builds).
public struct LogisticsAccumulator: Sendable {
    /// 16 bytes: the carrier and two flags share one word (bit 0 delivered, bit 1 exception,
    /// the rest the carrier id + 1, 0 when the carrier was not read or is empty).
    struct Event: Sendable {
        var time: Int64
        var tracking: StrID
        var bits: Int32

        init(time: Int64, tracking: StrID, delivered: Bool, exception: Bool = false, carrier: StrID = .none) {
            self.time = time
            self.tracking = tracking
            bits = (carrier &+ 1) << 2 | (exception ? 2 : 0) | (delivered ? 1 : 0)
        }

        var delivered: Bool { bits & 1 != 0 }
        var exception: Bool { bits & 2 != 0 }
        var carrier: StrID { (bits >> 2) &- 1 }
    }

    /// One carrier's shipment figures in a week (the carrier cut).
    struct CarrierTally: Sendable {
        var shipments = 0
        var delivered = 0
        var stalled = 0
        var exceptions = 0
        var deliverySeconds: [Int64] = []

        @inline(__always)
        static func count(_ t: inout CarrierTally, deliverySeconds: Int64?, stalled: Bool) {
            t.shipments += 1
            if let d = deliverySeconds {
                t.delivered += 1
                t.deliverySeconds.append(d)
            }
            if stalled { t.stalled += 1 }
        }

        mutating func add(_ o: CarrierTally) {
            shipments += o.shipments
            delivered += o.delivered
            stalled += o.stalled
            exceptions += o.exceptions
            deliverySeconds.append(contentsOf: o.deliverySeconds)
        }
    }

    struct Week: Sendable {
        var shipments = 0
        var delivered = 0
        var stalled = 0
        /// First event → first delivery, seconds, of the delivered shipments.
        var deliverySeconds: [Int64] = []
        /// By carrier id (`.none`: no event named one); filled only for the carrier cut.
        var carriers: [StrID: CarrierTally] = [:]
    }

    var events = Chunked<Event>()
    /// Shipments tallied elsewhere (`LogisticsPartial`s absorbed): `shipments` adds its own to them.
    var finished = WeekSeries<Week>(empty: Week())
    /// Exception events by period and `ExceptionType.rawValue` (0 = no exception type given).
    var exceptions = WeekSeries<[Int]>(empty: [Int](repeating: 0, count: ExceptionType.allCases.count + 1))

    public init() {}

    /// Room for `n` more events without regrowing the buffer (fresh memory is costly).
    mutating func reserveCapacity(_ n: Int) { events.reserveCapacity(n) }

    mutating func add(_ r: LogisticsRow, week w: Int) {
        events.append(
            Event(
                time: r.eventAt, tracking: r.trackingNo, delivered: r.event == .delivered,
                exception: r.event == .exception, carrier: r.carrier))
        if r.event == .exception { exceptions[w][Int(r.exception?.rawValue ?? 0)] += 1 }
    }

    public mutating func merge(_ other: LogisticsAccumulator) {
        events.merge(other.events)
        finished.merge(other.finished) { $0.add($1) }
        exceptions.merge(other.exceptions, Self.addCounts)
    }

    /// Adds one period's exception counts to another's.
    static func addCounts(_ a: inout [Int], _ b: [Int]) {
        for i in 0..<a.count { a[i] += b[i] }
    }

    /// Adds a partial's shipments and exception events (see `LogisticsPartial`).
    mutating func absorb(_ p: LogisticsPartial) {
        finished.merge(p.shipments) { $0.add($1) }
        exceptions.merge(p.exceptions, Self.addCounts)
    }

    /// Shipment figures per week: those absorbed from partials, plus those of the events added.
    ///
    /// Relies on the order of `LoadedInputs.logistics` (deduplication groups and orders the
    /// events once, SPEC 2.5): the events, in the order they were added and merged, hold each
    /// tracking number's events consecutively (one run), in event_at order. Shards must
    /// therefore be contiguous slices merged in order (as `MetricsEngine` makes them); a run
    /// may go on from one merged buffer into the next. Checked in debug builds.
    func shipments(context ctx: MetricsContext) -> WeekSeries<Week> {
        var out = finished
        let all = events.buffers
        if all.isEmpty { return out }
        assert(Self.isGroupedInTimeOrder(all), "logistics events are not grouped by tracking number in time order")
        var pending: [Event] = []  // a run that reached the end of a buffer
        for part in all {
            // Safe: i <= j <= p.count (both loops stop at p.count), so every p[i] read has
            // i < p.count and every rebased slice lies in p; a tallied group is never empty.
            part.withUnsafeBufferPointer { p in
                var i = 0
                if !pending.isEmpty {
                    let t = pending[0].tracking
                    while i < p.count && p[i].tracking == t { i += 1 }
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[0..<i]))
                    if i == p.count { return }  // the run goes on into the next buffer
                    pending.withUnsafeBufferPointer { Self.tally($0, into: &out, context: ctx) }
                    pending.removeAll(keepingCapacity: true)
                }
                while i < p.count {
                    let t = p[i].tracking
                    var j = i + 1
                    while j < p.count && p[j].tracking == t { j += 1 }
                    assert(i < j && j <= p.count)
                    if j == p.count {
                        pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                        return
                    }
                    Self.tally(UnsafeBufferPointer(rebasing: p[i..<j]), into: &out, context: ctx)
                    i = j
                }
            }
        }
        // Safe: pending is not empty, and the buffer is used only for the call.
        if !pending.isEmpty { pending.withUnsafeBufferPointer { Self.tally($0, into: &out, context: ctx) } }
        return out
    }

    /// Does every tracking number's events form one run, in time order? (The debug check of
    /// the order `shipments` relies on.)
    static func isGroupedInTimeOrder(_ all: [[Event]]) -> Bool {
        var seen = Set<StrID>()
        var prev: Event? = nil
        for part in all {
            for e in part {
                if let p = prev, p.tracking == e.tracking {
                    if e.time < p.time { return false }
                } else if !seen.insert(e.tracking).inserted {
                    return false
                }
                prev = e
            }
        }
        return true
    }

    /// Counts one shipment from its events in time order. Among events at the same instant the
    /// order changes no gap, and a delivery among them gives the same delivery time; it decides
    /// only which carrier-naming event is the earliest (the dedup order: event, then read order).
    @inline(__always)
    private static func tally(
        _ group: UnsafeBufferPointer<Event>, into out: inout WeekSeries<Week>,
        context ctx: MetricsContext
    ) {
        // Safe: callers pass a run of at least one event, so group[0] exists.
        assert(!group.isEmpty, "tally: empty group")
        let first = group[0].time
        let w = ctx.week(first)
        out[w].shipments += 1
        let stall = ctx.stallSeconds
        var stalled = false
        var delivered: Int64 = .missing
        var prev = first
        for e in group {
            if Double(e.time - prev) > stall { stalled = true }
            prev = e.time
            if e.delivered {
                delivered = e.time
                break
            }
        }
        if delivered == .missing {
            if Double(ctx.asOf) - Double(prev) > stall { stalled = true }
        } else {
            out[w].delivered += 1
            out[w].deliverySeconds.append(delivered - first)
        }
        if stalled { out[w].stalled += 1 }
        if ctx.carrierCut {
            // The shipment's carrier: that of its earliest event naming one.
            var c = StrID.none
            for e in group where e.carrier != .none {
                c = e.carrier
                break
            }
            // One lookup, mutated in place (a tally taken out and put back would copy its durations).
            CarrierTally.count(
                &out[w].carriers[c, default: CarrierTally()],
                deliverySeconds: delivered == .missing ? nil : delivered - first, stalled: stalled)
            // Exception events count in their own week, as the totals do.
            for e in group where e.exception {
                out[ctx.week(e.time)].carriers[c, default: CarrierTally()].exceptions += 1
            }
        }
    }

    /// The carrier cut of week `w`: at most `topN` named rows (most shipments first, then name
    /// in byte order), the rest folded into `(other)` (its percentiles over all its durations).
    /// An empty carrier and one written "(none)" are one row.
    func carrierCut(week w: Int, shipments: WeekSeries<Week>, context ctx: MetricsContext) -> CarrierBreakdown {
        let pool = ctx.eventPool
        var byName: [String: CarrierTally] = [:]
        for (id, t) in shipments[w].carriers {
            byName[id == .none ? Breakdowns.none : pool.string(id), default: CarrierTally()].add(t)
        }
        let sorted = byName.sorted { a, b in
            a.value.shipments != b.value.shipments
                ? a.value.shipments > b.value.shipments
                : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
        func row(_ name: String, _ of: ArraySlice<(key: String, value: CarrierTally)>) -> CarrierBreakdownRow {
            var r = CarrierBreakdownRow(value: name)
            r.values = of.count
            var all = CarrierTally()
            for (_, t) in of { all.add(t) }
            r.shipments = all.shipments
            r.delivered = all.delivered
            r.stalled = all.stalled
            r.exceptions = all.exceptions
            (r.p50DeliveryHours, r.p90DeliveryHours) = Percentile.hours(all.deliverySeconds)
            return r
        }
        let topN = ctx.config.breakdowns.topN
        var cut = CarrierBreakdown()
        cut.rows = sorted.prefix(topN).indices.map { row(sorted[$0].key, sorted[$0...$0]) }
        if sorted.count > topN { cut.rows.append(row(Breakdowns.other, sorted[topN...])) }
        return cut
    }

    func finish(week w: Int, shipments: WeekSeries<Week>, into s: inout WeeklySummary) {
        let sh = shipments[w]
        var out = LogisticsSummary()
        out.shipments = sh.shipments
        out.delivered = sh.delivered
        out.stalled = sh.stalled
        let ex = exceptions[w]
        var named: [KeyCount] = []
        for i in 0..<ex.count where ex[i] > 0 {
            named.append(KeyCount(i == 0 ? "(none)" : ExceptionType(rawValue: UInt8(i))!.name, ex[i]))
        }
        out.exceptions = named.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        (out.p50DeliveryHours, out.p90DeliveryHours) = Percentile.hours(sh.deliverySeconds)
        s.logistics = out
        return
    }
}
