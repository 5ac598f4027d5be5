import SLAFast

/// A calendar month in the configured zone (the monthly reports): the 1st 00:00 to the last day
/// 24:00 local, named like "2026-11". Months are consecutive integers via `index`.
public struct CalendarMonth: Sendable, Hashable, Comparable {
    public let year: Int
    /// 1...12.
    public let month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// A dense index: consecutive months differ by 1 (year × 12 + month − 1).
    public var index: Int { year * 12 + month - 1 }

    public init(index: Int) {
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        self.init(year: y, month: index - y * 12 + 1)
    }

    /// The month holding a local day number.
    public init(day: Int) {
        let c = CivilDate.civil(day)
        self.init(year: c.year, month: c.month)
    }

    /// The month index of a UTC instant in `zone`.
    @inline(__always)
    public static func index(utc: Int64, zone: ZoneRules) -> Int {
        let l = zone.local(utc)
        return CalendarMonth(day: Int((l >= 0 ? l : l - 86_399) / 86_400)).index
    }

    /// "2026-11".
    public var name: String { CivilDate.pad(year, 4) + "-" + CivilDate.pad(month, 2) }

    /// Parses "2026-11"; nil when malformed.
    public init?(name: String) {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
            (1...12).contains(m)
        else { return nil }
        self.init(year: y, month: m)
    }

    /// Local day numbers of the first and the last day.
    public var firstDay: Int { CivilDate.days(year: year, month: month, day: 1) }
    public var lastDay: Int {
        CivilDate.days(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))
    }
    public var startDate: String { CivilDate.format(firstDay) }
    public var endDate: String { CivilDate.format(lastDay) }

    public static func < (a: CalendarMonth, b: CalendarMonth) -> Bool { a.index < b.index }
}

/// The periods reports are made for: ISO weeks and calendar months.
public enum PeriodKind: String, Sendable, Equatable, CaseIterable {
    case week, month
}
