import SLAFast

/// An ISO-8601 week in the configured zone (SPEC 3): Monday 00:00 to Sunday 24:00 local.
public struct ISOWeek: Sendable, Hashable, Comparable {
    /// Day number (days since 1970-01-01) of the week's Monday. Weeks are consecutive integers
    /// via `index`.
    public let monday: Int

    public init(monday: Int) { self.monday = monday }

    /// The week holding a local day number.
    @inline(__always)
    public init(day: Int) { self.monday = day - (CivilDate.weekday(day) - 1) }

    /// A dense index: consecutive weeks differ by 1.
    @inline(__always)
    public var index: Int { (monday + 3) / 7 }  // 1970-01-05 (day 4) is a Monday → index 1
    public init(index: Int) { self.monday = index * 7 - 3 }

    /// The week holding a UTC instant in `zone`.
    @inline(__always)
    public static func index(utc: Int64, zone: ZoneRules) -> Int {
        let l = zone.local(utc)
        let day = Int((l >= 0 ? l : l - 86_399) / 86_400)
        return (day - (CivilDate.weekday(day) - 1) + 3) / 7
    }

    /// ISO week-numbering year and week number.
    public var yearAndWeek: (year: Int, week: Int) {
        let thursday = monday + 3
        let year = CivilDate.civil(thursday).year
        let jan1 = CivilDate.days(year: year, month: 1, day: 1)
        return (year, (thursday - jan1) / 7 + 1)
    }

    /// "2026-W47".
    public var name: String {
        let yw = yearAndWeek
        return CivilDate.pad(yw.year, 4) + "-W" + CivilDate.pad(yw.week, 2)
    }

    /// Parses "2026-W47"; nil when malformed or the week does not exist.
    public init?(name: String) {
        let parts = name.split(separator: "-")
        guard parts.count == 2, parts[1].first == "W" || parts[1].first == "w", let y = Int(parts[0]),
            let w = Int(parts[1].dropFirst()), w >= 1, w <= 53
        else { return nil }
        // The Monday of week 1 is the Monday of the week holding Jan 4.
        let jan4 = CivilDate.days(year: y, month: 1, day: 4)
        let week1 = jan4 - (CivilDate.weekday(jan4) - 1)
        let candidate = ISOWeek(monday: week1 + (w - 1) * 7)
        guard candidate.yearAndWeek.year == y else { return nil }
        self = candidate
    }

    public var startDate: String { CivilDate.format(monday) }
    public var endDate: String { CivilDate.format(monday + 6) }
    public var previous: ISOWeek { ISOWeek(monday: monday - 7) }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { a.monday < b.monday }
}
