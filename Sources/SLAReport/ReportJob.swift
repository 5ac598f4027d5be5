import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

#if canImport(Glibc)
    import Glibc
#endif

/// What `slareport run` was asked to do, after flags and config are resolved.
public struct RunRequest: Sendable {
    public var selection = InputSelection()
    public var out: String? = nil
    /// `--from/--to` as local day numbers (the first day of the first period named, the last
    /// day of the last): a week or month is written when it overlaps the range.
    public var fromDay: Int? = nil
    public var toDay: Int? = nil
    /// Overrides the as_of moment (epoch seconds).
    public var asOf: Int64? = nil
    public var lang: ReportLanguage? = nil
    public var maxRejectRate: Double? = nil
    public var keepPartial = false
    /// Publish the reports even over `max_reject_rate` (v1's behaviour; the run still exits 65).
    public var publishAnyway = false
    /// Write items.csv.gz whatever the config says (`--export-items`).
    public var exportItems = false
    /// Threads for metrics and rendering (the machine's 2 cores).
    public var workers = 2
    /// Files parsed at once. One more than the cores: each file's parse thread also waits on
    /// its reader/inflate thread, and the smaller files then overlap the largest one's tail
    /// (measured on the year benchmark: 3.96–4.05 s against 4.12–4.37 s with 2).
    public var fileWorkers = 3
    public init() {}
}

/// How a run ended when it wrote its reports.
public struct RunOutcome: Sendable {
    public var outFolder: String
    public var weeksReported: Int
    public var weeksWritten: Int
    public var files: Int
    /// Tables over `max_reject_rate`: reports were written, the CLI exits 65.
    public var overRejectLimit: [IngestError]
    /// Tolerated file-level problems (`--keep-partial`).
    public var warnings: [IngestError]
}

/// The whole `run`: lock, read, compute, render, publish. Never prints; `progress` gets short
/// status lines for a terminal.
public enum ReportJob {
    public static func run(_ req: RunRequest, config baseConfig: Config, progress: (String) -> Void = { _ in }) throws
        -> RunOutcome
    {
        let (config, zone) = try resolve(req, baseConfig)
        let out = req.out ?? config.out
        let clock = Stopwatch()
        let (lock, layout) = try claimOutput(out)
        defer { lock.release() }

        var skippedFiles: [String] = []
        let files = try InputDiscovery.discover(
            req.selection, defaultFolder: config.input, globs: config.fileGlobs, configFile: config.source,
            globLines: config.keyLines, skipped: &skippedFiles)
        progress("reading \(files.count) input file\(files.count == 1 ? "" : "s")…")
        var options = LoadOptions(config: config, zone: zone)
        options.keepPartial = req.keepPartial
        // Rejected rows go to disk as they are found (a file of bad rows must not fill memory),
        // beside the reports under temporary names that a killed run's successor removes.
        options.rejectSpillFolder = out
        var spills: [String] = []
        defer { for p in spills { unlink(p) } }
        var inputs: LoadedInputs
        do {
            inputs = try InputLoader.load(files, options: options, workers: req.fileWorkers)
        } catch {
            for f in files { unlink(out + "/" + AtomicWriter.spillName(f)) }
            throw error
        }
        spills = inputs.rejectParts.map(\.spill)
        if let e = inputs.spillFailure { throw e }
        let rejectParts = inputs.rejectParts.sorted(by: CSVReports.partOrder).map(\.spill)
        let tRead = clock.lap()
        return try report(
            inputs, rejectParts: rejectParts, validRange: options.validRange,
            warnings: skippedFiles.map { IngestError.notRegularFile(path: $0) } + inputs.warnings,
            Context(req: req, config: config, zone: zone, out: out, layout: layout, clock: clock, tRead: tRead),
            progress: progress)
    }

    /// Locks the output folder (before any input is read; held to the end of the job) and drops
    /// what a killed run left: temporary files, an unpublished generation. The caller releases
    /// the lock.
    static func claimOutput(_ out: String) throws -> (OutputLock, Generations) {
        let lock = try OutputLock(folder: out)
        let layout = Generations(root: out)
        do {
            try layout.cleanLeftovers()
        } catch {
            lock.release()
            throw error
        }
        return (lock, layout)
    }

    /// The config with the request's overrides, and its time zone.
    static func resolve(_ req: RunRequest, _ baseConfig: Config) throws -> (Config, ZoneRules) {
        var config = baseConfig
        if let l = req.lang { config.lang = l }
        if let r = req.maxRejectRate { config.maxRejectRate = r }
        return (config, try config.zoneRules())
    }

