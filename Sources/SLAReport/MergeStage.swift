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

extension ReportJob {
    /// `slareport merge`: the reports of `run` from the map stage's outputs (`MapStage`, one
    /// folder per input file under `mapFolder/map/`) instead of the input files. The rows are
    /// rebuilt as `run`'s loader would have built them, deduplicated by the same `MergeState`,
    /// and the rest is `run`'s own code (`report`): the report tree is byte for byte `run`'s,
    /// run.json's timings aside.
    ///
    /// Without partials it holds every deduplicated row in memory, like `run`.
    ///
    /// With `partials` (the folder holding the groups stage's `<bucket>/state.txt`, see
    /// `PartialStage`), only the surveys are read as rows: the buckets' figures stand for the
    /// orders, events and tickets (`PartialStage.combine` checks that every bucket is there,
    /// made with this as_of, config and set of files). items.csv.gz is then the buckets' rows
    /// (the groups stage run with --export-items) and the surveys'.
    public static func merge(
        _ req: RunRequest, mapFolder: String, partials: String? = nil, config baseConfig: Config,
        progress: (String) -> Void = { _ in }
    ) throws -> RunOutcome {
        let (config, zone) = try resolve(req, baseConfig)
        let out = req.out ?? config.out
        let clock = Stopwatch()
        // The same lock and clean-up as `run`, taken before any map output is read.
        let (lock, layout) = try claimOutput(out)
        defer { lock.release() }

        let parts = try MapOutputs.list(mapFolder)
        progress("merging the map outputs of \(parts.count) input file\(parts.count == 1 ? "" : "s")…")
        let options = LoadOptions(config: config, zone: zone)
        var (inputs, rejectParts) = try MapOutputs.load(
            parts, options: options, rows: { partials != nil && $0.file.table != .surveys ? nil : $0.rowFiles })
        if let partials {
            let asOf = req.asOf ?? inputs.latestTimestamp ?? 0
            let files = parts.map(\.file.path)
            // Checked, counted and the surveys' tickets read now; each period kind's figures
            // are read when that kind is measured (one kind's aggregates held at a time).
            let combined = try PartialStage.combine(
                partials, asOf: asOf, config: baseConfig, files: files, contexts: [:], surveys: true,
                pool: inputs.pool, events: inputs.logisticsPool)
            inputs.surveyTickets = combined.surveyTickets
            if config.exportItems || req.exportItems {
                inputs.partialItems = (0..<combined.header.buckets).map {
                    (combined.folders[$0] ?? "") + "/" + PartialItems.fileName
                }
            }
            let (pool, events) = (inputs.pool, inputs.logisticsPool)
            let folders = (0..<combined.header.buckets).map { combined.folders[$0] ?? "" }
            inputs.partials = { context in
                let s = try PartialStage.combine(
                    partials, asOf: asOf, config: baseConfig, files: files, contexts: [context.period: context],
                    surveys: false, pool: pool, events: events)
                let lists = try PartialListFiles(
                    paths: folders.map { $0 + "/" + PartialListFiles.name(context.period) }, config: config)
                return (s.shipments[context.period], s.figures[context.period], lists)
            }
            for (t, c) in combined.header.counts {
                let k = Table.allCases.firstIndex(of: t)!
                inputs.tables[k].duplicatesMerged = c.read - c.unique
                inputs.tables[k].unique = c.unique
            }
        }
        let tRead = clock.lap()
        return try report(
            inputs, rejectParts: rejectParts, validRange: options.validRange, warnings: [],
            Context(req: req, config: config, zone: zone, out: out, layout: layout, clock: clock, tRead: tRead),
            progress: progress)
    }
}

