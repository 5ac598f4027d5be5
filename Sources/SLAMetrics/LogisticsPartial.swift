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
/// Text form (`encode`/`decode`), one fact per line, numbers in decimal:
///
///     period week|month MIN MAX          (MIN > MAX: no event)
///     w P SHIPMENTS DELIVERED STALLED    per period P with a shipment
///     d P SECONDS...                     its delivery durations (any order)
///     x P COUNT...                       exception events by type (ExceptionType raw value)
///     c P SHIPMENTS DELIVERED STALLED EXCEPTIONS NAME    a carrier's tally (carrier cut only)
///     e P SECONDS...                     that carrier's delivery durations
///
/// NAME is a `PartialText` name: `-` for no carrier, else `=` and the escaped name.
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

    /// The text form; carrier ids are read from `pool`.
    public func encode(pool: StringPool) -> String {
        var s = "period \(period.rawValue) \(minWeek) \(maxWeek)\n"
        func numbers(_ tag: String, _ w: Int, _ values: [Int64]) {
            s += tag + " \(w)"
            for v in values { s += " \(v)" }
            s += "\n"
        }
        for w in shipments.weeks {
            let week = shipments[w]
            if week.shipments == 0 && week.carriers.isEmpty { continue }
            s += "w \(w) \(week.shipments) \(week.delivered) \(week.stalled)\n"
            numbers("d", w, week.deliverySeconds)
            // Carriers by name, so the text is the same whatever ids the pool gave them.
            let named = week.carriers.map { (name: $0.key == .none ? nil : pool.string($0.key), tally: $0.value) }
                .sorted { a, b in
                    guard let x = a.name else { return b.name != nil }
                    guard let y = b.name else { return false }
                    return x.utf8.lexicographicallyPrecedes(y.utf8)
                }
            for (name, t) in named {
                s += "c \(w) \(t.shipments) \(t.delivered) \(t.stalled) \(t.exceptions) "
                s += PartialText.name(name) + "\n"
                numbers("e", w, t.deliverySeconds)
            }
        }
        for w in exceptions.weeks where exceptions[w].contains(where: { $0 != 0 }) {
            numbers("x", w, exceptions[w].map(Int64.init))
        }
        return s
    }

    /// Reads `encode`'s text (one period kind), interning carrier names into `pool`. Throws a
    /// message naming the line (1-based, counted from `firstLine`) for anything else.
    public static func decode<Lines: Sequence>(_ lines: Lines, firstLine: Int = 1, pool: StringPool)
        throws(PartialFormatError)
        -> LogisticsPartial where Lines.Element == Substring
    {
        var it = lines.makeIterator()
        var n = firstLine - 1
        func bad(_ m: String) -> PartialFormatError { PartialFormatError(line: n, message: m) }
        func ints(_ fields: ArraySlice<Substring>) throws(PartialFormatError) -> [Int64] {
            var out: [Int64] = []
            out.reserveCapacity(fields.count)
            for f in fields {
                guard let v = Int64(f) else { throw bad("not a number: \(f)") }
                out.append(v)
            }
            return out
        }
        guard let head = it.next() else { throw bad("empty") }
        n += 1
        let h = head.split(separator: " ", omittingEmptySubsequences: false)
        guard h.count == 4, h[0] == "period", let kind = PeriodKind(rawValue: String(h[1])),
            let lo = Int(h[2]), let hi = Int(h[3])
        else { throw bad("expected 'period week|month MIN MAX'") }
        var p = LogisticsPartial(period: kind)
        p.minWeek = lo
        p.maxWeek = hi
        var carrier: StrID? = nil
        var carrierWeek = 0
        while let line = it.next() {
            n += 1
            let f = line.split(
                separator: " ", maxSplits: line.hasPrefix("c ") ? 6 : Int.max, omittingEmptySubsequences: false)
            guard f.count >= 2, let w = Int(f[1]) else { throw bad("expected a tag and a period") }
            switch f[0] {
            case "w":
                let v = try ints(f[2...])
                guard v.count == 3 else { throw bad("w: expected 3 counts") }
                p.shipments[w].shipments += Int(v[0])
                p.shipments[w].delivered += Int(v[1])
                p.shipments[w].stalled += Int(v[2])
            case "d":
                p.shipments[w].deliverySeconds += try ints(f[2...])
            case "x":
                let v = try ints(f[2...])
                guard v.count == ExceptionType.allCases.count + 1 else {
                    throw bad("x: expected \(ExceptionType.allCases.count + 1) counts")
                }
                for i in v.indices { p.exceptions[w][i] += Int(v[i]) }
            case "c":
                guard f.count == 7 else { throw bad("c: expected 4 counts and a name") }
                let v = try ints(f[2..<6])
                guard let id = PartialText.id(f[6], pool) else { throw bad("c: bad carrier name") }
                var t = LogisticsAccumulator.CarrierTally()
                t.shipments = Int(v[0])
                t.delivered = Int(v[1])
                t.stalled = Int(v[2])
                t.exceptions = Int(v[3])
                p.shipments[w].carriers[id, default: LogisticsAccumulator.CarrierTally()].add(t)
                carrier = id
                carrierWeek = w
            case "e":
                guard let c = carrier, carrierWeek == w else { throw bad("e: not after its carrier's c line") }
                p.shipments[w].carriers[c]!.deliverySeconds += try ints(f[2...])
            default:
                throw bad("unknown tag \(f[0])")
            }
        }
        return p
    }
}

/// A partial's text that `LogisticsPartial.decode` cannot read: the line and what is wrong.
public struct PartialFormatError: Error, Sendable {
    public var line: Int
    public var message: String
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

/// The text conventions of the partial stage's state files: numbers in decimal, fields split by
/// single spaces, strings as names.
package enum PartialText {
    /// A string field: `-` for none (`.none`), else `=` and the string with `\`, space, newline
    /// and carriage return written `\\`, `\s`, `\n`, `\r` (so a field never holds a space).
    package static func name(_ s: String?) -> String {
        guard let s else { return "-" }
        var out = "="
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case " ": out += "\\s"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `name` of a pool string.
    package static func name(_ id: StrID, _ pool: StringPool) -> String { name(id == .none ? nil : pool.string(id)) }

    /// A `name` field back: nil for a malformed one, `.some(nil)` for `-`.
    package static func string(_ f: Substring) -> String?? {
        if f == "-" { return .some(nil) }
        guard f.hasPrefix("=") else { return nil }
        var out = ""
        var it = f.dropFirst().unicodeScalars.makeIterator()
        while let c = it.next() {
            guard c == "\\" else {
                out.unicodeScalars.append(c)
                continue
            }
            switch it.next() {
            case "\\": out += "\\"
            case "s": out += " "
            case "n": out += "\n"
            case "r": out += "\r"
            default: return nil
            }
        }
        return .some(out)
    }

    /// A `name` field interned into `pool` (`.none` for `-`); nil when malformed.
    package static func id(_ f: Substring, _ pool: StringPool) -> StrID? {
        guard let s = string(f) else { return nil }
        return s.map { pool.intern($0) } ?? StrID.none
    }
}
