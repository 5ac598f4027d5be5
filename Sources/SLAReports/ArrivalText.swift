import SLAFast
import SLAMetrics
import SLAModel

/// The arrival pattern in words: the busiest weekday-hour cells, for the report's line and
/// report.md.
enum ArrivalText {
    /// The `n` cells with the most tickets (more first; ties in week order), none when empty.
    static func busiest(_ arrivals: [Int], _ n: Int = 3) -> [(cell: Int, count: Int)] {
        let cells = arrivals.enumerated().filter { $0.element > 0 }
        return cells.sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            .prefix(n).map { ($0.offset, $0.element) }
    }

    /// "00:00" … "24:00".
    static func clock(_ hour: Int) -> String { CivilDate.pad(hour, 2) + ":00" }

    /// "Tue 10:00–11:00 (13)", joined by the list separator.
    static func busiestLine(_ arrivals: [Int], _ l: Localization) -> String? {
        let top = busiest(arrivals)
        guard !top.isEmpty else { return nil }
        let slots = top.map { t in
            l.format(
                "arrivals.slot", l[Localization.weekdayIDs[t.cell / 24 + 1]], clock(t.cell % 24),
                clock(t.cell % 24 + 1),
                NumberFormat.grouped(t.count))
        }
        return l.format("arrivals.busiest", l.list(slots))
    }
}