/// Reads the map stage's outputs back into what `InputLoader` makes of the input files.
enum MapOutputs {
    /// One input file's map outputs.
    struct Part {
        /// The folder holding rows.csv, rejects.csv, stats.json and columns.txt.
        var folder: String
        /// The file as `run` would list it (path = the name it was mapped under; rank set).
        var file: InputFile
        var stats: FileStats
        /// The file's latest timestamp that moves as_of (latest.txt), `.min` when none.
        var latest: Int64
        /// Its rows files: rows.csv, or the N `rows-K-of-N.csv` of a bucketed file in K order
        /// (`buckets` = N; see `rowsFiles`).
        var rowFiles: [String]
        var buckets: Int
        /// Rows of several files (the tickets stage's output): each row's rank by its `_file`.
        var rankOf: [String: Int]? = nil
    }

    /// The parts under `dir/map/` (folders whose names start with `.` or `_` left out, as the
    /// driver leaves such input names out), in `run`'s read order: table, then rank
    /// (`InputDiscovery.ordered`). Throws `IngestError` for a missing folder or a part without
    /// a readable stats.json or columns.txt.
    static func list(_ dir: String) throws -> [Part] {
        let root = dir + "/map"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw IngestError.inputMissing(path: root)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root)
        } catch {
            throw IngestError.unreadable(path: root, message: "\(error)")
        }
        var parts: [Part] = []
        for name in names.sorted() where !name.hasPrefix(".") && !name.hasPrefix("_") {
            let folder = root + "/" + name
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                continue
            }
            var stats = try readStats(folder + "/stats.json")
            let columnsPath = folder + "/columns.txt"
            guard let columns = FileManager.default.contents(atPath: columnsPath) else {
                throw IngestError.unreadable(path: columnsPath, message: "missing (map this file again)")
            }
            stats.columns = Set(String(decoding: columns, as: UTF8.self).split(separator: "\n").map(String.init))
            let latestPath = folder + "/latest.txt"
            guard let latestText = FileManager.default.contents(atPath: latestPath) else {
                throw IngestError.unreadable(path: latestPath, message: "missing (map this file again)")
            }
            let l = String(decoding: latestText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let latest = l.isEmpty ? Int64.min : Int64(l) else {
                throw IngestError.unreadable(path: latestPath, message: "not a timestamp: \(l)")
            }
            let (rowFiles, buckets) = try rowsFiles(folder)
            let file = InputFile(path: stats.path, table: stats.table, tsv: InputDiscovery.isTSV(stats.path))
            parts.append(
                Part(folder: folder, file: file, stats: stats, latest: latest, rowFiles: rowFiles, buckets: buckets))
        }
        guard !parts.isEmpty else { throw IngestError.noInputFound(folders: [root], patterns: [], ignored: []) }
        let ordered = InputDiscovery.ordered(parts.map(\.file))
        var byPath: [String: Part] = [:]
        for p in parts {
            if byPath[p.file.path] != nil {
                throw IngestError.unreadable(path: p.folder, message: "a second map output for \(p.file.path)")
            }
            byPath[p.file.path] = p
        }
        return ordered.map { f in
            var p = byPath[f.path]!
            p.file = f
            return p
        }
    }

    /// A part's rows files and bucket count: rows.csv (1), else every `rows-K-of-N.csv` of the N
    /// its bucket files name. Where the stages' outputs travel through Spark instead of a shared
    /// folder, a task's folder holds only its bucket's file, and the merge's none of a table it
    /// reads from partials: the files missing are missing when read (no files: 0 buckets).
    static func rowsFiles(_ folder: String) throws -> ([String], Int) {
        if FileManager.default.fileExists(atPath: folder + "/rows.csv") { return ([folder + "/rows.csv"], 1) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let counts = Set(
            names.compactMap { name -> Int? in
                guard name.hasPrefix("rows-") && name.hasSuffix(".csv") else { return nil }
                guard let n = Int(name.dropLast(4).split(separator: "-").last ?? ""), n > 0,
                    (0..<n).contains(where: { Buckets.fileName($0, of: n) == name })
                else { return -1 }
                return n
            })
        if counts.isEmpty { return ([], 0) }
        guard counts.count == 1, let n = counts.first, n > 0 else {
            throw IngestError.unreadable(
                path: folder, message: "rows files of different bucket counts, or misnamed (map this file again)")
        }
        return ((0..<n).map { folder + "/" + Buckets.fileName($0, of: n) }, n)
    }

    /// A stats.json (run.json's "inputs" entry) back into `FileStats` (columns aside).
    static func readStats(_ path: String) throws -> FileStats {
        func bad(_ m: String) -> IngestError { .unreadable(path: path, message: m) }
        guard let data = FileManager.default.contents(atPath: path) else { throw bad("missing") }
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let p = o["path"] as? String, let tn = o["table"] as? String, let table = Table(rawValue: tn)
        else { throw bad("not a map stage's stats.json") }
        func int(_ k: String) throws -> Int {
            guard let n = o[k] as? NSNumber else { throw bad("no \(k)") }
            return n.intValue
        }
        var s = FileStats(path: p, table: table)
        s.bytes = try int("bytes")
        s.sha256 = o["sha256"] as? String ?? ""
        s.gzip = (o["gzip"] as? NSNumber)?.boolValue ?? false
        s.encoding = o["encoding"] as? String ?? "utf-8"
        s.rowsRead = try int("rows_read")
        s.accepted = try int("accepted")
        s.invalidAmounts = try int("invalid_amounts")
        s.invalidNumbers = try int("invalid_numbers")
        for (k, v) in o["rejected_by_kind"] as? [String: Any] ?? [:] {
            guard let kind = RejectKind(rawValue: k), let n = v as? NSNumber else {
                throw bad("rejected_by_kind: \(k)")
            }
            s.rejectedByKind[kind] = n.intValue
        }
        guard s.rejected == (try int("rejected")) else { throw bad("rejected is not the sum of rejected_by_kind") }
        return s
    }

    /// The parts' rows merged and deduplicated by `MergeState` (the loader's own merge), with
    /// their stats, and the parts' rejects.csv in `CSVReports.partOrder` (rejects.csv's body).
    /// `rows` picks the rows files read of each part: all of them by default; some (a bucket's),
    /// or none (nil: the part counts with its stats and latest timestamp only).
    static func load(
        _ parts: [Part], options: LoadOptions, chunkRows: Int = FileLoader.chunkRows,
        rows: (Part) -> [String]? = { $0.rowFiles }
    ) throws -> (LoadedInputs, [String]) {
        let clock = Stopwatch()
        let state = MergeState(files: parts.map(\.file), extraStrings: options.extraStringSlots)
        var mergeSeconds = 0.0
        for (i, part) in parts.enumerated() {
            guard let files = rows(part) else {
                var result = FileResult(file: part.file)
                result.stats = part.stats
                result.maxTimestamp = part.latest
                state.add(i, &result, last: true)
                continue
            }
            let reader = RowsReader(
                part: part, options: options, chunkRows: chunkRows, files: files == part.rowFiles ? nil : files)
            var result = try reader.read { chunk in
                let t = Stopwatch()
                state.add(i, &chunk, last: false)
                mergeSeconds += t.lap()
            }
            let t = Stopwatch()
            state.add(i, &result, last: true)
            mergeSeconds += t.lap()
        }
        let t = Stopwatch()
        var loaded = state.finish()
        loaded.mergeSeconds = mergeSeconds + t.lap()
        loaded.parseSeconds = clock.total - loaded.mergeSeconds
        let rejectParts = parts.filter { $0.rankOf == nil }.map {
            RejectPart(table: $0.file.table, file: $0.file.path, spill: $0.folder + "/rejects.csv")
        }
        for p in rejectParts where access(p.spill, R_OK) != 0 {
            throw IngestError.unreadable(path: p.spill, message: String(cString: strerror(errno)))
        }
        return (loaded, rejectParts.sorted(by: CSVReports.partOrder).map(\.spill))
    }
}

