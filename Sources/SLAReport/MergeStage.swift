import Foundation
import SLAConfig
import SLAFast
import SLAIngest
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
    /// A stepping stone: like `run`, it holds every deduplicated row in memory (Spark only does
    /// the parsing). Extra columns (`[tables.*] extras`) are not in rows.csv yet: a config with
    /// any is refused (`ConfigError`, exit 78).
    public static func merge(
        _ req: RunRequest, mapFolder: String, config baseConfig: Config, progress: (String) -> Void = { _ in }
    ) throws -> RunOutcome {
        let (config, zone) = try resolve(req, baseConfig)
        for t in Table.allCases where !config.binding(for: t).extras.isEmpty {
            throw ConfigError(
                file: config.source, line: config.keyLines["tables.\(t.rawValue).extras"],
                key: "tables.\(t.rawValue).extras",
                message: "slareport merge does not read extra columns yet (the map stage does not write them)")
        }
        let out = req.out ?? config.out
        let clock = Stopwatch()
        // The same lock and clean-up as `run`, taken before any map output is read.
        let (lock, layout) = try claimOutput(out)
        defer { lock.release() }

        let parts = try MapOutputs.list(mapFolder)
        progress("merging the map outputs of \(parts.count) input file\(parts.count == 1 ? "" : "s")…")
        let options = LoadOptions(config: config, zone: zone)
        let (inputs, rejectParts) = try MapOutputs.load(parts, options: options)
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
            let file = InputFile(path: stats.path, table: stats.table, tsv: InputDiscovery.isTSV(stats.path))
            parts.append(Part(folder: folder, file: file, stats: stats))
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
    static func load(_ parts: [Part], options: LoadOptions, chunkRows: Int = FileLoader.chunkRows) throws
        -> (LoadedInputs, [String])
    {
        let clock = Stopwatch()
        let state = MergeState(files: parts.map(\.file), extraStrings: options.extraStringSlots)
        var mergeSeconds = 0.0
        for (i, part) in parts.enumerated() {
            var result = try RowsReader(part: part, options: options, chunkRows: chunkRows).read { chunk in
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
        let rejectParts = parts.map {
            RejectPart(table: $0.file.table, file: $0.file.path, spill: $0.folder + "/rejects.csv")
        }
        for p in rejectParts where access(p.spill, R_OK) != 0 {
            throw IngestError.unreadable(path: p.spill, message: String(cString: strerror(errno)))
        }
        return (loaded, rejectParts.sorted(by: CSVReports.partOrder).map(\.spill))
    }
}

/// Reads one rows.csv back into the rows `run`'s loader builds from the input file: the same
/// values (columns `run` leaves unread — see `LoadOptions.unread`, `keepCustomer`,
/// `keepCarrier` — dropped as it drops them), `seq` from the file's rank and `_record`, and the
/// greatest timestamp of the columns that move as_of.
struct RowsReader {
    let part: Part
    let options: LoadOptions
    let chunkRows: Int
    typealias Part = MapOutputs.Part

    /// The file's rows, handing every `chunkRows` of them to `emit` (a `FileResult` with its own
    /// pool) and returning the rest with the file's stats and latest timestamp.
    func read(emit: @escaping (inout FileResult) -> Void) throws -> FileResult {
        let table = part.file.table
        let path = part.folder + "/rows.csv"
        var csv = CSVReadOptions(table: table)
        csv.encoding = .utf8
        let reader = CSVFileReader(path: path, options: csv)
        var result = FileResult(file: part.file)
        result.stats = part.stats
        result.expectedRows = part.stats.accepted
        var failure: IngestError? = nil
        let expected = ["_file", "_record"] + MapStage.columns(of: table)
        let rank = part.file.rank
        let unread = options.unread[table] ?? []
        let keep = (
            customer: options.keepCustomer, carrier: options.keepCarrier, status: !unread.contains("status"),
            promisedShip: !unread.contains("promised_ship_at"),
            promisedDelivery: !unread.contains("promised_delivery_at"), due: !unread.contains("due_at")
        )
        var latest = Int64.min
        var rows = 0
        let chunking = Chunking(rows: chunkRows, emit: emit)
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
                let seq = Dedup.readSeq(rank: rank, record: record)
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
                    latest = max(latest, o.orderedAt, o.paidAt, o.shippedAt, o.signedAt, o.updatedAt)
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
                    latest = max(latest, e.eventAt)
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
                    for time in TicketTime.allCases { latest = max(latest, k[time]) }
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
                    latest = max(latest, v.sentAt, v.answeredAt, v.updatedAt)
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
        guard rows == part.stats.accepted else {
            throw IngestError.unreadable(
                path: path, message: "\(rows) rows, stats.json says \(part.stats.accepted) accepted (map it again)")
        }
        result.maxTimestamp = latest
        return result
    }
}
