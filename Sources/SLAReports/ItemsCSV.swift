import SLAFast
import SLAMetrics
import SLAModel

/// `items.csv.gz`, the opt-in per-item export: one row per clock (table, row id, policy) over
/// every period the data holds, so any cut can be recomputed outside (see docs/exports.md).
///
/// A year holds millions of clocks, so the file is never held whole: rows are made in blocks of
/// `blockRows` input rows, a batch of blocks at a time on `workers` threads, each block rendered
/// and compressed on its thread (`GzipBlocks`), then written in order.
package struct ItemsCSV {
    package static let fileName = "items.csv.gz"
    static let header = [
        "table", "id", "order_id", "policy", "start", "stop", "due", "elapsed_hours", "state", "week", "month", "agent",
        "type", "priority", "channel", "category",
    ]
    /// `state` of a clock whose stop lies before its start (counted in `invalid_durations`) and
    /// of a due policy's row without its due value (`missing_due`).
    static let invalidState = "invalid"
    static let missingDueState = "missing_due"
    static let metState = "met"

    let zone: ZoneRules
    let bom: Bool
    /// Input rows per block (a ticket row makes a few clocks of about 200 bytes each).
    var blockRows = 8192

    package init(zone: ZoneRules, bom: Bool) {
        self.zone = zone
        self.bom = bom
    }

    /// Writes the whole file to `sink`.
    package func write(_ clocks: ItemClocks, to sink: ByteSink, workers: Int) {
        var gz = GzipBlocks(sink: sink)
        var head = CSVWriter(bom: bom)
        head.header(Self.header)
        gz.append(GzipBlocks.compress(head.bytes))
        let n = clocks.count
        let blocks = (n + blockRows - 1) / blockRows
        let batch = max(1, 2 * workers)
        for first in stride(from: 0, to: blocks, by: batch) {
            let count = min(batch, blocks - first)
            let made = Workers.map(count: count) { k in
                let b = first + k
                let rows = (b * blockRows)..<min(n, (b + 1) * blockRows)
                return GzipBlocks.compress(render(clocks, rows))
            }
            for b in made { gz.append(b) }
        }
        gz.finish()
    }

    /// Writes the whole file to `sink` from rows rendered elsewhere: `next` gives the CSV rows of
    /// each input row in turn (`rows` of them, in the file's order; empty for a row without
    /// clocks). The blocks are those of `write(_:to:workers:)`, so the bytes are too.
    package func write(rows n: Int, next: () throws -> [UInt8], to sink: ByteSink, workers: Int) throws {
        var gz = GzipBlocks(sink: sink)
        var head = CSVWriter(bom: bom)
        head.header(Self.header)
        gz.append(GzipBlocks.compress(head.bytes))
        let blocks = (n + blockRows - 1) / blockRows
        let batch = max(1, 2 * workers)
        for first in stride(from: 0, to: blocks, by: batch) {
            let count = min(batch, blocks - first)
            var raw: [[UInt8]] = []
            for b in first..<(first + count) {
                var bytes: [UInt8] = []
                for _ in (b * blockRows)..<min(n, (b + 1) * blockRows) { bytes += try next() }
                raw.append(bytes)
            }
            let rendered = raw
            let made = Workers.map(count: count) { k in GzipBlocks.compress(rendered[k]) }
            for b in made { gz.append(b) }
        }
        gz.finish()
    }

    /// The CSV rows of the clocks of input rows `positions` (no header, no BOM).
    package func render(_ clocks: ItemClocks, _ positions: Range<Int>) -> [UInt8] {
        let ctx = clocks.weeks
        let pool = ctx.pool
        let zone = self.zone  // the closure below captures locals, not a copy of self per clock
        let names = ctx.config.policies.map(\.name)
        var weekNames: [Int: String] = [:]
        var monthNames: [Int: String] = [:]
        var c = CSVWriter(bom: false, capacity: 220 * 2 * positions.count)
        clocks.forEach(positions) { k in
            c.text(k.table.rawValue)
            c.input(k.id, pool: pool)
            c.input(k.order, pool: pool)
            c.input(names[k.policy])
            var stop: Int64 = .missing
            var elapsed: Int64? = nil
            let state: String
            switch k.outcome {
            case .met(_, let s, let e):
                (stop, elapsed, state) = (s, e, Self.metState)
            case .breached(_, let s, let e, _):
                (stop, elapsed) = (s, e)
                state = s == .missing ? SLAAccumulator.openBreachState : SLAAccumulator.breachedState
            case .pending: state = OpenItem.pendingState
            case .invalid: state = Self.invalidState
            case .missingDue: state = Self.missingDueState
            case .notApplicable: preconditionFailure("ItemClocks passes applicable clocks only")
            }
            c.time(k.outcome.start ?? .missing, zone: zone)
            c.time(stop, zone: zone)
            c.time(k.due, zone: zone)
            c.number(elapsed.map { Double($0) / 3600 })
            c.text(state)
            if weekNames[k.week] == nil { weekNames[k.week] = ISOWeek(index: k.week).name }
            if monthNames[k.month] == nil { monthNames[k.month] = CalendarMonth(index: k.month).name }
            c.text(weekNames[k.week]!)
            c.text(monthNames[k.month]!)
            c.input(k.agent, pool: pool)
            c.text(k.type == 0 ? "" : TicketType(rawValue: k.type)!.name)
            c.text(k.priority == 0 ? "" : Priority(rawValue: k.priority)!.name)
            c.input(k.channel, pool: pool)
            c.input(k.category, pool: pool)
            c.endRow()
        }
        return c.bytes
    }
}
