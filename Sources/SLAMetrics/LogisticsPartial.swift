import SLAFast
import SLAModel

/// The logistics figures of a share of the tracking numbers, for one period kind: what the
/// partial stage of a distributed run (`slareport partial`) makes from the events of its share
/// and `merge` adds in place of those events.
///
/// A share holds every event of each of its tracking numbers (the map stage buckets events by
/// tracking number), so each shipment is tallied whole, where its events are, by the same
/// `LogisticsAccumulator.shipments` as a single run. Shares then add up exactly: counts add,
/// the delivery durations are kept (percentiles come from all of them, no sketch), carriers
/// are named (the merge interns the names into its own pool) and the exception events add by
/// period. `minWeek`/`maxWeek` are the periods the events span, which widen the report's range
/// as the events themselves would.
///
/// Text form (`encode`/`decode`, `PartialText`):
///
///     period week|month MIN MAX          (MIN > MAX: no event)
///     w P SHIPMENTS DELIVERED STALLED    per period P with a shipment
///     d P SECONDS...                     its delivery durations (any order)
///     x P COUNT...                       exception events by type (ExceptionType raw value)
///     c P SHIPMENTS DELIVERED STALLED EXCEPTIONS NAME    a carrier's tally (carrier cut only)
///     e P SECONDS...                     that carrier's delivery durations
///
/// NAME is a `PartialText` name (`-` for no carrier).
public struct LogisticsPartial: Sendable {
    public let period: PeriodKind
    public private(set) var minWeek = Int.max
    public private(set) var maxWeek = Int.min
    var shipments = WeekSeries<LogisticsAccumulator.Week>(empty: LogisticsAccumulator.Week())
    var exceptions = LogisticsAccumulator().exceptions

    public init(period: PeriodKind) { self.period = period }

    /// The figures of `events` (deduplicated, grouped and ordered as `LoadedInputs.logistics`,
    /// the whole of each tracking number's events), measured in `context` (its period kind,
    /// as_of, zone; carrier ids in its `eventPool`).
    public init(events: [LogisticsRow], context: MetricsContext) {
        period = context.period
        var acc = MetricsAccumulator(context: context)
        acc.reserveCapacity(orders: 0, logistics: events.count)
        for e in events { acc.add(logistics: e) }
        minWeek = acc.minWeek
        maxWeek = acc.maxWeek
        shipments = acc.logistics.shipments(context: context)
        exceptions = acc.logistics.exceptions
    }

    /// Adds another share's figures (same period kind, carrier ids in the same pool).
    public mutating func merge(_ other: LogisticsPartial) {
        precondition(other.period == period, "LogisticsPartial.merge: period kinds differ")
        minWeek = min(minWeek, other.minWeek)
        maxWeek = max(maxWeek, other.maxWeek)
        shipments.merge(other.shipments) { $0.add($1) }
        exceptions.merge(other.exceptions, LogisticsAccumulator.addCounts)
    }

    /// Appends the text form; carrier ids are read from `pool`.
    package func encode(pool: StringPool, into w: inout PartialText.Writer) {
        w.line("period \(period.rawValue) \(minWeek) \(maxWeek)")
        for week in shipments.weeks {
            let sh = shipments[week]
            if sh.shipments == 0 && sh.carriers.isEmpty { continue }
            w.tag("w")
            w.ints([Int64(week), Int64(sh.shipments), Int64(sh.delivered), Int64(sh.stalled)])
            w.endLine()
            w.counts("d", week, sh.deliverySeconds)
            // Carriers by name, so the text is the same whatever ids the pool gave them.
            let named = sh.carriers.map { (name: $0.key == .none ? nil : pool.string($0.key), tally: $0.value) }
                .sorted { a, b in
                    guard let x = a.name else { return b.name != nil }
                    guard let y = b.name else { return false }
                    return x.utf8.lexicographicallyPrecedes(y.utf8)
                }
            for (name, t) in named {
                w.tag("c")
                w.ints([Int64(week), Int64(t.shipments), Int64(t.delivered), Int64(t.stalled), Int64(t.exceptions)])
                w.name(name)
                w.endLine()
                w.counts("e", week, t.deliverySeconds)
            }
        }
        for week in exceptions.weeks where exceptions[week].contains(where: { $0 != 0 }) {
            w.counts("x", week, exceptions[week].map(Int64.init))
        }
    }

    /// Reads `encode`'s text (one period kind) from the reader's next line up to the end or a
    /// `section` line, interning carrier names into `pool`.
    package static func decode(_ r: inout PartialText.Reader, pool: StringPool) throws(PartialFormatError)
        -> LogisticsPartial
    {
        guard r.nextLine(before: "section"), r.tag("period"), let kind = PeriodKind(rawValue: try r.word()) else {
            throw r.error("expected 'period week|month MIN MAX'")
        }
        var p = LogisticsPartial(period: kind)
        p.minWeek = try r.int()
        p.maxWeek = try r.int()
        var carrier: StrID? = nil
        var carrierWeek = 0
        while r.nextLine(before: "section") {
            if r.tag("w") {
                let w: Int = try r.int()
                p.shipments[w].shipments += try r.int()
                p.shipments[w].delivered += try r.int()
                p.shipments[w].stalled += try r.int()
            } else if r.tag("d") {
                let w: Int = try r.int()
                p.shipments[w].deliverySeconds += try r.rest()
            } else if r.tag("x") {
                let w: Int = try r.int()
                let v = try r.rest()
                guard v.count == ExceptionType.allCases.count + 1 else {
                    throw r.error("x: expected \(ExceptionType.allCases.count + 1) counts")
                }
                for i in v.indices { p.exceptions[w][i] += Int(v[i]) }
            } else if r.tag("c") {
                let w: Int = try r.int()
                var t = LogisticsAccumulator.CarrierTally()
                t.shipments = try r.int()
                t.delivered = try r.int()
                t.stalled = try r.int()
                t.exceptions = try r.int()
                let id = try r.name(pool)
                p.shipments[w].carriers[id, default: LogisticsAccumulator.CarrierTally()].add(t)
                carrier = id
                carrierWeek = w
            } else if r.tag("e") {
                let w: Int = try r.int()
                guard let c = carrier, carrierWeek == w else { throw r.error("e: not after its carrier's c line") }
                p.shipments[w].carriers[c]!.deliverySeconds += try r.rest()
            } else {
                throw r.error("unknown tag \(try r.word())")
            }
            guard r.atLineEnd else { throw r.error("too many fields") }
        }
        return p
    }
}

extension LogisticsAccumulator.Week {
    /// Adds another share's tallies of the same period.
    mutating func add(_ o: LogisticsAccumulator.Week) {
        shipments += o.shipments
        delivered += o.delivered
        stalled += o.stalled
        deliverySeconds += o.deliverySeconds
        for (c, t) in o.carriers { carriers[c, default: LogisticsAccumulator.CarrierTally()].add(t) }
    }
}
