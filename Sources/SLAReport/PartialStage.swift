import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput

/// What `slareport partial` was asked to do: bucket K of the orders and logistics events of a
/// bucketed map output (`MapRequest.buckets`) into partial state.
public struct PartialRequest: Sendable {
    /// The map stage's output folder (holding map/<file>/).
    public var mapFolder: String
    public var bucket: Int
    public var buckets: Int
    /// The folder receiving state.txt (created when missing).
    public var out: String
    /// --as-of, when given (the merge must be given the same).
    public var asOf: Int64?

    public init(mapFolder: String, bucket: Int, buckets: Int, out: String) {
        self.mapFolder = mapFolder
        self.bucket = bucket
        self.buckets = buckets
        self.out = out
    }
}

/// The partial stage of a distributed run. Bucket K holds every copy of each of its orders (by
/// order id) and of each of its shipments' events (by tracking number) from every mapped file,
/// so `run`'s own `MergeState` deduplicates them exactly; they are measured into an
/// `OrderPartial` and a `LogisticsPartial` per reported period kind, with the global as_of (the
/// latest timestamp of all mapped files, or --as-of) and the policies the merge will skip.
/// Ticket rows are bucketed by the order id they name, so bucket K also sees every ticket row
/// naming one of its orders: the product and merchant of those orders (the ticket ← order join
/// the merge still does, with the tickets) are listed, nothing else of them is kept. The merge
/// adds the buckets' figures instead of reading orders and events, so it holds their aggregates
/// only; tickets and surveys still reach it as rows.
///
/// state.txt (written under a temporary name, renamed when complete):
///
///     slareport-partial 2
///     bucket K N
///     as_of T
///     config SHA256          the config's hash (run.json's config_hash)
///     orders READ UNIQUE     orders read from the bucket, and left after deduplication
///     events READ UNIQUE     the same for logistics events
///     file NAME              every mapped file, in read order (a `PartialText` name)
///     section logistics|orders   then that kind of partial's text, per period kind
///     section values         then `v ORDER MERCHANT PRODUCT` per order some ticket row names
public enum PartialStage {
    static let magic = "slareport-partial 2"

    /// What a state.txt says besides the figures.
    struct Header: Equatable {
        var bucket: Int
        var buckets: Int
        var asOf: Int64
        var configHash: String
        var orders: (read: Int, unique: Int)
        var events: (read: Int, unique: Int)
        var files: [String]

        static func == (a: Header, b: Header) -> Bool {
            (a.bucket, a.buckets, a.asOf, a.configHash, a.files) == (b.bucket, b.buckets, b.asOf, b.configHash, b.files)
                && a.orders == b.orders && a.events == b.events
        }
    }

    /// The tables whose map outputs are bucketed, and which the partials measure.
    static let measured: Set<Table> = [.orders, .logistics]

