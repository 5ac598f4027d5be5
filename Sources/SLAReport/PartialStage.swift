import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// What `slareport partial` was asked to do: one bucket of a bucketed map output
/// (`MapRequest.buckets`) through one of the two partial stages.
public struct PartialRequest: Sendable {
    public enum Stage: String, Sendable, CaseIterable {
        /// Deduplicate bucket K's tickets (by ticket id) and pass them on by order id.
        case tickets
        /// Measure bucket K's order groups and shipments into partial figures.
        case groups
    }

    public var stage: Stage
    /// The map stage's output folder (holding map/<file>/).
    public var mapFolder: String
    public var bucket: Int
    public var buckets: Int
    /// The folder receiving the stage's files (created when missing).
    public var out: String
    /// For `groups`: the tickets stage's output folder (holding <bucket>/).
    public var ticketsFolder: String?
    /// --as-of, when given (the merge must be given the same).
    public var asOf: Int64?
    /// For `groups`: also write the bucket's rows of items.csv.gz (as the config's
    /// `export_items` asks too).
    public var exportItems = false

    public init(stage: Stage, mapFolder: String, bucket: Int, buckets: Int, out: String) {
        self.stage = stage
        self.mapFolder = mapFolder
        self.bucket = bucket
        self.buckets = buckets
        self.out = out
    }
}

/// The partial stages of a distributed run, between the map stage (every file's rows, bucketed
/// by `Buckets.of` their key) and the merge. Both read one bucket K of N and use `run`'s own
/// deduplication (`MergeState`) and metrics code on it.
///
/// 1. `tickets`: bucket K holds every copy of each of its tickets (by ticket id) and the surveys
///    naming them. Deduplicated, the tickets go on by the order id of the winning copy (a ticket
///    whose order changed between dumps follows its latest order): `rows-J-of-N.csv` (rows.csv's
///    columns, each row's `_file` and `_record` kept, for the read order), with the ids of those
///    that some survey names in `surveyed-J-of-N.txt`. state.txt holds its counts.
/// 2. `groups`: bucket K then holds every copy of each of its orders, every event of each of its
///    shipments (by tracking number) and, from the tickets stage, every ticket whose order is
///    one of them: whole order groups, so the ticket ← order join, the repeat contacts (tickets
///    of one order) and the rest are done here exactly as `run` does them. They are measured into
///    a `LogisticsPartial` and a `MetricsPartial` per reported period kind, with the global as_of
///    (the latest timestamp of all mapped files, or --as-of) and the policies the merge will
///    skip, and what the surveys need of their tickets (`SurveyTicket`) is listed.
///
/// The merge then reads the surveys (few) as rows and adds the buckets' figures instead of
/// reading orders, events and tickets: it holds their aggregates and the listed items only.
///
/// The groups stage's state.txt (written under a temporary name, renamed when complete):
///
///     slareport-partial 3
///     bucket K N
///     as_of T
///     config SHA256          the config's hash (run.json's config_hash)
///     orders READ UNIQUE     rows read from the bucket, and left after deduplication
///     events READ UNIQUE
///     tickets READ UNIQUE    (the tickets stage's bucket K)
///     file NAME              every mapped file, in read order (a `PartialText` name)
///     section logistics|metrics KIND   then that partial's text, per period kind
///     section surveys        then `si TICKET AGENT CATEGORY RESOLVED CHANNEL TYPE PRIORITY MERCHANT`
public enum PartialStage {
    static let magic = "slareport-partial 3"
    static let ticketsMagic = "slareport-tickets 3"

    /// The head of a state.txt: what the figures were made from, and the rows counted.
    struct Header {
        var bucket: Int
        var buckets: Int
        var asOf: Int64
        var configHash: String
        /// Rows read and kept after deduplication, by table.
        var counts: [Table: Count]
        var files: [String]
    }

    struct Count {
        var read = 0
        var unique = 0

        init(read: Int = 0, unique: Int = 0) {
            self.read = read
            self.unique = unique
        }

        /// A table's rows read from the bucket and kept after deduplication.
        init(_ t: TableStats) { self.init(read: t.unique + t.duplicatesMerged, unique: t.unique) }
    }

    /// Runs the request's stage for its bucket.
    public static func run(_ req: PartialRequest, config: Config) throws {
        guard req.buckets > 0, req.bucket >= 0, req.bucket < req.buckets else {
            throw IngestError.unreadable(path: req.mapFolder, message: "bucket \(req.bucket) of \(req.buckets)")
        }
        switch req.stage {
        case .tickets: try tickets(req, config: config)
        case .groups: try groups(req, config: config)
        }
    }

