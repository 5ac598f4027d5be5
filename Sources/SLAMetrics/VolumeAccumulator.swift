import SLAFast
import SLAModel

/// Ticket volume (SPEC 5 "Volume"): tickets created per week with their type, channel and
/// responsibility, and tickets resolved per week. (Orders placed live in `OrderAccumulator`.)
public struct VolumeAccumulator: Sendable {
    struct Week: Sendable {
        var created = 0
        var resolved = 0
        /// By `TicketType.rawValue`.
        var byType = [Int](repeating: 0, count: TicketType.allCases.count + 1)
        /// By `Responsibility.rawValue`, 0 = none.
        var byResponsibility = [Int](repeating: 0, count: Responsibility.allCases.count + 1)
    }

    var series = WeekSeries<Week>(empty: Week())
    /// Tickets created by week and channel: keys week index << 32 | channel StrID, counts by key
    /// number (a cheap hash instead of a dictionary per week).
    var channelKeys = DenseKeys()
    var byChannel: [Int] = []

    public init() {}

    mutating func add(ticket t: TicketRow, createdWeek: Int?, resolvedWeek: Int?) {
        if let w = createdWeek {
            series[w].created += 1
            series[w].byType[Int(t.type.rawValue)] += 1
            series[w].byResponsibility[Int(t.responsibility?.rawValue ?? 0)] += 1
            countChannel(AgentAccumulator.key(week: w, agent: t.channel), 1)
        }
        if let w = resolvedWeek { series[w].resolved += 1 }
    }

    public mutating func merge(_ other: VolumeAccumulator) {
        series.merge(other.series) { a, b in
            a.created += b.created
            a.resolved += b.resolved
            for i in 0..<a.byType.count { a.byType[i] += b.byType[i] }
            for i in 0..<a.byResponsibility.count { a.byResponsibility[i] += b.byResponsibility[i] }
        }
        for (i, k) in other.channelKeys.keys.enumerated() { countChannel(k, other.byChannel[i]) }
    }

    @inline(__always)
    private mutating func countChannel(_ key: Int64, _ n: Int) {
        let (i, inserted) = channelKeys.insert(key)
        if inserted { byChannel.append(n) } else { byChannel[i] += n }
    }

    func finish(week w: Int, into s: inout WeeklySummary, pool: StringPool) {
        let v = series[w]
        s.ticketsCreated = v.created
        s.ticketsResolved = v.resolved
        var types: [String: Int] = [:]
        for i in 1..<v.byType.count where v.byType[i] > 0 { types[TicketType(rawValue: UInt8(i))!.name] = v.byType[i] }
        s.byType = Self.sortedCounts(types)
        var resp: [String: Int] = [:]
        for i in 0..<v.byResponsibility.count where v.byResponsibility[i] > 0 {
            resp[i == 0 ? "(none)" : Responsibility(rawValue: UInt8(i))!.name, default: 0] += v.byResponsibility[i]
        }
        s.byResponsibility = Self.sortedCounts(resp)
        var channels: [String: Int] = [:]
        for (i, k) in channelKeys.keys.enumerated() where Int(k >> 32) == w && byChannel[i] > 0 {
            let c = StrID(bitPattern: UInt32(truncatingIfNeeded: k))
            channels[c == .none ? "(none)" : pool.string(c), default: 0] += byChannel[i]
        }
        s.byChannel = Self.sortedCounts(channels)
    }

    /// Count map → (key, count) pairs with count > 0, keys in byte order.
    static func sortedCounts(_ m: [String: Int]) -> [KeyCount] {
        m.filter { $0.value > 0 }.map { KeyCount($0.key, $0.value) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}