/// Reads a part's rows files back into the rows `run`'s loader builds from the input file: the
/// same values (columns `run` leaves unread — see `LoadOptions.unread`, `keepCustomer`,
/// `keepCarrier` — dropped as it drops them) and `seq` from the file's rank and `_record`.
struct RowsReader {
    let part: Part
    let options: LoadOptions
    let chunkRows: Int
    /// The rows files to read: all of the part's (then their rows must add up to its accepted
    /// count), or one bucket's.
    var files: [String]? = nil
    typealias Part = MapOutputs.Part

    /// The rows, handing every `chunkRows` of them to `emit` (a `FileResult` with its own pool)
    /// and returning the rest with the file's stats and latest timestamp (latest.txt).
    func read(emit: @escaping (inout FileResult) -> Void) throws -> FileResult {
        var result = FileResult(file: part.file)
        result.stats = part.stats
        result.expectedRows = files == nil && part.rankOf == nil ? part.stats.accepted : 0
        result.maxTimestamp = part.latest
        let chunking = Chunking(rows: chunkRows, emit: emit)
        var rows = 0
        for path in files ?? part.rowFiles { rows += try read(path, into: &result, chunking: chunking) }
        // A map part read whole must hold what its stats.json accepted (the tickets stage's
        // output, rankOf set, has no such count).
        guard files != nil || part.rankOf != nil || rows == part.stats.accepted else {
            throw IngestError.unreadable(
                path: part.folder,
                message: "\(rows) rows, stats.json says \(part.stats.accepted) accepted (map it again)")
        }
        return result
    }

