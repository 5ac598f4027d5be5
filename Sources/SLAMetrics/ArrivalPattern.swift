import SLAFast
import SLAModel

/// When tickets arrive (staffing: 对每周咨询量及咨询时段进行分析): the tickets created in each
/// period, counted by local weekday and hour of their `created_at`.
///
/// Counted on the deduplicated tickets after the row pass, into one flat array of
/// 7 × 24 counters per period (no hashing per ticket): the periods are known by then.
struct ArrivalPattern: Sendable {
    /// Counters of period `first + k` at `k * 168 + (weekday − 1) * 24 + hour`, Monday first.
    var counts: [Int32]
    let first: Int

    static let cells = 7 * 24

    init(counts: [Int32], first: Int) {
        self.counts = counts
        self.first = first
    }

    /// Counts the tickets whose created_at falls in periods `first...last` (all of them do when
    /// `first`/`last` are the accumulator's range: a creation time extends it).
    init(tickets: [TicketRow], context ctx: MetricsContext, first: Int, last: Int) {
        self.first = first
        // No data: first > last (Int.max, Int.min), and no period.
        let periods = first <= last ? last - first + 1 : 0
        var counts = [Int32](repeating: 0, count: periods * Self.cells)
        let zone = ctx.zone
        counts.withUnsafeMutableBufferPointer { c in
            for t in tickets {
                let created = t[.createdAt]
                guard created != .missing else { continue }
                let k = ctx.week(created) - first
                guard k >= 0 && k < periods else { continue }
                // Safe: 0 ≤ k < periods (guarded) and cell(local:) < cells, so the index lies in
                // counts (periods · cells).
                let cell = Self.cell(local: zone.local(created))
                assert(cell >= 0 && cell < Self.cells)
                c[k * Self.cells + cell] &+= 1
            }
        }
        self.counts = counts
    }

    /// The cell of a local instant (seconds since 1970-01-01 00:00 local): (weekday − 1) × 24 + hour.
    @inline(__always)
    static func cell(local l: Int64) -> Int {
        let day = l >= 0 ? l / 86_400 : (l - 86_399) / 86_400
        let hour = Int((l - day * 86_400) / 3600)
        return (CivilDate.weekday(Int(day)) - 1) * 24 + hour
    }

    /// Adds 168 counts to period `w`'s (a period outside the range is a caller's error).
    mutating func add(period w: Int, _ c: [Int32]) {
        let k = w - first
        precondition(k >= 0 && (k + 1) * Self.cells <= counts.count && c.count == Self.cells, "arrivals out of range")
        for i in 0..<Self.cells { counts[k * Self.cells + i] &+= c[i] }
    }

    /// The 168 counts of period `w` (Monday 00–01 first, Sunday 23–24 last).
    func counts(period w: Int) -> [Int] {
        let k = w - first
        guard k >= 0 && (k + 1) * Self.cells <= counts.count else { return Array(repeating: 0, count: Self.cells) }
        return counts[(k * Self.cells)..<((k + 1) * Self.cells)].map(Int.init)
    }
}
