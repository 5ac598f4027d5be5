import SLAFast
import SLAModel

/// Business time on a working calendar (SPEC 3): only seconds inside the business hours of a
/// worked day count. Works in the zone's local wall-clock time, so a DST switch neither adds nor
/// removes business time (09:00–18:00 is 9 h on any worked day).
///
/// A day is worked when it is not a holiday and either its ISO weekday is a workday or it is an
/// extra workday (调休). A date listed both as holiday and extra workday is a holiday.
///
/// Cost is O(log h) per call (h = holidays + extra days): business time up to a local instant is
/// a closed formula over whole weeks, corrected by binary searches in the sorted exception days,
/// so a ticket open for years costs the same as one open for an hour.
public struct BusinessCalendar: Sendable {
    /// Intervals in seconds after local midnight, sorted and non-overlapping.
    let intervals: [(start: Int64, end: Int64)]
    /// Business seconds in one worked day.
    public let daySeconds: Int64
    /// isWorkday[w] for ISO weekday w (index 0 unused).
    let isWorkday: [Bool]
    /// prefix[r]: workdays among the r days following a day number ≡ 0 (mod 7) (1970-01-01, a Thursday).
    let weekPrefix: [Int64]
    let workdaysPerWeek: Int64
    /// Holidays falling on a workday weekday (each removes a worked day), sorted.
    let lostDays: [Int]
    /// Extra workdays on a non-workday weekday and not holidays (each adds a worked day), sorted.
    let gainedDays: [Int]
    let holidays: Set<Int>
    let extraDays: Set<Int>
    let zone: ZoneRules

    public init(_ c: CalendarConfig, zone: ZoneRules) {
        self.zone = zone
        var iv = c.businessHours.map { (start: Int64($0.startMinute) * 60, end: Int64($0.endMinute) * 60) }
            .filter { $0.end > $0.start }
            .sorted { $0.start < $1.start }
        // Merge overlaps so no second is counted twice (the config loader should reject them anyway).
        var merged: [(start: Int64, end: Int64)] = []
        for i in iv {
            if let last = merged.last, i.start <= last.end {
                merged[merged.count - 1].end = max(last.end, i.end)
            } else {
                merged.append(i)
            }
        }
        iv = merged
        intervals = iv
        daySeconds = iv.reduce(0) { $0 + $1.end - $1.start }
        var wd = [Bool](repeating: false, count: 8)
        for d in c.workdays where (1...7).contains(d) { wd[d] = true }
        isWorkday = wd
        var prefix: [Int64] = [0]
        for r in 0..<7 { prefix.append(prefix[r] + (wd[CivilDate.weekday(r)] ? 1 : 0)) }
        weekPrefix = prefix
        workdaysPerWeek = prefix[7]
        holidays = c.holidays
        extraDays = c.extraWorkdays
        lostDays = c.holidays.filter { wd[CivilDate.weekday($0)] }.sorted()
        gainedDays = c.extraWorkdays.filter { !wd[CivilDate.weekday($0)] && !c.holidays.contains($0) }.sorted()
    }

    /// Whether a local day number is worked.
    @inline(__always)
    public func isWorked(day: Int) -> Bool {
        if holidays.contains(day) { return false }
        return isWorkday[CivilDate.weekday(day)] || extraDays.contains(day)
    }

    /// Count of elements of a sorted array that are < x.
    @inline(__always)
    private static func countBelow(_ a: [Int], _ x: Int) -> Int64 {
        var lo = 0
        var hi = a.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return Int64(lo)
    }

    /// Worked days in [0, day) (negative for day < 0); only differences are meaningful.
    @inline(__always)
    func workedDaysBefore(_ day: Int) -> Int64 {
        let q = day >= 0 ? day / 7 : (day - 6) / 7
        let r = day - q * 7
        return Int64(q) * workdaysPerWeek + weekPrefix[r] - Self.countBelow(lostDays, day)
            + Self.countBelow(gainedDays, day)
    }

    /// Business seconds of a day before second-of-day `sod` (the day assumed worked).
    @inline(__always)
    func secondsBefore(sod: Int64) -> Int64 {
        var s: Int64 = 0
        for i in intervals {
            if sod <= i.start { break }
            s += min(sod, i.end) - i.start
        }
        return s
    }

    /// Business seconds from an origin to a local wall-clock instant (monotone in `local`).
    @inline(__always)
    func cumulative(local l: Int64) -> Int64 {
        let day = Int(l >= 0 ? l / 86_400 : (l - 86_399) / 86_400)
        let sod = l - Int64(day) * 86_400
        var b = workedDaysBefore(day) * daySeconds
        if isWorked(day: day) { b += secondsBefore(sod: sod) }
        return b
    }

    /// Business seconds between two UTC instants (0 when `to <= from`).
    public func businessSeconds(from: Int64, to: Int64) -> Int64 {
        if to <= from { return 0 }
        let b = cumulative(local: zone.local(to)) - cumulative(local: zone.local(from))
        return b > 0 ? b : 0
    }

    /// The earliest UTC instant at which `businessSeconds` of business time have passed since
    /// `start` (so `businessSeconds(from: start, to: due(...)) == businessSeconds`). A due time
    /// that ends exactly at the close of an interval is that close, not the next opening.
    /// `Int64.max` when the calendar has no business time at all.
    public func due(start: Int64, businessSeconds s: Int64) -> Int64 {
        if s <= 0 { return start }
        if daySeconds == 0 || (workdaysPerWeek == 0 && gainedDays.isEmpty) { return .max }
        let ls = zone.local(start)
        let target = cumulative(local: ls) + s
        // The target lies on the worked day with index n (0-based worked-day count from the
        // origin), at r seconds of business time into it (0 < r <= daySeconds).
        let n = floorDiv(target - 1, daySeconds)
        let r = target - n * daySeconds
        let startDay = Int(ls >= 0 ? ls / 86_400 : (ls - 86_399) / 86_400)
        // Smallest day d >= startDay with workedDaysBefore(d + 1) > n.
        var lo = startDay
        var step = 8
        var hi = startDay + step
        while workedDaysBefore(hi + 1) <= n {
            if workdaysPerWeek == 0 && hi > (gainedDays.last ?? Int.min) { return .max }
            lo = hi
            step *= 2
            hi = lo + step
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if workedDaysBefore(mid + 1) > n { hi = mid } else { lo = mid + 1 }
        }
        var cum: Int64 = 0
        var sod: Int64 = 0
        for i in intervals {
            let len = i.end - i.start
            if cum + len >= r {
                sod = i.start + (r - cum)
                break
            }
            cum += len
        }
        return zone.utc(fromLocal: Int64(lo) * 86_400 + sod)
    }

    @inline(__always)
    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
