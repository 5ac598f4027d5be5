import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Test(arguments: [
    // (y, m, d, ISO week name)
    (2024, 12, 30, "2025-W01"),
    (2027, 1, 1, "2026-W53"),
    (2021, 1, 3, "2020-W53"),
    (2020, 12, 31, "2020-W53"),
    (2027, 1, 4, "2027-W01"),
    (2026, 11, 22, "2026-W47"),
])
func isoWeekNames(y: Int, m: Int, d: Int, name: String) {
    let day = CivilDate.days(year: y, month: m, day: d)
    #expect(ISOWeek(day: day).name == name)
    #expect(ISOWeek(name: name)?.monday == ISOWeek(day: day).monday)
}

@Test func civilRoundTrip() {
    for day in stride(from: -800_000, to: 800_000, by: 997) {
        let c = CivilDate.civil(day)
        #expect(CivilDate.days(year: c.year, month: c.month, day: c.day) == day)
    }
    #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
    #expect(CivilDate.weekday(0) == 4)  // Thursday
}

@Test func berlinFoldZero() throws {
    let z = try #require(ZoneRules(identifier: "Europe/Berlin"))
    // 2026-03-29 02:30 local does not exist (clocks 02:00 → 03:00): read with the offset before
    // the change, +01:00 → 01:30Z.
    let gapLocal = Int64(CivilDate.days(year: 2026, month: 3, day: 29)) * 86400 + 2 * 3600 + 1800
    #expect(z.utc(fromLocal: gapLocal) == gapLocal - 3600)
    // 2026-10-25 02:30 local happens twice (+02:00 then +01:00): the earlier, +02:00 → 00:30Z.
    let foldLocal = Int64(CivilDate.days(year: 2026, month: 10, day: 25)) * 86400 + 2 * 3600 + 1800
    #expect(z.utc(fromLocal: foldLocal) == foldLocal - 7200)
    // 03:30 after the fall-back is unambiguous, +01:00.
    #expect(z.utc(fromLocal: foldLocal + 3600) == foldLocal + 3600 - 3600)
    #expect(z.iso8601(foldLocal - 7200) == "2026-10-25T02:30:00+02:00")
    #expect(ZoneRules(identifier: "Mars/Olympus") == nil)
}