    /// The map outputs, every one of them mapped into `buckets` (or without rows files here: a
    /// task's folder holds only the tables its stage reads).
    private static func bucketedParts(_ req: PartialRequest) throws -> [MapOutputs.Part] {
        let parts = try MapOutputs.list(req.mapFolder)
        for p in parts where p.buckets != 0 && p.buckets != req.buckets {
            throw IngestError.unreadable(
                path: p.folder,
                message:
                    "mapped into \(p.buckets) bucket\(p.buckets == 1 ? "" : "s"), not \(req.buckets) (map --buckets \(req.buckets))"
            )
        }
        return parts
    }

    private static func tickets(_ req: PartialRequest, config: Config) throws {
        let zone = try config.zoneRules()
        let parts = try bucketedParts(req)
        let name = Buckets.fileName(req.bucket, of: req.buckets)
        let options = LoadOptions(config: config, zone: zone)
        let (inputs, _) = try MapOutputs.load(
            parts, options: options,
            rows: { [.tickets, .surveys].contains($0.file.table) ? [$0.folder + "/" + name] : nil })
        let pool = inputs.pool
        for t in inputs.tickets where Buckets.of(t.ticketID, in: pool, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: req.mapFolder, message: "\(name) holds ticket \(pool.string(t.ticketID)) of another bucket")
        }
        let surveyed = Set(inputs.surveys.map(\.ticketID))
        var writer = RowsWriter(table: .tickets, name: "", buckets: req.buckets)
        writer.names = parts.filter { $0.file.table == .tickets }.sorted { $0.file.rank < $1.file.rank }.map(
            \.file.path)
        writer.ticketsByOrder = true
        writer.extras = config.binding(for: .tickets).extras
        writer.header()
        var rows = FileResult(file: InputFile(path: "", table: .tickets, tsv: false))
        rows.pool = pool
        rows.tickets = inputs.tickets
        let store = inputs.extras[.tickets] ?? ExtraStore()
        rows.extras = store.values
        rows.extraWidth = store.width
        writer.write(rows)
        var lists = [PartialText.Writer](repeating: PartialText.Writer(), count: req.buckets)
        for t in inputs.tickets where surveyed.contains(t.ticketID) {
            let k = Buckets.of(t.orderID, in: pool, count: req.buckets)
            lists[k].tag("t")
            lists[k].name(t.ticketID, pool)
            lists[k].endLine()
        }
        var w = PartialText.Writer()
        w.line(ticketsMagic)
        encode(
            Header(
                bucket: req.bucket, buckets: req.buckets, asOf: 0, configHash: configHash(config),
                counts: [.tickets: Count(inputs.tables[Table.allCases.firstIndex(of: .tickets)!])],
                files: parts.map(\.file.path)), into: &w)
        try AtomicWriter.makeFolder(req.out)
        let out = AtomicWriter(root: req.out)
        for k in 0..<req.buckets {
            try out.replaceFile(Buckets.fileName(k, of: req.buckets), writer.drain(bucket: k))
            try out.replaceFile(surveyedName(k, of: req.buckets), lists[k].out.bytes)
        }
        // Last: a bucket whose state.txt is there is complete.
        try out.replaceFile("state.txt", w.out.bytes)
    }

    static func surveyedName(_ k: Int, of n: Int) -> String { "surveyed-\(k)-of-\(n).txt" }

    private static func groups(_ req: PartialRequest, config: Config) throws {
        let zone = try config.zoneRules()
        guard let ticketsRoot = req.ticketsFolder else {
            throw IngestError.unreadable(path: req.out, message: "the groups stage needs the tickets stage's folder")
        }
        let parts = try bucketedParts(req)
        let name = Buckets.fileName(req.bucket, of: req.buckets)
        let hash = configHash(config)
        // The tickets stage's buckets: all there, made from these files with this config.
        var ticketCount = Count()
        var staged: [MapOutputs.Part] = []
        let ranks = Dictionary(
            parts.filter { $0.file.table == .tickets }.map { ($0.file.path, $0.file.rank) },
            uniquingKeysWith: { a, _ in a })
        for j in 0..<req.buckets {
            let folder = ticketsRoot + "/\(j)"
            let h = try readHeader(folder + "/state.txt", magic: ticketsMagic)
            guard h.bucket == j, h.buckets == req.buckets, h.configHash == hash, h.files == parts.map(\.file.path)
            else {
                throw IngestError.unreadable(
                    path: folder + "/state.txt",
                    message: "not the tickets stage's bucket \(j) of \(req.buckets) for these map outputs and config")
            }
            if j == req.bucket { ticketCount = h.counts[.tickets] ?? Count() }
            var stats = FileStats(path: folder, table: .tickets)
            stats.accepted = 0
            staged.append(
                MapOutputs.Part(
                    folder: folder, file: InputFile(path: folder, table: .tickets, tsv: false), stats: stats,
                    latest: .min, rowFiles: [folder + "/" + name], buckets: req.buckets, rankOf: ranks))
        }
        let options = LoadOptions(config: config, zone: zone)
        // This bucket's orders and events, deduplicated, and its order groups' tickets (already
        // deduplicated: they pass through); every mapped file's stats (as_of, columns).
        var (inputs, _) = try MapOutputs.load(
            parts + staged, options: options,
            rows: { p in
                if p.rankOf != nil { return p.rowFiles }
                return [.orders, .logistics].contains(p.file.table) ? [p.folder + "/" + name] : nil
            })
        inputs.tables[Table.allCases.firstIndex(of: .tickets)!].files -= staged.count
        let asOf = req.asOf ?? inputs.latestTimestamp ?? 0
        let pool = inputs.pool
        let events = inputs.logisticsPool
        // Every row must be this bucket's: a file from another bucket would count twice.
        for o in inputs.orders where Buckets.of(o.orderID, in: pool, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: req.mapFolder, message: "\(name) holds order \(pool.string(o.orderID)) of another bucket")
        }
        for e in inputs.logistics where Buckets.of(e.trackingNo, in: events, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: req.mapFolder,
                message: "\(name) holds tracking number \(events.string(e.trackingNo)) of another bucket")
        }
        for t in inputs.tickets where Buckets.of(t.orderID, in: pool, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: ticketsRoot, message: "\(name) holds ticket \(pool.string(t.ticketID)) of another order bucket")
        }
        // The join every run does first (`ReportJob.report`), on whole order groups.
        TicketOrderJoin.fill(&inputs.tickets, orders: inputs.orders, poolCount: pool.count)
        var surveyed = Set<StrID>()
        for j in 0..<req.buckets {
            let path = ticketsRoot + "/\(j)/" + surveyedName(req.bucket, of: req.buckets)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw IngestError.unreadable(path: path, message: "missing (run the tickets stage again)")
            }
            var r = PartialText.Reader([UInt8](data))
            do throws(PartialFormatError) {
                while r.nextLine() {
                    guard r.tag("t") else { throw r.error("expected 't TICKET'") }
                    surveyed.insert(try r.name(pool))
                }
            } catch {
                throw IngestError.badHeader(path: path, line: error.line, message: error.message)
            }
        }
        let table = { (t: Table) in inputs.tables[Table.allCases.firstIndex(of: t)!] }
        let header = Header(
            bucket: req.bucket, buckets: req.buckets, asOf: asOf, configHash: hash,
            counts: [
                .orders: Count(table(.orders)), .logistics: Count(table(.logistics)),
                .tickets: ticketCount,
            ], files: parts.map(\.file.path))
        var w = PartialText.Writer()
        w.line(magic)
        encode(header, into: &w)
        for kind in config.periods {
            let engine = ReportJob.metricsEngine(
                config: config, zone: zone, asOf: asOf, inputs: inputs, period: kind, workers: 1)
            w.line("section logistics \(kind.rawValue)")
            LogisticsPartial(events: inputs.logistics, context: engine.context).encode(pool: events, into: &w)
            w.line("section metrics \(kind.rawValue)")
            let figures = MetricsPartial(orders: inputs.orders, tickets: inputs.tickets, engine: engine)
            figures.encode(pool: pool, into: &w, items: false)
            try AtomicWriter.makeFolder(req.out)
            try PartialListFiles.write(
                figures, context: engine.context, to: req.out + "/" + PartialListFiles.name(kind))
        }
        w.line("section surveys")
        for t in inputs.tickets where surveyed.contains(t.ticketID) {
            let s = SurveyTicket(t)
            w.tag("si")
            for id in [t.ticketID, s.agent, s.info.category] { w.name(id, pool) }
            w.ints([s.info.resolvedAt])
            w.name(s.info.channel, pool)
            w.ints([Int64(s.info.type), Int64(s.info.priority)])
            w.name(s.info.merchant, pool)
            w.endLine()
        }
        try AtomicWriter.makeFolder(req.out)
        if req.exportItems || config.exportItems {
            let week = ReportJob.metricsEngine(
                config: config, zone: zone, asOf: asOf, inputs: inputs, period: .week, workers: 1)
            let clocks = ItemClocks(context: week.context, orders: inputs.orders, tickets: inputs.tickets, surveys: [])
            try PartialItems.write(clocks, csv: ItemsCSV(zone: zone, bom: config.csvBOM), to: req.out)
        }
        // Last: a bucket whose state.txt is there is complete.
        try AtomicWriter(root: req.out).replaceFile("state.txt", w.out.bytes)
    }

    /// run.json's config_hash of a config.
    static func configHash(_ config: Config) -> String {
        Digest.sha256Hex(Array(config.canonicalDescription.utf8))
    }

    /// The header lines after the magic line.
    static func encode(_ h: Header, into w: inout PartialText.Writer) {
        w.line("bucket \(h.bucket) \(h.buckets)")
        w.line("as_of \(h.asOf)")
        w.line("config \(h.configHash)")
        for t in Table.allCases {
            if let c = h.counts[t] { w.line("\(t.rawValue) \(c.read) \(c.unique)") }
        }
        for f in h.files {
            w.tag("file")
            w.name(f)
            w.endLine()
        }
    }

    /// Reads a header (after `magic`) up to the first `section` line.
    private static func decodeHeader(_ r: inout PartialText.Reader, magic: String) throws(PartialFormatError) -> Header
    {
        // The magic line (`open` compared it whole).
        guard r.nextLine() else { throw r.error("empty") }
        func line(_ key: StaticString) throws(PartialFormatError) {
            guard r.nextLine(), r.tag(key) else { throw r.error("expected '\(key) …'") }
        }
        try line("bucket")
        let (bucket, buckets): (Int, Int) = (try r.int(), try r.int())
        try line("as_of")
        let asOf: Int64 = try r.int()
        try line("config")
        let hash = try r.word()
        var h = Header(bucket: bucket, buckets: buckets, asOf: asOf, configHash: hash, counts: [:], files: [])
        while r.nextLine(before: "section") {
            if r.tag("file") {
                guard let f = try r.string() else { throw r.error("a file without a name") }
                h.files.append(f)
                continue
            }
            let key = try r.word()
            guard let t = Table(rawValue: key), h.files.isEmpty else { throw r.error("unexpected '\(key)'") }
            h.counts[t] = Count(read: try r.int(), unique: try r.int())
        }
        return h
    }

    private static func readHeader(_ path: String, magic: String) throws -> Header {
        let (h, _) = try open(path, magic: magic) { _ in }
        return h
    }

    /// Opens a state.txt: checks its magic line, reads its header, then hands the reader (at
    /// the first `section` line) to `body`. Format errors name the file and line.
    private static func open<T>(
        _ path: String, magic: String, _ body: (inout PartialText.Reader) throws(PartialFormatError) -> T
    ) throws -> (Header, T) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unreadable(path: path, message: "missing (run slareport partial for this bucket)")
        }
        let bytes = [UInt8](data)
        let first = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        guard String(decoding: bytes[..<first], as: UTF8.self) == magic else {
            throw IngestError.badHeader(path: path, line: 1, message: "not a state.txt of this stage (\(magic))")
        }
        var r = PartialText.Reader(bytes)
        do throws(PartialFormatError) {
            let h = try decodeHeader(&r, magic: magic)
            return (h, try body(&r))
        } catch {
            throw IngestError.badHeader(path: path, line: error.line, message: error.message)
        }
    }

    /// What one groups state.txt holds (or the buckets together), strings interned into the
    /// merge's pools: the figures of the period kinds asked for, the survey tickets when asked,
    /// and the period kinds it has figures of.
    struct State {
        var header: Header
        var shipments: [PeriodKind: LogisticsPartial] = [:]
        var figures: [PeriodKind: MetricsPartial] = [:]
        var surveyTickets: [StrID: SurveyTicket] = [:]
        var kinds: Set<PeriodKind> = []
        /// The buckets' folders, by bucket (`combine`).
        var folders: [Int: String] = [:]
    }

    /// One groups state.txt. `contexts`: the period kinds whose figures are read (the merge's
    /// contexts: their pool takes the strings, the carriers go to `events`); the others' are
    /// skipped. `surveys`: read the survey tickets.
    static func read(
        _ path: String, contexts: [PeriodKind: MetricsContext], surveys: Bool, pool: StringPool, events: StringPool
    ) throws -> State {
        let (h, s) = try open(path, magic: magic) { (r: inout PartialText.Reader) throws(PartialFormatError) -> State in
            var s = State(header: Header(bucket: 0, buckets: 0, asOf: 0, configHash: "", counts: [:], files: []))
            var logistics: Set<PeriodKind> = []
            while r.nextLine() {
                guard r.tag("section") else { throw r.error("expected 'section …'") }
                let section = try r.word()
                if section == "surveys" {
                    guard surveys else {
                        while r.nextLine(before: "section") {}
                        continue
                    }
                    while r.nextLine(before: "section") {
                        guard r.tag("si") else { throw r.error("expected 'si …'") }
                        let (ticket, agent, category) = (try r.name(pool), try r.name(pool), try r.name(pool))
                        var info = SurveyTicketInfo(category: category, resolvedAt: try r.int())
                        info.channel = try r.name(pool)
                        guard let type = UInt8(exactly: try r.int() as Int64),
                            let priority = UInt8(exactly: try r.int() as Int64)
                        else { throw r.error("bad type or priority") }
                        info.type = type
                        info.priority = priority
                        info.merchant = try r.name(pool)
                        guard r.atLineEnd else { throw r.error("too many fields") }
                        s.surveyTickets[ticket] = SurveyTicket(agent: agent, info: info)
                    }
                    continue
                }
                let word = try r.word()
                guard section == "logistics" || section == "metrics", let kind = PeriodKind(rawValue: word) else {
                    throw r.error("unknown section \(section) \(word)")
                }
                if section == "logistics" {
                    guard logistics.insert(kind).inserted else { throw r.error("logistics \(word) twice") }
                } else {
                    guard s.kinds.insert(kind).inserted else { throw r.error("metrics \(word) twice") }
                }
                guard let ctx = contexts[kind] else {
                    while r.nextLine(before: "section") {}
                    continue
                }
                if section == "logistics" {
                    let p = try LogisticsPartial.decode(&r, pool: events)
                    guard p.period == kind else { throw r.error("logistics \(word) holds \(p.period.rawValue)") }
                    s.shipments[kind] = p
                } else {
                    s.figures[kind] = try MetricsPartial.decode(&r, context: ctx)
                }
            }
            guard logistics == s.kinds else { throw r.error("logistics and metrics for different period kinds") }
            return s
        }
        var state = s
        state.header = h
        return state
    }

    /// The groups stage's outputs under `dir` (one folder per bucket, holding state.txt) added
    /// up, checked against what the merge is about to do: every bucket 0..<N once, made with the
    /// merge's as_of and config from the same mapped files (`files`, in read order), with
    /// figures for each period kind the config reports. Reads the figures of `contexts`' period
    /// kinds and, with `surveys`, the survey tickets (see `read`).
    static func combine(
        _ dir: String, asOf: Int64, config: Config, files: [String], contexts: [PeriodKind: MetricsContext],
        surveys: Bool, pool: StringPool, events: StringPool
    ) throws -> State {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
                !$0.hasPrefix(".") && !$0.hasPrefix("_")
            }.sorted()
        } catch {
            throw IngestError.inputMissing(path: dir)
        }
        let hash = configHash(config)
        var seen: [Int: String] = [:]
        var total: State? = nil
        for name in names {
            let path = dir + "/" + name + "/state.txt"
            let s = try read(path, contexts: contexts, surveys: surveys, pool: pool, events: events)
            let h = s.header
            func bad(_ m: String) -> IngestError { .unreadable(path: path, message: m) }
            if let n = total?.header.buckets, n != h.buckets {
                throw bad("bucket \(h.bucket) of \(h.buckets), the others are of \(n)")
            }
            guard h.bucket >= 0 && h.bucket < h.buckets else { throw bad("bucket \(h.bucket) of \(h.buckets)") }
            if let other = seen[h.bucket] { throw bad("bucket \(h.bucket) again (also in \(other))") }
            seen[h.bucket] = path
            let folder = dir + "/" + name
            guard h.asOf == asOf else {
                throw bad("made with as_of \(h.asOf), the merge's is \(asOf) (give both the same --as-of)")
            }
            guard h.configHash == hash else {
                throw bad("made with another config (config hash \(h.configHash), the merge's is \(hash))")
            }
            guard h.files == files else { throw bad("made from other map outputs than the merge reads (run it again)") }
            for kind in config.periods where !s.kinds.contains(kind) { throw bad("no \(kind.rawValue) figures") }
            // Added in place (a copy of the total would copy every buffer it holds).
            if total == nil {
                total = s
                total!.folders[h.bucket] = folder
                continue
            }
            total!.folders[h.bucket] = folder
            for (kind, p) in s.shipments { total!.shipments[kind]?.merge(p) }
            for (kind, p) in s.figures { total!.figures[kind]?.merge(p) }
            total!.surveyTickets.merge(s.surveyTickets) { a, _ in a }
            for (table, c) in h.counts {
                total!.header.counts[table, default: Count()].read += c.read
                total!.header.counts[table, default: Count()].unique += c.unique
            }
        }
        guard let total else { throw IngestError.unreadable(path: dir, message: "no partial (no <bucket>/state.txt)") }
        let n = total.header.buckets
        let missing = (0..<n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw IngestError.unreadable(
                path: dir,
                message:
                    "bucket\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(n) missing"
            )
        }
        return total
    }
}