    /// One rows file's rows into `result` (chunks handed off); returns how many.
    private func read(_ path: String, into result: inout FileResult, chunking: Chunking) throws -> Int {
        let table = part.file.table
        var csv = CSVReadOptions(table: table)
        csv.encoding = .utf8
        let reader = CSVFileReader(path: path, options: csv)
        var failure: IngestError? = nil
        let extras = table == .logistics ? [] : (options.bindings[table] ?? TableBinding()).extras
        let expected = RowsWriter.header(table, extras: extras)
        let firstExtra = expected.count - extras.count
        result.extraWidth = extras.count
        let rank = part.file.rank
        let unread = options.unread[table] ?? []
        let keep = (
            customer: options.keepCustomer, carrier: options.keepCarrier, status: !unread.contains("status"),
            promisedShip: !unread.contains("promised_ship_at"),
            promisedDelivery: !unread.contains("promised_delivery_at"), due: !unread.contains("due_at")
        )
        var rows = 0
        _ = try reader.read(
            header: { h in
                guard h.strings() == expected else {
                    throw IngestError.badHeader(
                        path: path, line: 1, message: "not the rows.csv of a \(table.rawValue) file")
                }
            },
            record: { r in
                guard failure == nil else { return }
                let pool = result.pool
                func s(_ i: Int) -> StrID { r[i].count == 0 ? .none : pool.intern(r[i]) }
                func t(_ i: Int) -> Timestamp {
                    if r[i].count == 0 { return .missing }
                    guard let v = Int64(r.string(i)) else {
                        failure = .unreadable(path: path, message: "record \(r.record): bad number '\(r.string(i))'")
                        return .missing
                    }
                    return v
                }
                func score(_ i: Int) -> UInt8 { r[i].count == 0 ? 0 : UInt8(r.string(i)) ?? 0 }
                func flag(_ i: Int) -> Bool { r[i].count > 0 }
                guard let record = Int(r.string(1)) else {
                    failure = .unreadable(path: path, message: "record \(r.record): bad _record")
                    return
                }
                var fileRank = rank
                if let rankOf = part.rankOf {
                    guard let k = rankOf[r.string(0)] else {
                        failure = .unreadable(path: path, message: "record \(r.record): unknown _file \(r.string(0))")
                        return
                    }
                    fileRank = k
                }
                let seq = Dedup.readSeq(rank: fileRank, record: record)
                // The row's extra values into the chunk's flat store, as the loader keeps them.
                var extra = ExtraIndex(-1)
                if !extras.isEmpty {
                    extra = ExtraIndex(result.extras.count / extras.count)
                    for (k, x) in extras.enumerated() {
                        let i = firstExtra + k
                        result.extras.append(x.type == .string ? Int64(s(i)) : t(i))
                    }
                }
                switch table {
                case .orders:
                    var o = OrderRow(orderID: s(2), orderedAt: t(3))
                    o.paidAt = t(4)
                    o.shippedAt = t(5)
                    o.signedAt = t(6)
                    if keep.customer { o.customer = s(7) }
                    o.merchant = s(8)
                    o.product = s(9)
                    o.category = s(10)
                    if r[11].count > 0 { o.amountCents = Int64(r.string(11)) }
                    if keep.status { o.status = s(12) }
                    if keep.promisedShip { o.promisedShipAt = t(13) }
                    if keep.promisedDelivery { o.promisedDeliveryAt = t(14) }
                    o.updatedAt = t(15)
                    o.seq = seq
                    o.extra = extra
                    result.orders.append(o)
                case .logistics:
                    guard let event = EnumParser.logisticsEvent(r[5]) else {
                        failure = .unreadable(path: path, message: "record \(r.record): bad event")
                        return
                    }
                    var e = LogisticsRow(trackingNo: s(2), event: event, eventAt: t(6))
                    if keep.carrier { e.carrier = s(4) }
                    e.exception = r[7].count == 0 ? nil : EnumParser.exceptionType(r[7])
                    e.seq = seq
                    result.logistics.append(e)
                case .tickets:
                    guard let type = EnumParser.ticketType(r[9]), let priority = EnumParser.priority(r[11]) else {
                        failure = .unreadable(path: path, message: "record \(r.record): bad type or priority")
                        return
                    }
                    var k = TicketRow(ticketID: s(2), type: type, createdAt: t(6))
                    k.orderID = s(3)
                    k.product = s(4)
                    k.merchant = s(5)
                    k.channel = s(7)
                    k.agent = s(8)
                    k.category = s(10)
                    k.priority = priority
                    let times: [TicketTime] = [
                        .firstResponseAt, .faultConfirmedAt, .repairPlanAt, .planRejectedAt, .escalatedAt, .resolvedAt,
                    ]
                    for (j, time) in times.enumerated() { k.times[time] = t(12 + j) }
                    k.satisfaction = score(18)
                    k.satisfactionInvalid = flag(19)
                    k.times[.surveyedAt] = t(20)
                    k.responsibility = r[21].count == 0 ? nil : EnumParser.responsibility(r[21])
                    if keep.status { k.status = s(22) }
                    if keep.due { k.dueAt = t(23) }
                    k.times[.updatedAt] = t(24)
                    k.seq = seq
                    k.extra = extra
                    result.tickets.append(k)
                case .surveys:
                    var v = SurveyRow()
                    v.surveyID = s(2)
                    v.ticketID = s(3)
                    v.orderID = s(4)
                    v.agent = s(5)
                    v.score = score(6)
                    v.scoreInvalid = flag(7)
                    v.sentAt = t(8)
                    v.answeredAt = t(9)
                    v.comment = s(10)
                    v.updatedAt = t(11)
                    v.seq = seq
                    v.extra = extra
                    result.surveys.append(v)
                }
                rows += 1
                if result.rowCount >= chunkRows { chunking.handOff(&result) }
            },
            reject: { rej in
                if failure == nil {
                    failure = .unreadable(path: path, message: "line \(rej.location.line): \(rej.reason)")
                }
            })
        if let failure { throw failure }
        return rows
    }
}