    /// What the part of a job after loading needs besides the data: the request, the resolved
    /// config, the output folder (locked by the caller, leftovers cleaned) and the clock.
    struct Context {
        var req: RunRequest
        var config: Config
        var zone: ZoneRules
        var out: String
        var layout: Generations
        var clock: Stopwatch
        /// Seconds spent reading the inputs (run.json's read_seconds).
        var tRead: Double
    }

    /// Everything after loading, shared by `run` and `merge` (one code path, so their report
    /// trees are the same bytes): joins, metrics, rendering and the atomic publish, or the
    /// failed-run diagnosis over `max_reject_rate`. `rejectParts`: the files whose
    /// concatenation is rejects.csv's body, in `CSVReports.partOrder`. The caller holds the
    /// output lock.
    static func report(
        _ inputs: consuming LoadedInputs, rejectParts: [String], validRange: ClosedRange<Int64>,
        warnings: [IngestError], _ ctx: Context, progress: (String) -> Void
    ) throws -> RunOutcome {
        let (req, config, zone, out, layout, clock, tRead) = (
            ctx.req, ctx.config, ctx.zone, ctx.out, ctx.layout, ctx.clock, ctx.tRead
        )
        // Tickets without a merchant or product take their order's: what policy filters, alerts
        // and breakdowns see.
        TicketOrderJoin.fill(&inputs.tickets, orders: inputs.orders, poolCount: inputs.pool.count)
        // The tracking events' own strings are only read back for the carrier cut: freed otherwise
        // (a million tracking numbers held to the end added 38 MB to the year's peak).
        if !config.breakdowns.byCarrier { inputs.logisticsPool = StringPool(capacity: 1) }

        let asOf = req.asOf ?? inputs.latestTimestamp ?? 0
        let skipped = SkippedPolicies.find(config: config, tables: inputs.tables)
        func engine(_ kind: PeriodKind) -> MetricsEngine {
            metricsEngine(config: config, zone: zone, asOf: asOf, inputs: inputs, period: kind, workers: req.workers)
        }
        var overLimit: [IngestError] = []
        for t in inputs.tables where t.rowsRead > 0 && Double(t.rejected) / Double(t.rowsRead) > config.maxRejectRate {
            overLimit.append(
                .tooManyRejects(table: t.table, rejected: t.rejected, read: t.rowsRead, limit: config.maxRejectRate))
        }
        let configHash = Digest.sha256Hex(Array(config.canonicalDescription.utf8))
        var info = RunInfo(
            asOf: asOf, toolVersion: SLAReportVersion.current, configSource: config.source, configHash: configHash,
            files: inputs.files, tables: inputs.tables, rejectCount: inputs.tables.reduce(0) { $0 + $1.rejected },
            timings: [])
        info.skippedPolicies = skipped
        info.validFrom = validRange.lowerBound
        info.timestampCutoff = validRange.upperBound
        if !overLimit.isEmpty && !req.publishAnyway {
            // Reports built on this data are likely wrong, and the previous ones must stay: only
            // the diagnosis is written, to failed-run/ (replaced as a set, like the reports).
            info.timings = [("read_seconds", tRead), ("total_seconds", clock.total)]
            let set = ReportSet(config: config, zone: zone, run: info)
            let runJSON = set.runJSON(info, weeks: [], written: 0..<0, months: nil, monthsWritten: 0..<0)
            try layout.publishFailedRun([("run.json", runJSON)], rejectsHead: set.rejectsHead, parts: rejectParts)
            throw RunError.overRejectRate(overLimit, folder: out + "/" + Self.failedRunFolder)
        }
        let set = ReportSet(config: config, zone: zone, run: info)

        // Weeks, then months: each kind's summaries are computed without their detail rows, and
        // its folders are rendered a few at a time (rows made, rendered, staged, dropped), so a
        // year of breaches is never held twice over, as rows or as bytes.
        let staging = Generations.Staging(layout)
        var tMetrics = 0.0
        var tRender = 0.0
        var renderedFiles = 0
        // open_items.csv: every clock open at as_of, from whichever period kind is computed first
        // (both hold them all), streamed (a million open clocks).
        var openItemsWritten = false
        // summary.json and agents.csv of a period with very many agents are streamed to disk.
        let streamed = StreamedFiles(root: out)
        func period(_ kind: PeriodKind) throws -> (summaries: [WeeklySummary], written: Range<Int>)? {
            guard config.periods.contains(kind) else { return nil }
            let t0 = clock.total
            let metrics = engine(kind)
            let (shipments, figures, lists) = try inputs.partials?(metrics.context) ?? (nil, nil, nil)
            let computed = metrics.computeDeferred(
                orders: inputs.orders, tickets: inputs.tickets, logistics: inputs.logistics, surveys: inputs.surveys,
                shipments: shipments, figures: figures, surveyTickets: inputs.surveyTickets, lists: lists)
            var list = computed.summaries
            let records = computed.records
            if !openItemsWritten {
                if let sink = streamed.sink(for: "open_items.csv") {
                    set.writeOpenItems(to: sink) { records.forEachOpenItem($0) }
                }
                try streamed.stage(into: staging)  // throws when the sink could not be made
                openItemsWritten = true
            }
            let t1 = clock.total
            tMetrics += t1 - t0
            let (lo, hi) = Self.selected(list, req)
            let chunk = max(2, 2 * req.workers)
            for start in stride(from: lo, to: hi, by: chunk) {
                let files = set.folders(
                    list, start..<min(hi, start + chunk), kind: kind, fill: { records.fill(&$0) },
                    stream: { streamed.sink(for: $0) })
                try staging.add(files)
                try streamed.stage(into: staging)
                renderedFiles += files.count
            }
            // Lists read from partials while rendering: complete, or the merge fails here.
            if let e = lists?.failure { throw e }
            // The agents are only in the period folders: the summaries kept for the index,
            // weeks.csv and run.json drop them (a million agents per period add up).
            for i in list.indices { list[i].agentTable = AgentTable() }
            tRender += clock.total - t1
            return (list, lo..<hi)
        }
        let weekResult = try period(.week)
        let monthResult = try period(.month)
        // items.csv.gz, opt-in: every clock measured again from the rows (the metrics keep none
        // but breaches and open ones), compressed as it is made, moved into the generation.
        var exportSeconds: Double? = nil
        if config.exportItems || req.exportItems {
            let t0 = clock.total
            if let sink = streamed.sink(for: ItemsCSV.fileName) {
                let clocks = ItemClocks(
                    context: engine(.week).context, orders: inputs.orders, tickets: inputs.tickets,
                    surveys: inputs.surveys, surveyTickets: inputs.surveyTickets)
                let csv = ItemsCSV(zone: zone, bom: config.csvBOM)
                if let files = inputs.partialItems {
                    // The buckets' rows (orders and tickets) in the file's order, then the surveys'.
                    let buckets = try PartialItems(files: files)
                    var survey = 0
                    try csv.write(
                        rows: buckets.count + clocks.count,
                        next: {
                            if let bytes = try buckets.next() { return bytes }
                            defer { survey += 1 }
                            return csv.render(clocks, survey..<(survey + 1))
                        }, to: sink, workers: req.workers)
                } else {
                    csv.write(clocks, to: sink, workers: req.workers)
                }
            }
            try streamed.stage(into: staging)
            renderedFiles += 1
            exportSeconds = clock.total - t0
        }
        let weeks = weekResult?.summaries ?? []
        let months = monthResult?.summaries
        let (lo, hi) = (weekResult?.written.lowerBound ?? 0, weekResult?.written.upperBound ?? 0)
        let monthRange = monthResult?.written ?? 0..<0
        if (req.fromDay != nil || req.toDay != nil) && hi == lo && monthRange.isEmpty {
            staging.abandon()
            throw RunError.emptyRange(
                "--from/--to select no reported period (the data holds \(weeks.first?.week ?? months?.first?.week ?? "none") … \(weeks.last?.week ?? months?.last?.week ?? "none"))"
            )
        }
        progress("writing \(hi - lo) of \(weeks.count) week\(weeks.count == 1 ? "" : "s") to \(out)…")

        // run.json carries the timings: rendered last so they are complete.
        var top = set.topFiles(
            weeks: weeks, written: lo..<hi, rejects: nil, existing: layout.publishedPeriods(), months: months,
            monthsWritten: monthRange)
        info.timings = [
            ("read_seconds", tRead), ("parse_seconds", inputs.parseSeconds), ("merge_seconds", inputs.mergeSeconds),
            ("metrics_seconds", tMetrics), ("render_seconds", tRender),
        ]
        if let e = exportSeconds { info.timings.append(("export_seconds", e)) }
        info.timings.append(("total_seconds", clock.total))
        top.append(
            ("run.json", set.runJSON(info, weeks: weeks, written: lo..<hi, months: months, monthsWritten: monthRange)))
        try staging.add(top)
        try staging.addConcatenated("rejects.csv", head: set.rejectsHead, parts: rejectParts)
        let latest = latestTarget(layout, candidate: hi > lo ? weeks[hi - 1].week : nil)
        try staging.publish(latestTarget: latest)
        // A successful run clears the diagnosis an earlier failed one left.
        layout.removeFailedRun()
        return RunOutcome(
            outFolder: out, weeksReported: weeks.count, weeksWritten: hi - lo, files: renderedFiles + top.count + 1,
            overRejectLimit: overLimit, warnings: warnings)
    }

