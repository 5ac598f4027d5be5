import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// The metrics' fast paths against the plain code they replace: Int64 sorting and selection,
/// percentiles without a full sort, the hash table for (week, id) keys, the hourly week table,
/// and shipments tallied from runs instead of a counting sort.
@Suite("Metrics: fast paths")
struct MetricsFastPathTests {
    /// Arrays that stress sorting and selection: random, few distinct values, sorted, reversed,
    /// organ pipe, all equal, tiny.
    static func arrays(_ rng: inout SplitMix) -> [[Int64]] {
        var out: [[Int64]] = [[], [7], [2, 1], [1, 1, 1], [3, 1, 2]]
        for n in [5, 16, 17, 18, 33, 100, 1000, 5000] {
            out.append((0..<n).map { _ in Int64(bitPattern: rng.next()) })
            out.append((0..<n).map { _ in Int64(rng.next() % 4) })
            out.append((0..<n).map { Int64($0) })
            out.append((0..<n).map { Int64(n - $0) })
            out.append((0..<n).map { Int64(min($0, n - $0)) })
            out.append([Int64](repeating: -5, count: n))
            out.append((0..<n).map { _ in Int64(rng.next() % 200_000) - 3600 })
        }
        return out
    }

    @Test func sortMatchesStandardSort() {
        var rng = SplitMix(seed: 11)
        for a in Self.arrays(&rng) {
            var x = a
            Int64Sort.sort(&x)
            #expect(x == a.sorted())
        }
    }

    @Test func selectFindsEveryRank() {
        var rng = SplitMix(seed: 12)
        for a in Self.arrays(&rng) where !a.isEmpty {
            let sorted = a.sorted()
            for k in Set([0, a.count / 2, a.count - 1, Int(rng.next() % UInt64(a.count))]) {
                var x = a
                Int64Sort.select(&x, k)
                #expect(x[k] == sorted[k])
                #expect(x[..<k].allSatisfy { $0 <= x[k] } && x[(k + 1)...].allSatisfy { $0 >= x[k] })
                #expect(x.sorted() == sorted)
            }
        }
    }

    /// The percentile code before selection: sort, convert, interpolate.
    static func referenceHours(_ s: [Int64]) -> (p50: Double?, p90: Double?) {
        if s.isEmpty { return (nil, nil) }
        let h = s.sorted().map { Double($0) / 3600 }
        return (Percentile.sorted(h, 0.5), Percentile.sorted(h, 0.9))
    }

    @Test func percentilesMatchSortedReference() {
        var rng = SplitMix(seed: 13)
        for a in Self.arrays(&rng) {
            let got = Percentile.hours(a)
            let want = Self.referenceHours(a)
            #expect(got.p50 == want.p50 && got.p90 == want.p90, "\(a.count) values")
            // Split into parts (a merged accumulator's shards): the same.
            let cut = a.isEmpty ? 0 : Int(rng.next() % UInt64(a.count + 1))
            let parts = Percentile.hours([Array(a[..<cut]), [], Array(a[cut...])])
            #expect(parts.p50 == want.p50 && parts.p90 == want.p90)
        }
    }