/// A groups bucket's rows of items.csv.gz (`items.txt`), and the merge's reading of all buckets'
/// in the file's order. items.txt: `rows N`, then per input row (orders, then tickets, each in
/// read order) a line `TABLE SEQ LENGTH` (TABLE 0 orders, 1 tickets; SEQ its read sequence)
/// followed by its LENGTH bytes of CSV rows (none for a row without clocks), rendered by
/// `ItemsCSV` as `run` renders them.
struct PartialItems {
    static let fileName = "items.txt"

    static func write(_ clocks: ItemClocks, csv: ItemsCSV, to folder: String) throws {
        let tmp = folder + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-" + fileName
        guard let f = ExclusiveFile(path: tmp) else {
            throw OutputError.cannotCreate(path: tmp, message: String(cString: strerror(errno)))
        }
        var keep = false
        defer { if !keep { unlink(tmp) } }
        var out = OutputBuffer(capacity: 1 << 20)
        out.append("rows \(clocks.count)\n")
        for pos in 0..<clocks.count {
            let (table, seq) = clocks.key(pos)
            let bytes = csv.render(clocks, pos..<(pos + 1))
            out.append(table == .orders ? "0 " : "1 ")
            out.append(int: Int(seq))
            out.append(byte: UInt8(ascii: " "))
            out.append(int: bytes.count)
            out.append(byte: UInt8(ascii: "\n"))
            out.bytes += bytes
            if out.count >= 1 << 20 {
                f.write(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        f.write(out.bytes)
        if let m = f.failure { throw OutputError.io(path: tmp, message: m) }
        guard rename(tmp, folder + "/" + fileName) == 0 else {
            throw OutputError.io(path: folder + "/" + fileName, message: String(cString: strerror(errno)))
        }
        keep = true
    }

    /// One bucket's items.txt, read a row at a time.
    private final class Source {
        let file: FileRegion
        /// The current row: its key and bytes (nil at the end).
        var key: (table: Int, seq: Int64)? = nil
        var bytes: [UInt8] = []

        init(path: String) throws {
            file = try FileRegion(
                path: path, missing: "missing (run the groups stage with --export-items for items.csv.gz)")
        }

        func fields() throws -> [Substring]? {
            try file.line().map { String(decoding: $0, as: UTF8.self).split(separator: " ") }
        }

        /// The row count of the first line.
        func rows() throws -> Int {
            guard let f = try fields(), f.count == 2, f[0] == "rows", let n = Int(f[1]) else {
                throw IngestError.unreadable(path: file.path, message: "not a groups stage's items.txt")
            }
            return n
        }

        func advance() throws {
            guard let f = try fields() else {
                key = nil
                return
            }
            guard f.count == 3, let t = Int(f[0]), let seq = Int64(f[1]), let n = Int(f[2]), n >= 0 else {
                throw IngestError.unreadable(path: file.path, message: "a bad row header")
            }
            key = (t, seq)
            bytes = try file.bytes(n)
        }
    }

    private let sources: [Source]
    /// Rows in all buckets.
    let count: Int

    init(files: [String]) throws {
        sources = try files.map(Source.init(path:))
        var n = 0
        for s in sources {
            n += try s.rows()
            try s.advance()
        }
        count = n
    }

    /// The next row of the merged order (table, then read sequence): its CSV bytes; nil at the
    /// end of all buckets.
    func next() throws -> [UInt8]? {
        var best: Source? = nil
        for s in sources {
            guard let k = s.key else { continue }
            if let b = best, let bk = b.key, (bk.table, bk.seq) <= (k.table, k.seq) { continue }
            best = s
        }
        guard let b = best else { return nil }
        let bytes = b.bytes
        try b.advance()
        return bytes
    }
}

/// A groups bucket's item lists of one period kind (`ItemLists`, `lists-<kind>.txt`), and the
/// merge's reading of all buckets' lists a period at a time (`PeriodItemLists`): a period's rows
/// from every bucket, sorted by the file's order; the open clocks of all periods merged from the
/// buckets' sorted lists as they are read. A bucket's block is found by its header (kind,
/// period, row count, bytes), so a period costs its rows, not the file.
final class PartialListFiles: PeriodItemLists, @unchecked Sendable {
    static func name(_ kind: PeriodKind) -> String { "lists-\(kind.rawValue).txt" }

    static func write(_ figures: MetricsPartial, context: MetricsContext, to path: String) throws {
        let tmp =
            (path as NSString).deletingLastPathComponent + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-"
            + (path as NSString).lastPathComponent
        guard let f = ExclusiveFile(path: tmp) else {
            throw OutputError.cannotCreate(path: tmp, message: String(cString: strerror(errno)))
        }
        var keep = false
        defer { if !keep { unlink(tmp) } }
        ItemLists.write(figures, context: context) { kind, period, count, bytes in
            f.write(Array("block \(kind) \(period) \(count) \(bytes.count)\n".utf8))
            f.write(bytes)
        }
        if let m = f.failure { throw OutputError.io(path: tmp, message: m) }
        guard rename(tmp, path) == 0 else {
            throw OutputError.io(path: path, message: String(cString: strerror(errno)))
        }
        keep = true
    }

    /// Where a block's lines lie in its file.
    private struct Block {
        var offset: UInt64
        var length: Int
    }

    private let paths: [String]
    private let config: Config
    /// Per bucket: its blocks by kind and period.
    private let blocks: [[String: [Int: Block]]]
    private let error = Locked<(any Error)?>(nil)

    var failure: (any Error)? { error.withLock { $0 } }

    /// Indexes the buckets' lists files (each block header read, its lines skipped).
    init(paths: [String], config: Config) throws {
        self.paths = paths
        self.config = config
        var all: [[String: [Int: Block]]] = []
        for path in paths {
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw IngestError.unreadable(path: path, message: "missing (run the groups stage again)")
            }
            defer { try? h.close() }
            let size = (try? h.seekToEnd()) ?? 0
            var index: [String: [Int: Block]] = [:]
            var at: UInt64 = 0
            while at < size {
                try h.seek(toOffset: at)
                let head = h.readData(ofLength: 256)
                guard let nl = head.firstIndex(of: UInt8(ascii: "\n")) else {
                    throw IngestError.unreadable(path: path, message: "a block header is cut short at byte \(at)")
                }
                let f = String(decoding: head[head.startIndex..<nl], as: UTF8.self).split(separator: " ")
                guard f.count == 5, f[0] == "block", let period = Int(f[2]), Int(f[3]) != nil, let length = Int(f[4]),
                    length >= 0
                else { throw IngestError.unreadable(path: path, message: "a bad block header at byte \(at)") }
                let start = at + UInt64(nl - head.startIndex + 1)
                index[String(f[1]), default: [:]][period] = Block(offset: start, length: length)
                at = start + UInt64(length)
            }
            guard at == size else { throw IngestError.unreadable(path: path, message: "cut short") }
            all.append(index)
        }
        blocks = all
    }

    private func fail(_ e: any Error) { error.withLock { if $0 == nil { $0 = e } } }

    /// The lines of each bucket's block of `kind` and `period`, parsed by `line`.
    private func rows<T>(
        _ kind: String, _ period: Int, _ line: (inout PartialText.Reader) throws(PartialFormatError) -> T
    )
        -> [T]
    {
        var out: [T] = []
        for (b, path) in paths.enumerated() {
            guard let block = blocks[b][kind]?[period], block.length > 0 else { continue }
            do {
                guard let h = FileHandle(forReadingAtPath: path) else {
                    throw IngestError.unreadable(path: path, message: "missing")
                }
                defer { try? h.close() }
                try h.seek(toOffset: block.offset)
                let data = h.readData(ofLength: block.length)
                guard data.count == block.length else { throw IngestError.unreadable(path: path, message: "cut short") }
                var r = PartialText.Reader([UInt8](data))
                do throws(PartialFormatError) {
                    while r.nextLine() {
                        out.append(try line(&r))
                        guard r.atLineEnd else { throw r.error("too many fields") }
                    }
                } catch {
                    throw IngestError.badHeader(
                        path: path, line: error.line, message: "\(kind) \(period): \(error.message)")
                }
            } catch {
                fail(error)
            }
        }
        return out
    }

    func breaches(period: Int) -> [(record: BreachRecord, policy: Int)] {
        let config = self.config
        return rows(ItemLists.breaches, period) { (r: inout PartialText.Reader) throws(PartialFormatError) in
            try ItemLists.breach(&r, config: config)
        }
    }

    func lowScores(period: Int) -> [LowScoreRecord] {
        rows(ItemLists.lowScores, period) { (r: inout PartialText.Reader) throws(PartialFormatError) in
            try ItemLists.lowScore(&r)
        }
    }

    func repeats(period: Int) -> [RepeatRecord] {
        rows(ItemLists.repeats, period) { (r: inout PartialText.Reader) throws(PartialFormatError) in
            try ItemLists.repeatContact(&r)
        }
    }

    func openItems(period: Int) -> [OpenItemKey] {
        let config = self.config
        return rows(ItemLists.open, period) { (r: inout PartialText.Reader) throws(PartialFormatError) in
            try ItemLists.openItem(&r, config: config)
        }
    }

    /// Every bucket's open-all block read as it is merged (a chunk of each at a time), and `more`.
    func forEachOpenItem(merging more: [OpenItemKey], _ body: (OpenItemKey) -> Void) {
        var cursors: [OpenCursor] = []
        for (b, path) in paths.enumerated() {
            guard let block = blocks[b][ItemLists.openAll]?[0], block.length > 0 else { continue }
            do {
                let c = try OpenCursor(path: path, block: block.offset, length: block.length, config: config)
                try c.advance()
                cursors.append(c)
            } catch {
                fail(error)
                return
            }
        }
        var k = 0  // the next of `more`
        while true {
            var best: OpenCursor? = nil
            for c in cursors where c.current != nil {
                if let b = best, !OpenItemKey.precedes(c.current!, b.current!) { continue }
                best = c
            }
            if k < more.count && (best == nil || OpenItemKey.precedes(more[k], best!.current!)) {
                body(more[k])
                k += 1
                continue
            }
            guard let b = best else { return }
            body(b.current!)
            do { try b.advance() } catch {
                fail(error)
                return
            }
        }
    }

    /// One bucket's open-all block, read line by line.
    private final class OpenCursor {
        let file: FileRegion
        let config: Config
        var line = 0
        var current: OpenItemKey? = nil

        init(path: String, block: UInt64, length: Int, config: Config) throws {
            file = try FileRegion(path: path, offset: block, length: length)
            self.config = config
        }

        func advance() throws {
            guard let bytes = try file.line() else {
                current = nil
                return
            }
            line += 1
            var r = PartialText.Reader(Array(bytes))
            do throws(PartialFormatError) {
                guard r.nextLine() else { throw r.error("empty line") }
                current = try ItemLists.openItem(&r, config: config)
            } catch {
                throw IngestError.badHeader(path: file.path, line: line, message: "open-all: \(error.message)")
            }
        }
    }
}

/// A file, or a region of one, read a line or a run of bytes at a time through a buffer of about
/// a MiB (the partials' items and open clocks are read while they are merged, never whole).
final class FileRegion {
    let path: String
    private let handle: FileHandle
    /// Bytes of the region not yet read into the buffer.
    private var left: Int
    private var buffer: [UInt8] = []
    private var at = 0

    /// `length` nil: to the end of the file. `missing`: the message when the file cannot be opened.
    init(path: String, offset: UInt64 = 0, length: Int? = nil, missing: String = "missing") throws {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw IngestError.unreadable(path: path, message: missing)
        }
        self.path = path
        handle = h
        if offset > 0 { try h.seek(toOffset: offset) }
        left = length ?? Int.max
    }

    deinit { try? handle.close() }

    /// Makes sure `n` bytes are buffered from `at` (false when the region ends first).
    private func fill(_ n: Int) -> Bool {
        while buffer.count - at < n && left > 0 {
            if at > 0 {
                buffer.removeFirst(at)
                at = 0
            }
            let chunk = handle.readData(ofLength: min(left, max(1 << 20, n)))
            if chunk.isEmpty {
                left = 0
            } else {
                left -= chunk.count
                buffer += chunk
            }
        }
        return buffer.count - at >= n
    }

    /// The next line's bytes without its newline; nil at the end (a last line without one is
    /// an error: the file was cut short).
    func line() throws -> ArraySlice<UInt8>? {
        var i = at
        while true {
            while i < buffer.count && buffer[i] != UInt8(ascii: "\n") { i += 1 }
            if i < buffer.count { break }
            let scanned = i - at
            guard fill(scanned + 1) else {
                if buffer.count > at { throw IngestError.unreadable(path: path, message: "cut short") }
                return nil
            }
            i = at + scanned
        }
        defer { at = i + 1 }
        return buffer[at..<i]
    }

    /// The next `n` bytes.
    func bytes(_ n: Int) throws -> [UInt8] {
        guard fill(n) else { throw IngestError.unreadable(path: path, message: "cut short") }
        defer { at += n }
        return Array(buffer[at..<(at + n)])
    }
}
