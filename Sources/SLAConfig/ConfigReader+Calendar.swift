import SLAIngest
import SLAModel
import TOMLKit

/// `[calendar]`: business hours, workdays, holidays and make-up workdays (SPEC 3).
extension ConfigReader {
    static let calendarKeys = ["business_hours", "workdays", "holidays", "extra_workdays"]

    func calendar(_ t: TOMLTable, at path: ConfigPath) throws -> CalendarConfig {
        var c = CalendarConfig()
        for key in keys(of: t, at: path) {
            let v = t[key]!
            let p = path.key(key)
            switch key {
            case "business_hours": c.businessHours = try businessHours(v, at: p)
            case "workdays":
                var days = Set<Int>()
                for (i, name) in try stringArray(v, at: p).enumerated() {
                    guard let d = Self.weekday(name) else {
                        throw error(
                            p, "unknown weekday '\(name)' (use Mon, Tue, Wed, Thu, Fri, Sat or Sun)", element: i)
                    }
                    days.insert(d)
                }
                guard !days.isEmpty else { throw error(p, "at least one workday is needed") }
                c.workdays = days
            case "holidays": c.holidays = try dates(v, at: p)
            case "extra_workdays": c.extraWorkdays = try dates(v, at: p)
            default: throw unknownKey(key, at: path, allowed: Self.calendarKeys)
            }
        }
        if let both = c.holidays.intersection(c.extraWorkdays).min() {
            throw error(path.key("extra_workdays"), "\(CivilDate.format(both)) is also listed as a holiday")
        }
        return c
    }

    /// One "HH:MM-HH:MM" string or an array of them; sorted, non-overlapping, within one day.
    func businessHours(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [CalendarConfig.Interval] {
        let texts: [(String, Int?)]
        if v.type == .array {
            texts = try stringArray(v, at: path).enumerated().map { ($1, $0) }
            guard !texts.isEmpty else { throw error(path, "at least one interval is needed, e.g. \"09:00-18:00\"") }
        } else {
            texts = [(try string(v, at: path), nil)]
        }
        var intervals: [(CalendarConfig.Interval, String, Int?)] = []
        for (text, element) in texts {
            switch Self.interval(text) {
            case .success(let interval): intervals.append((interval, text, element))
            case .failure(let problem): throw error(path, problem.message(text), element: element)
            }
        }
        intervals.sort { $0.0.startMinute < $1.0.startMinute }
        for (a, b) in zip(intervals, intervals.dropFirst()) where b.0.startMinute < a.0.endMinute {
            throw error(path, "'\(b.1)' overlaps '\(a.1)'", element: b.2)
        }
        return intervals.map(\.0)
    }

    enum IntervalProblem: Error {
        case unreadable
        case badTime(String)
        case notAfterStart

        func message(_ text: String) -> String {
            switch self {
            case .unreadable:
                return "cannot read '\(text)' as business hours (use \"HH:MM-HH:MM\", e.g. \"09:00-18:00\")"
            case .badTime(let t):
                return "cannot read '\(text)' as business hours: '\(t)' is not a time of day (00:00 to 24:00)"
            case .notAfterStart:
                return "'\(text)' must end after it starts (business hours cannot cross midnight)"
            }
        }
    }

    static func interval(_ text: String) -> Result<CalendarConfig.Interval, IntervalProblem> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.configTrimmed() }
        guard parts.count == 2 else { return .failure(.unreadable) }
        guard let start = minuteOfDay(parts[0]) else { return .failure(.badTime(parts[0])) }
        guard let end = minuteOfDay(parts[1]) else { return .failure(.badTime(parts[1])) }
        guard end > start else { return .failure(.notAfterStart) }
        return .success(CalendarConfig.Interval(startMinute: start, endMinute: end))
    }

    /// "9:00", "09:00", "24:00" → minutes after midnight.
    static func minuteOfDay(_ s: String) -> Int? {
        let hm = s.split(separator: ":", omittingEmptySubsequences: false)
        guard hm.count == 2, (1...2).contains(hm[0].count), hm[1].count == 2,
            hm[0].allSatisfy({ $0.isASCII && $0.isNumber }), hm[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let h = Int(hm[0]), let m = Int(hm[1]), m < 60, h < 24 || (h == 24 && m == 0)
        else { return nil }
        return h * 60 + m
    }

    static let weekdayNames: [String: Int] = {
        var names: [String: Int] = [:]
        let english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let chinese = ["一", "二", "三", "四", "五", "六", "日"]
        for (i, name) in english.enumerated() {
            names[name] = i + 1
            names[String(name.prefix(3))] = i + 1
            names["周" + chinese[i]] = i + 1
            names["星期" + chinese[i]] = i + 1
        }
        names["周天"] = 7
        names["星期天"] = 7
        return names
    }()

    /// ISO weekday of "Mon", "monday", "周一" … (case-insensitive).
    static func weekday(_ name: String) -> Int? { weekdayNames[name.configTrimmed().lowercased()] }

    /// Dates as "YYYY-MM-DD" strings or TOML local dates → day numbers.
    func dates(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> Set<Int> {
        var days = Set<Int>()
        for (i, element) in try array(v, at: path).enumerated() {
            if let d = element.date {
                days.insert(CivilDate.days(year: d.year, month: d.month, day: d.day))
            } else if let s = element.string {
                guard let day = CivilDate.parse(s.configTrimmed()) else {
                    throw error(path, "cannot read '\(s)' as a date (use \"YYYY-MM-DD\")", element: i)
                }
                days.insert(day)
            } else {
                throw typeError(element, expected: "a date such as \"2026-10-01\"", at: path, element: i)
            }
        }
        return days
    }
}