    @Test func denseKeysMatchDictionary() {
        var rng = SplitMix(seed: 14)
        var keys = DenseKeys()
        var reference: [Int64: Int] = [:]
        for _ in 0..<20_000 {
            // Week << 32 | id keys, negative ids (none = -1) and arbitrary bit patterns.
            let k: Int64 =
                switch rng.next() % 3 {
                case 0: AgentAccumulator.key(week: Int(rng.next() % 60), agent: StrID(rng.next() % 500) - 1)
                case 1: Int64(rng.next() % 1000)
                default: Int64(bitPattern: rng.next())
                }
            let (i, inserted) = keys.insert(k)
            if let j = reference[k] {
                #expect(!inserted && i == j)
            } else {
                #expect(inserted && i == reference.count)
                reference[k] = i
            }
        }
        #expect(keys.count == reference.count)
        for (k, i) in reference { #expect(keys.find(k) == i && keys.keys[i] == k) }
        #expect(keys.find(Int64.min) == nil || reference[Int64.min] != nil)
    }

    /// Zones with DST, half- and quarter-hour offsets, a half-hour DST shift, and UTC.
    static let zones = [
        "UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
        "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "Pacific/Apia",
    ]

    @Test(arguments: zones)
    func weekTableMatchesZoneLookup(zoneName: String) throws {
        let zone = try #require(ZoneRules(identifier: zoneName))
        var rng = SplitMix(seed: 15)
        let asOf = utcTime(2026, 11, 22, 15, 59)
        let ctx = MetricsContext(config: Config(), zone: zone, asOf: asOf, pool: StringPool())
        var times: [Int64] = [asOf, asOf + 7 * 86_400, asOf + 8 * 86_400, asOf - 3 * 366 * 86_400, 0, -1, 1]
        // Every transition of the table's span and the seconds around it, then random instants
        // inside and outside the table (which take the plain lookup).
        for t in zone.transitionsUTC where t > asOf - 4 * 366 * 86_400 && t < asOf + 86_400 * 30 {
            times += [t - 3601, t - 1, t, t + 1, t + 3599]
        }
        for _ in 0..<20_000 { times.append(asOf - Int64(rng.next() % (3 * 366 * 86_400)) + 8 * 86_400) }
        for _ in 0..<200 { times.append(Int64(rng.next() % 8_000_000_000) - 2_000_000_000) }
        // Around local midnights of Mondays (the week boundaries) in the span.
        var day = (asOf / 86_400 - 3 * 366) * 86_400
        while day < asOf + 8 * 86_400 {
            for d in [-3600, -1, 0, 1, 3599] as [Int64] { times.append(day - Int64(zone.offset(atUTC: day)) + d) }
            day += 86_400
        }
        for t in times { #expect(ctx.week(t) == ISOWeek.index(utc: t, zone: zone), "\(t)") }
    }

    /// Shipment figures, compared field by field (delivery times in any order: only their
    /// percentiles are reported).
    static func figures(_ acc: LogisticsAccumulator, _ ctx: MetricsContext) -> [String] {
        let s = acc.shipments(context: ctx)
        return s.weeks.map { w in
            let x = s[w]
            return "\(w) \(x.shipments) \(x.delivered) \(x.stalled) \(x.deliverySeconds.sorted())"
        }
    }

    @Test func shipmentRunsAcrossMergedBuffers() {
        let d = randomData(seed: 16, tickets: 0, orders: 0, shipments: 3000)
        let ctx = MetricsContext(
            config: MetricsPropertyTests.config(), zone: .utc, asOf: utcTime(2026, 11, 20), pool: d.pool)
        // randomData lists each shipment's events together in time order, as dedup leaves them.
        let events = numbered(d.logistics)
        var grouped = LogisticsAccumulator()
        for l in events { grouped.add(l, week: ctx.week(l.eventAt)) }
        // Shuffled (files in another order), then grouped again by the dedup step.
        var rng = SplitMix(seed: 17)
        var regrouped = LogisticsAccumulator()
        for l in groupedEvents(events.shuffled(using: &rng), pool: d.pool) {
            regrouped.add(l, week: ctx.week(l.eventAt))
        }
        let want = Self.figures(regrouped, ctx)
        #expect(want.count > 5)
        #expect(Self.figures(grouped, ctx) == want)
        // Runs cut across merged buffers (at every few events, also inside one shipment).
        var parts = LogisticsAccumulator()
        var i = 0
        while i < events.count {
            var p = LogisticsAccumulator()
            let n = 1 + Int(rng.next() % 7)
            for l in events[i..<min(i + n, events.count)] { p.add(l, week: ctx.week(l.eventAt)) }
            parts.merge(p)
            i += n
        }
        #expect(Self.figures(parts, ctx) == want)
    }

    /// The debug check of the order the tally relies on.
    @Test func groupedInTimeOrderCheck() {
        typealias E = LogisticsAccumulator.Event
        func e(_ t: StrID, _ at: Int64) -> E { E(time: at, tracking: t, delivered: false) }
        #expect(LogisticsAccumulator.isGroupedInTimeOrder([[e(2, 1), e(2, 1), e(2, 5)], [e(2, 6), e(0, 0)]]))
        // A shipment's events out of time order, or a tracking number in two runs.
        #expect(!LogisticsAccumulator.isGroupedInTimeOrder([[e(2, 5), e(2, 1)]]))
        #expect(!LogisticsAccumulator.isGroupedInTimeOrder([[e(2, 1), e(3, 1)], [e(2, 7)]]))
    }
}
