import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// All inputs read, merged into one string pool and deduplicated (SPEC 2.5).
public struct LoadedInputs: @unchecked Sendable {
    public var pool: StringPool
    public var orders: [OrderRow]
    public var tickets: [TicketRow]
    /// Deduplicated on (tracking_no, event, event_at), grouped by tracking id (ascending), each
    /// shipment's events by event_at, event, read order (`EventSet.finish`): `MetricsEngine`
    /// relies on that order.
    public var logistics: [LogisticsRow]
    /// The pool the logistics rows' ids (tracking number, carrier) refer to.
    public var logisticsPool = StringPool(capacity: 1)
    public var surveys: [SurveyRow] = []
    /// With partials (`slareport merge --partials`): the figures of the logistics events and of
    /// the orders and tickets measured by them instead of being read, and their item lists, for
    /// a period kind's context (read when asked); what the surveys need of those tickets, by
    /// ticket id.
    public var partials: ((MetricsContext) throws -> (LogisticsPartial?, MetricsPartial?, (any PeriodItemLists)?))? =
        nil
    public var surveyTickets: [StrID: SurveyTicket] = [:]
    /// With partials: the buckets' items.txt, for items.csv.gz (`PartialItems`).
    var partialItems: [String]? = nil
    /// Extra column values of orders, tickets and surveys (rows point into them).
    public var extras: [Table: ExtraStore] = [:]
    /// Rejects in read order (table, file rank, line), when they are kept in memory.
    public var rejects: [Reject]
    /// The files' spilled rejects (`LoadOptions.rejectSpillFolder`), one part per input file.
    public var rejectParts: [RejectPart] = []
    /// A spill file that could not be written (the run fails: no complete rejects.csv).
    public var spillFailure: OutputError? = nil
    public var files: [FileStats]
    public var tables: [TableStats]
    /// Latest timestamp in any column of any accepted row; nil when no row was accepted.
    public var latestTimestamp: Int64?
    /// File-level problems that were tolerated (`--keep-partial`).
    public var warnings: [IngestError]
    /// Seconds spent parsing files and merging them (for run.json timings).
    public var parseSeconds: Double = 0
    public var mergeSeconds: Double = 0
}

/// Reads input files on worker threads (files in parallel; each file also reads and inflates
/// on a thread of its own) while the calling thread folds each chunk of rows and each finished
/// file into the merged, deduplicated data set.
public enum InputLoader {
    /// Reads `files` (from `InputDiscovery`). Throws the first file-level error in read order,
    /// unless `keepPartial` allows keeping what was read.
    public static func load(_ files: [InputFile], options: LoadOptions, workers: Int = 2) throws -> LoadedInputs {
        try load(files, options: options, workers: workers, chunkRows: FileLoader.chunkRows)
    }

    /// `load`, merging files in chunks of `chunkRows` rows (tests use tiny ones).
    static func load(_ files: [InputFile], options: LoadOptions, workers: Int, chunkRows: Int) throws -> LoadedInputs {
        let clock = Stopwatch()
        let state = MergeState(files: files, extraStrings: options.extraStringSlots)
        var mergeSeconds = 0.0
        loadFiles(files, options: options, workers: workers, chunkRows: chunkRows) { index, result, last in
            let t = Stopwatch()
            state.add(index, &result, last: last)
            let dt = t.lap()
            mergeSeconds += dt
        }
        let finish = Stopwatch()
        var loaded = state.finish()
        for e in loaded.warnings {
            if case .corruptGzip = e, options.keepPartial { continue }
            throw e
        }
        loaded.mergeSeconds = mergeSeconds + finish.lap()
        loaded.parseSeconds = clock.total - loaded.mergeSeconds
        return loaded
    }

    /// Merges already loaded files (tests; `load` merges while reading), in `arrival` order
    /// (default: read order) — the CLI merges files in the order they finish.
    static func merge(_ results: inout [FileResult], arrival: [Int]? = nil) -> LoadedInputs {
        let state = MergeState(files: results.map(\.file))
        for i in arrival ?? Array(results.indices) {
            state.add(i, &results[i], last: true)
            results[i] = FileResult(file: results[i].file)
        }
        return state.finish()
    }

    /// Loads each file on a pool of `workers` threads, largest files first so the long ones start
    /// early, and hands each chunk of `chunkRows` rows (`last` false) and then each file's
    /// result (`last` true) to `consume` on the calling thread as they come. A worker waits
    /// while `workers` chunks are in flight (queued or being consumed), so rows in flight stay a
    /// few chunks however big the files are; a file's result never waits.
    static func loadFiles(
        _ files: [InputFile], options: LoadOptions, workers: Int,
        chunkRows: Int,
        consume: (Int, inout FileResult, _ last: Bool) -> Void
    ) {
        let sizes = files.map { f -> Int in
            (try? FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int) ?? 0
        }
        let order = files.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        let n = max(1, min(workers, files.count))
        // Chunks in flight: at most `n - 1` queued plus the one `consume` holds (two with a
        // single worker: a queue holds at least one).
        let done = BoundedQueue<(Int, FileResult, Bool), Never>(capacity: max(1, n - 1))
        let next = Locked(0)
        var threads: [Worker] = []
        for _ in 0..<n {
            let body = { @Sendable in
                while true {
                    let k = next.withLock { k in
                        defer { k += 1 }
                        return k
                    }
                    if k >= order.count { break }
                    let i = order[k]
                    let r = FileLoader.load(files[i], options: options, chunkRows: chunkRows) { chunk in
                        done.send((i, chunk, false))
                    }
                    done.send((i, r, true), waitForRoom: false)
                }
            }
            do {
                threads.append(try Workers.start(body))
            } catch {
                // The threads started take every file; with none there is no way to go on.
                if threads.isEmpty { fatalError("cannot start a loader thread (error \(error.code))") }
                break
            }
        }
        var finished = 0
        while finished < files.count {
            guard var item = done.receive() else { break }
            consume(item.0, &item.1, item.2)
            if item.2 { finished += 1 }
        }
        for t in threads { t.join() }
    }
}
