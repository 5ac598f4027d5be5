import SLAFast
import SLAModel

/// Logistics (SPEC 5): shipments (distinct tracking numbers) in the week of their first event,
/// delivered and stalled shipments, delivery time percentiles, and exception events by type in
/// their own week. Rows are expected deduplicated (SPEC 2.5).
///
/// Exceptions are counted as rows arrive. Shipment figures need all events of a tracking number
/// together, so events are buffered compactly (16 bytes each); `merge` keeps the shards' buffers
/// as they are (no concatenated copy of the year's 60 MB), so shards may split events of one
/// tracking number any way — and `finish` groups them once. Rows usually arrive grouped by
/// tracking number already (deduplication groups them): then each run is tallied where it lies;
/// otherwise a counting sort on the tracking id (linear time) groups a copy.
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
        /// Exception events by `ExceptionType.rawValue` (0 = no exception type given).
        var exceptions = [Int](repeating: 0, count: ExceptionType.allCases.count + 1)
        /// First event → first delivery, seconds, of the delivered shipments.
        var deliverySeconds: [Int64] = []
        /// By carrier id (`.none`: no event named one); filled only for the carrier cut.
        var carriers: [StrID: CarrierTally] = [:]
    }

    var events = Chunked<Event>()
    var exceptions = WeekSeries<[Int]>(empty: [Int](repeating: 0, count: ExceptionType.allCases.count + 1))

    public init() {}

    /// Room for `n` more events without regrowing the buffer (fresh memory is costly).
    mutating func reserveCapacity(_ n: Int) { events.reserveCapacity(n) }

    mutating func add(_ r: LogisticsRow, week w: Int) {
        events.append(Event(time: r.eventAt, tracking: r.trackingNo, delivered: r.event == .delivered,
                            exception: r.event == .exception, carrier: r.carrier))
        if r.event == .exception { exceptions[w][Int(r.exception?.rawValue ?? 0)] += 1 }
    }

    public mutating func merge(_ other: LogisticsAccumulator) {
        events.merge(other.events)
        exceptions.merge(other.exceptions) { a, b in
            for i in 0..<a.count { a[i] += b[i] }
        }
    }

    /// Shipment figures per week.
    func shipments(context ctx: MetricsContext) -> WeekSeries<Week> {
        let all = events.buffers
        if all.isEmpty { return WeekSeries<Week>(empty: Week()) }
        return shipmentsOfRuns(all, context: ctx) ?? shipmentsBySorting(all, context: ctx)
    }

    /// When every tracking number's events are one run (consecutive, possibly across parts):
    /// tallies each run in place. nil as soon as a tracking number shows up in a second run.
    private func shipmentsOfRuns(_ all: [[Event]], context ctx: MetricsContext) -> WeekSeries<Week>? {
        var out = WeekSeries<Week>(empty: Week())
        let idCount = ctx.pool.count
        // One bit per tracking id: seen in an earlier run.
        var seen = [UInt64](repeating: 0, count: idCount / 64 + 1)
        var scratch: [Event] = []
        var pending: [Event] = []  // a run that reached the end of a part
        var ok = true
        // Tallies one run; false when its tracking id is out of range or had a run before.
        func run(_ g: UnsafeBufferPointer<Event>) -> Bool {
            let id = Int(g[0].tracking)
            guard id >= 0 && id < idCount else { return false }
            let bit: UInt64 = 1 << UInt64(id & 63)
            if seen[id >> 6] & bit != 0 { return false }
            seen[id >> 6] |= bit
            var ordered = true
            for i in 1..<max(1, g.count) where g[i].time < g[i - 1].time {
                ordered = false
                break
            }
            if ordered {
                Self.tally(g, into: &out, context: ctx)
            } else {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: g)
                scratch.withUnsafeMutableBufferPointer { s in
                    Self.sortGroup(s)
                    Self.tally(UnsafeBufferPointer(s), into: &out, context: ctx)
                }
            }
            return true
        }
        for part in all where ok {
            part.withUnsafeBufferPointer { p in
                var i = 0
                if !pending.isEmpty {
                    let t = pending[0].tracking
                    var j = 0
                    while j < p.count && p[j].tracking == t { j += 1 }
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[0..<j]))
                    i = j
                    if i == p.count { return }  // the run goes on into the next part
                    ok = pending.withUnsafeBufferPointer(run)
                    pending.removeAll(keepingCapacity: true)
                }
                while ok && i < p.count {
                    let t = p[i].tracking
                    var j = i + 1
                    while j < p.count && p[j].tracking == t { j += 1 }
                    if j == p.count {
                        pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                        return
                    }
                    ok = run(UnsafeBufferPointer(rebasing: p[i..<j]))
                    i = j
                }
            }
        }
        if ok && !pending.isEmpty { ok = pending.withUnsafeBufferPointer(run) }
        return ok ? out : nil
    }

    /// Groups a copy of the events by tracking id with a counting sort, then tallies each group.
    private func shipmentsBySorting(_ all: [[Event]], context ctx: MetricsContext) -> WeekSeries<Week> {
        var out = WeekSeries<Week>(empty: Week())
        let total = all.reduce(0) { $0 + $1.count }
        var lo = all[0][0].tracking
        var hi = lo
        for part in all {
            for e in part {
                lo = min(lo, e.tracking)
                hi = max(hi, e.tracking)
            }
        }
        let span = Int(hi) - Int(lo) + 1
        var start = [Int32](repeating: 0, count: span + 1)
        for part in all {
            for e in part { start[Int(e.tracking - lo) + 1] += 1 }
        }
        for i in 0..<span { start[i + 1] += start[i] }
        var next = start
        var grouped = [Event](unsafeUninitializedCapacity: total) { buf, n in
            for part in all {
                for e in part {
                    let k = Int(e.tracking - lo)
                    (buf.baseAddress! + Int(next[k])).initialize(to: e)
                    next[k] += 1
                }
            }
            n = total
        }
        grouped.withUnsafeMutableBufferPointer { g in
            for k in 0..<span {
                let a = Int(start[k])
                let b = Int(start[k + 1])
                if a == b { continue }
                let group = UnsafeMutableBufferPointer(rebasing: g[a..<b])
                Self.sortGroup(group)
                Self.tally(UnsafeBufferPointer(group), into: &out, context: ctx)
            }
        }
        return out
    }

    /// Time order inside a group. Equal times: delivered first, so a delivery closes the gaps
    /// before any event stamped at the same instant (their gap would be 0 anyway).
    private static func sortGroup(_ g: UnsafeMutableBufferPointer<Event>) {
        var group = g
        if group.count > 1 {
            group.sort { $0.time != $1.time ? $0.time < $1.time : ($0.delivered && !$1.delivered) }
        }
    }

    /// Counts one shipment from its events in time order. Only the time order matters: among
    /// events at the same instant, which comes first changes no gap, and a delivery among them
    /// gives the same delivery time.
    @inline(__always)
    private static func tally(_ group: UnsafeBufferPointer<Event>, into out: inout WeekSeries<Week>,
                              context ctx: MetricsContext) {
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
            CarrierTally.count(&out[w].carriers[c, default: CarrierTally()],
                               deliverySeconds: delivered == .missing ? nil : delivered - first, stalled: stalled)
            // Exception events count in their own week, as the totals do.
            for e in group where e.exception { out[ctx.week(e.time)].carriers[c, default: CarrierTally()].exceptions += 1 }
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
            a.value.shipments != b.value.shipments ? a.value.shipments > b.value.shipments
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
        return s.logistics = out
    }
}