    /// The metrics of one period kind over loaded inputs: the config, zone and as_of given, the
    /// policies skipped for a column no file of their table has, satisfaction from the surveys
    /// table when a surveys file was read. What `report` and the partial stage both measure with.
    static func metricsEngine(
        config: Config, zone: ZoneRules, asOf: Int64, inputs: borrowing LoadedInputs, period: PeriodKind, workers: Int
    ) -> MetricsEngine {
        let skipped = SkippedPolicies.find(config: config, tables: inputs.tables)
        var e = MetricsEngine(
            config: config, zone: zone, asOf: asOf, pool: inputs.pool, extras: inputs.extras,
            skipped: Dictionary(skipped.map { ($0.policy, $0.column) }, uniquingKeysWith: { a, _ in a }),
            surveysGiven: inputs.tables.contains { $0.table == .surveys && $0.files > 0 }, period: period,
            eventPool: inputs.logisticsPool)
        e.parallelism = workers
        return e
    }

    /// Where a run over the reject rate leaves its run.json and rejects.csv, inside the output folder.
    public static let failedRunFolder = Generations.failedRun

    /// The periods of `list` that overlap the --from/--to days (all without them).
    static func selected(_ list: [WeeklySummary], _ req: RunRequest) -> (Int, Int) {
        func days(_ w: WeeklySummary) -> (Int, Int) {
            (CivilDate.parse(w.weekStart) ?? 0, CivilDate.parse(w.weekEnd) ?? 0)
        }
        var lo = 0
        var hi = list.count
        if let f = req.fromDay { lo = list.firstIndex { days($0).1 >= f } ?? list.count }
        if let t = req.toDay { hi = (list.lastIndex { days($0).0 <= t }).map { $0 + 1 } ?? 0 }
        return (lo, max(lo, hi))
    }