    /// Reads bucket `req.bucket` and writes state.txt; returns the orders and events read.
    @discardableResult
    public static func run(_ req: PartialRequest, config: Config) throws -> (orders: Int, events: Int) {
        let zone = try config.zoneRules()
        guard req.buckets > 0, req.bucket >= 0, req.bucket < req.buckets else {
            throw IngestError.unreadable(path: req.mapFolder, message: "bucket \(req.bucket) of \(req.buckets)")
        }
        let parts = try MapOutputs.list(req.mapFolder)
        let name = Buckets.fileName(req.bucket, of: req.buckets)
        for p in parts where p.file.table != .surveys && p.buckets != req.buckets {
            throw IngestError.unreadable(
                path: p.folder,
                message:
                    "mapped into \(p.buckets) bucket\(p.buckets == 1 ? "" : "s"), not \(req.buckets) (map --buckets \(req.buckets))"
            )
        }
        let options = LoadOptions(config: config, zone: zone)
        // This bucket's orders and events, deduplicated; every file's stats (as_of, columns).
        let (inputs, _) = try MapOutputs.load(
            parts, options: options, rows: { measured.contains($0.file.table) ? [$0.folder + "/" + name] : nil })
        let asOf = req.asOf ?? inputs.latestTimestamp ?? 0
        // Every row must be this bucket's: a file from another bucket would count twice.
        for o in inputs.orders where Buckets.of(o.orderID, in: inputs.pool, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: req.mapFolder, message: "\(name) holds order \(inputs.pool.string(o.orderID)) of another bucket")
        }
        let events = inputs.logisticsPool
        for e in inputs.logistics where Buckets.of(e.trackingNo, in: events, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: req.mapFolder,
                message: "\(name) holds tracking number \(events.string(e.trackingNo)) of another bucket")
        }
        let values = try orderValues(parts: parts, file: name, options: options, inputs: inputs)

        let table = { (t: Table) in inputs.tables[Table.allCases.firstIndex(of: t)!] }
        let header = Header(
            bucket: req.bucket, buckets: req.buckets, asOf: asOf, configHash: configHash(config),
            orders: (table(.orders).unique + table(.orders).duplicatesMerged, table(.orders).unique),
            events: (table(.logistics).unique + table(.logistics).duplicatesMerged, table(.logistics).unique),
            files: parts.map(\.file.path))
        var w = PartialText.Writer()
        encode(header, into: &w)
        for kind in config.periods {
            let context = ReportJob.metricsEngine(
                config: config, zone: zone, asOf: asOf, inputs: inputs, period: kind, workers: 1
            ).context
            w.line("section logistics")
            LogisticsPartial(events: inputs.logistics, context: context).encode(pool: events, into: &w)
            w.line("section orders")
            OrderPartial(orders: inputs.orders, context: context).encode(pool: inputs.pool, into: &w)
        }
        w.line("section values")
        for v in values {
            w.tag("v")
            for id in [v.orderID, v.merchant, v.product] { w.name(id, inputs.pool) }
            w.endLine()
        }
        try AtomicWriter.makeFolder(req.out)
        try AtomicWriter(root: req.out).replaceFile("state.txt", w.out.bytes)
        return (header.orders.read, header.events.read)
    }

    /// The bucket's orders that some ticket row of the bucket names (any dump's copy: the
    /// winning copy is among them) and that have a product or a merchant, by order id bytes.
    private static func orderValues(parts: [MapOutputs.Part], file: String, options: LoadOptions, inputs: LoadedInputs)
        throws -> [OrderRow]
    {
        let pool = inputs.pool
        var named = Set<StrID>()
        func mark(_ r: FileResult) {
            for t in r.tickets where t.orderID != .none {
                if let id = pool.lookup(r.pool.string(t.orderID)) { named.insert(id) }
            }
        }
        for part in parts where part.file.table == .tickets {
            let reader = RowsReader(
                part: part, options: options, chunkRows: FileLoader.chunkRows, files: [part.folder + "/" + file])
            mark(try reader.read { mark($0) })
        }
        return inputs.orders.filter { named.contains($0.orderID) && ($0.merchant != .none || $0.product != .none) }
            .sorted { pool.precedes($0.orderID, $1.orderID) }
    }

    /// run.json's config_hash of a config.
    static func configHash(_ config: Config) -> String {
        Digest.sha256Hex(Array(config.canonicalDescription.utf8))
    }

    static func encode(_ h: Header, into w: inout PartialText.Writer) {
        w.line(magic)
        w.line("bucket \(h.bucket) \(h.buckets)")
        w.line("as_of \(h.asOf)")
        w.line("config \(h.configHash)")
        w.line("orders \(h.orders.read) \(h.orders.unique)")
        w.line("events \(h.events.read) \(h.events.unique)")
        for f in h.files {
            w.tag("file")
            w.name(f)
            w.endLine()
        }
    }

    /// What one state.txt holds, its strings interned into the merge's pools.
    struct State {
        var header: Header
        var shipments: [PeriodKind: LogisticsPartial] = [:]
        var orders: [PeriodKind: OrderPartial] = [:]
        var values: [OrderRow] = []
    }

    /// One state.txt: carriers interned into `events`, the rest into `pool`; `policyCount` as
    /// the config has. Throws `IngestError.badHeader` naming the line for anything unreadable.
    static func read(_ path: String, policyCount: Int, pool: StringPool, events eventPool: StringPool) throws -> State {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unreadable(path: path, message: "missing (run slareport partial for this bucket)")
        }
        var r = PartialText.Reader([UInt8](data))
        do throws(PartialFormatError) {
            guard r.nextLine(), r.tag("slareport-partial"), try r.int() as Int == 2, r.atLineEnd else {
                throw r.error("not a partial's state.txt (\(magic))")
            }
            func line(_ key: StaticString) throws(PartialFormatError) {
                guard r.nextLine(), r.tag(key) else { throw r.error("expected '\(key) …'") }
            }
            try line("bucket")
            let (bucket, buckets): (Int, Int) = (try r.int(), try r.int())
            try line("as_of")
            let asOf: Int64 = try r.int()
            try line("config")
            let hash = try r.word()
            try line("orders")
            let orders: (Int, Int) = (try r.int(), try r.int())
            try line("events")
            let events: (Int, Int) = (try r.int(), try r.int())
            var files: [String] = []
            while r.nextLine(before: "section") {
                guard r.tag("file"), let f = try r.string() else { throw r.error("expected 'file NAME'") }
                files.append(f)
            }
            var state = State(
                header: Header(
                    bucket: bucket, buckets: buckets, asOf: asOf, configHash: hash, orders: orders, events: events,
                    files: files))
            while r.nextLine() {
                guard r.tag("section") else { throw r.error("expected 'section …'") }
                switch try r.word() {
                case "logistics":
                    let p = try LogisticsPartial.decode(&r, pool: eventPool)
                    guard state.shipments[p.period] == nil else { throw r.error("logistics \(p.period) twice") }
                    state.shipments[p.period] = p
                case "orders":
                    let p = try OrderPartial.decode(&r, policyCount: policyCount, pool: pool)
                    guard state.orders[p.period] == nil else { throw r.error("orders \(p.period) twice") }
                    state.orders[p.period] = p
                case "values":
                    while r.nextLine(before: "section") {
                        guard r.tag("v") else { throw r.error("expected 'v ORDER MERCHANT PRODUCT'") }
                        var row = OrderRow(orderID: try r.name(pool), orderedAt: .missing)
                        row.merchant = try r.name(pool)
                        row.product = try r.name(pool)
                        guard r.atLineEnd else { throw r.error("too many fields") }
                        state.values.append(row)
                    }
                case let other:
                    throw r.error("unknown section \(other)")
                }
            }
            return state
        } catch {
            throw IngestError.badHeader(path: path, line: error.line, message: error.message)
        }
    }

    /// The partials under `dir` (one folder per bucket, holding state.txt) added up, checked
    /// against what the merge is about to do: every bucket 0..<N once, made with the merge's
    /// as_of and config from the same mapped files (`files`, in read order), with figures for
    /// each reported period kind.
    static func combine(
        _ dir: String, asOf: Int64, config: Config, files: [String], pool: StringPool, events: StringPool
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
            let s = try read(path, policyCount: config.policies.count, pool: pool, events: events)
            let h = s.header
            func bad(_ m: String) -> IngestError { .unreadable(path: path, message: m) }
            if let n = total?.header.buckets, n != h.buckets {
                throw bad("bucket \(h.bucket) of \(h.buckets), the others are of \(n)")
            }
            guard h.bucket >= 0 && h.bucket < h.buckets else { throw bad("bucket \(h.bucket) of \(h.buckets)") }
            if let other = seen[h.bucket] { throw bad("bucket \(h.bucket) again (also in \(other))") }
            seen[h.bucket] = path
            guard h.asOf == asOf else {
                throw bad("made with as_of \(h.asOf), the merge's is \(asOf) (give both the same --as-of)")
            }
            guard h.configHash == hash else {
                throw bad("made with another config (config hash \(h.configHash), the merge's is \(hash))")
            }
            guard h.files == files else { throw bad("made from other map outputs than the merge reads (run it again)") }
            for kind in config.periods where s.shipments[kind] == nil || s.orders[kind] == nil {
                throw bad("no \(kind.rawValue) figures")
            }
            guard var t = total else {
                total = s
                continue
            }
            for (kind, p) in s.shipments { t.shipments[kind]?.merge(p) }
            for (kind, p) in s.orders { t.orders[kind]?.merge(p) }
            t.values += s.values
            t.header.orders = (t.header.orders.read + h.orders.read, t.header.orders.unique + h.orders.unique)
            t.header.events = (t.header.events.read + h.events.read, t.header.events.unique + h.events.unique)
            total = t
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
