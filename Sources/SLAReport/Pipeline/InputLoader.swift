import Foundation

/// All inputs read, merged into one string pool and deduplicated (SPEC 2.5).
public struct LoadedInputs: @unchecked Sendable {
    public var pool: StringPool
    public var orders: [OrderRow]
    public var tickets: [TicketRow]
    /// Deduplicated on (tracking_no, event, event_at); in no particular order.
    public var logistics: [LogisticsRow]
    /// Rejects in read order (table, file rank, line).
    public var rejects: [Reject]
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
/// on a thread of its own) while the calling thread folds each finished file into the merged,
/// deduplicated data set.
public enum InputLoader {
    /// Reads `files` (from `InputDiscovery`). Throws the first file-level error in read order,
    /// unless `keepPartial` allows keeping what was read.
    public static func load(_ files: [InputFile], options: LoadOptions, workers: Int = 2) throws -> LoadedInputs {
        let clock = Stopwatch()
        let state = MergeState(files: files)
        var mergeSeconds = 0.0
        loadFiles(files, options: options, workers: workers) { index, result in
            let t = Stopwatch()
            state.add(index, &result)
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
            state.add(i, &results[i])
            results[i] = FileResult(file: results[i].file)
        }
        return state.finish()
    }

    /// Loads each file on a pool of `workers` threads, largest files first so the long ones start
    /// early, and hands each result to `consume` on the calling thread as it completes.
    static func loadFiles(_ files: [InputFile], options: LoadOptions, workers: Int,
                          consume: (Int, inout FileResult) -> Void)
    {
        final class Box: @unchecked Sendable {
            var done: [(Int, FileResult)] = []
            var next = 0
            let lock = NSLock()
            let ready = DispatchSemaphore(value: 0)
            let order: [Int]
            init(order: [Int]) { self.order = order }
        }
        let sizes = files.map { f -> Int in
            (try? FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int) ?? 0
        }
        let order = files.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        let box = Box(order: order)
        let n = max(1, min(workers, files.count))
        for _ in 0..<n {
            let t = Thread {
                while true {
                    box.lock.lock()
                    let k = box.next
                    box.next += 1
                    box.lock.unlock()
                    if k >= box.order.count { break }
                    let i = box.order[k]
                    let r = FileLoader.load(files[i], options: options)
                    box.lock.lock()
                    box.done.append((i, r))
                    box.lock.unlock()
                    box.ready.signal()
                }
            }
            t.stackSize = 8 << 20
            t.start()
        }
        for _ in 0..<files.count {
            box.ready.wait()
            box.lock.lock()
            var item = box.done.removeFirst()
            box.lock.unlock()
            consume(item.0, &item.1)
        }
    }
}