    /// `latest` moves to the newest written week, never backwards (a rerun of an old range
    /// with --from/--to leaves it alone).
    static func latestTarget(_ layout: Generations, candidate: String?) -> String? {
        guard let c = candidate, let cw = ISOWeek(name: c) else { return nil }
        if let cur = layout.latestWeek(), let curWeek = ISOWeek(name: cur), curWeek > cw, layout.hasPublishedPeriod(cur)
        {
            return nil
        }
        return c
    }
}

/// Wall-clock laps for run.json (the only non-deterministic output).
final class Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds
    func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// A run that cannot go on as asked: a range that selects nothing (exit 64, like a bad command
/// line), or too many rejected rows to publish (exit 65; the diagnosis is in `folder`).
public enum RunError: Error, Sendable, CustomStringConvertible {
    case emptyRange(String)
    case overRejectRate([IngestError], folder: String)
    public var description: String {
        switch self {
        case .emptyRange(let m): return m
        case .overRejectRate(let errors, let folder):
            // One line per table over the limit (the CLI prefixes the first with "slareport: ").
            return errors.map {
                "\($0); reports not published (the previous ones are kept); see run.json and rejects.csv in \(folder)/"
                    + " (--publish-anyway publishes them)"
            }.joined(separator: "\nslareport: ")
        }
    }
}

/// `--from/--to` values: an ISO week ("2026-W47"), a month ("2026-11") or a date ("2026-11-20"),
/// as the local days it spans.
public enum PeriodBound {
    public static func days(_ s: String) -> (first: Int, last: Int)? {
        if let w = ISOWeek(name: s) { return (w.monday, w.monday + 6) }
        if let m = CalendarMonth(name: s) { return (m.firstDay, m.lastDay) }
        if let d = CivilDate.parse(s) { return (d, d) }
        return nil
    }
}
