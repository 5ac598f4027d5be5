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

/// What `slareport map` was asked to do: read one input file as `run` reads it.
public struct MapRequest: Sendable {
    /// The file to read, or `-` for standard input.
    public var path: String
    /// The file's name as `run` would show it (rejects, run.json, errors); default `path`.
    /// Required for `-`. Its base name picks the table unless `table` is given.
    public var name: String?
    /// The table, as `run --orders FILE` names it; nil: from the name, like a folder scan.
    public var table: Table?
    /// The folder receiving rows.csv, rejects.csv, stats.json and columns.txt (created when missing).
    public var out: String
    /// A file whose name a folder scan would leave out (no table by name or glob) is not read
    /// and nothing is written, as `run --input DIR` ignores it; otherwise it is an error.
    public var ignoreOther = false
    /// Rows go into this many files, `rows-K-of-N.csv`, by `Buckets.of` their bucket key, for
    /// the partial stage; 1: rows.csv.
    public var buckets = 1

    public init(path: String, name: String? = nil, table: Table? = nil, out: String) {
        self.path = path
        self.name = name
        self.table = table
        self.out = out
    }
}

/// The map stage of a distributed run (docs/spark.md): one input file parsed and validated exactly as
/// `run` does (same options from the config, same `FileLoader`), written as four files into the
/// output folder:
///
/// - `rows.csv`: a header, then one line per accepted row, CRLF, RFC 4180 quoting only where
///   needed, no BOM, no formula neutralising (values as read). Columns: `_file` (the name as run
///   shows it), `_record` (0-based record index, header = 0: the read order SPEC 2.5's tie-break
///   uses together with the file's rank among its table's files), then the table's canonical
///   columns in `columns(of:)` order. Timestamps are UTC epoch seconds, empty when missing;
///   enums are their canonical English names; `amount` is `amount_cents` (integer cents, empty
///   when missing or unreadable); a score is 1–5 or empty, with `*_invalid` = 1 when the field
///   held something else. Then the table's extra columns, `x:<name>` (see `RowsWriter.extras`).
/// - `rejects.csv`: the file's rejected rows exactly as lines of run's rejects.csv, without
///   header or BOM (run's rejects.csv is its header followed by these parts in
///   `CSVReports.partOrder`).
/// - `stats.json`: the file's entry of run.json's "inputs", rendered by the same code.
/// - `columns.txt`: the columns the file provides, one per line (see `columnsText`).
/// - `latest.txt`: the file's latest timestamp that moves as_of (UTC epoch seconds, as the
///   reader computes it for `run`), empty when no row was accepted.
///
/// With `buckets` N > 1 the rows go to `rows-K-of-N.csv` (K = 0..<N, each with the header)
/// instead of rows.csv, by `Buckets.of` their bucket key: an order's id, an event's tracking
/// number, a ticket's id, the ticket id a survey names. So every copy of an order, of a ticket
/// and every event of a shipment are in the same bucket in every file, and a survey in its
/// ticket's, which is what `slareport partial` needs.
///
/// The files are written under temporary names and renamed when complete. Rows leave the loader
/// in chunks and are written as they come, so memory stays a chunk plus one file's string pool.
public enum MapStage {
    /// Reads the file and writes the four files; returns its statistics, or nil for a file
    /// ignored by `ignoreOther`. Throws the errors
    /// `run` throws for the same file (`IngestError`, `ConfigError`) and `OutputError` for the
    /// output folder.
    public static func run(_ req: MapRequest, config: Config) throws -> FileStats? {
        let zone = try config.zoneRules()
        let name = req.name ?? req.path
        let table: Table
        if let t = req.table {
            table = t
        } else {
            let base = (name as NSString).lastPathComponent
            let found = try InputDiscovery.table(
                forName: base, globs: config.fileGlobs, configFile: config.source, globLines: config.keyLines)
            guard let t = found else {
                if req.ignoreOther { return nil }
                throw IngestError.unreadable(
                    path: name,
                    message:
                        "cannot tell its table from the name (orders*, logistics*, tickets*, surveys* or a [tables.*] files glob, ending in .csv, .tsv or .gz); give --table"
                )
            }
            table = t
        }
        if req.path != "-" {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: req.path, isDirectory: &isDir) else {
                throw IngestError.inputMissing(path: name)
            }
            if isDir.boolValue { throw IngestError.unreadable(path: name, message: "is a folder") }
        }
        try AtomicWriter.makeFolder(req.out)

        // The options `run` reads with, except that every canonical column is kept (run leaves
        // columns no policy reads uninterned; that changes no count, reject or timestamp).
        var options = LoadOptions(config: config, zone: zone)
        options.unread = [:]
        options.keepCustomer = true
        options.keepCarrier = true
        options.keepAllLogistics = true
        options.rejectSpillFolder = req.out
        let file = InputFile(path: name, table: table, tsv: InputDiscovery.isTSV(name))
        let buckets = max(1, req.buckets)
        let rowsNames = buckets == 1 ? ["rows.csv"] : (0..<buckets).map { Buckets.fileName($0, of: buckets) }
        let rowsTmps = rowsNames.map { req.out + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-" + $0 }
        let spillTmp = req.out + "/" + AtomicWriter.spillName(file)
        var keep = false
        defer {
            if !keep {
                for t in rowsTmps { unlink(t) }
                unlink(spillTmp)
            }
        }
        var rowsFiles: [ExclusiveFile] = []
        for t in rowsTmps {
            guard let f = ExclusiveFile(path: t) else {
                throw OutputError.cannotCreate(path: t, message: String(cString: strerror(errno)))
            }
            rowsFiles.append(f)
        }
        var writer = RowsWriter(table: table, name: name, buckets: buckets)
        if table != .logistics { writer.extras = config.binding(for: table).extras }
        writer.header()
        func flush() {
            for k in rowsFiles.indices { rowsFiles[k].write(writer.drain(bucket: k)) }
        }
        let path = req.path
        var result = FileLoader.load(
            file, options: options,
            reader: { CSVFileReader(path: path, displayName: name, options: $0) },
            emit: { (chunk: inout FileResult) in
                writer.write(chunk)
                flush()
            })
        writer.write(result)
        flush()
        if let e = result.error { throw e }
        for f in rowsFiles { if let m = f.failure { throw OutputError.io(path: f.path, message: m) } }
        if let f = result.spill?.failure { throw OutputError.io(path: spillTmp, message: f) }
        result.spill = nil

        let writerOut = AtomicWriter(root: req.out)
        try writerOut.replaceFile("stats.json", Array(RunJSON.inputText(result.stats).utf8))
        try writerOut.replaceFile("columns.txt", Array(columnsText(result.stats.columns).utf8))
        let latest = result.maxTimestamp == .min ? "" : "\(result.maxTimestamp)\n"
        try writerOut.replaceFile("latest.txt", Array(latest.utf8))
        for (tmp, final) in [(spillTmp, "rejects.csv")] + zip(rowsTmps, rowsNames) {
            guard rename(tmp, req.out + "/" + final) == 0 else {
                throw OutputError.io(path: req.out + "/" + final, message: String(cString: strerror(errno)))
            }
        }
        keep = true
        return result.stats
    }

    /// columns.txt: the columns the file provides (by its header or a default, canonical and
    /// extra: `FileStats.columns`), one per line in byte order. run.json does not list them, but
    /// which policies are skipped for a missing column depends on them, so `merge` needs them.
    static func columnsText(_ columns: Set<String>) -> String {
        columns.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { $0 + "\n" }.joined()
    }

    /// The columns of rows.csv for a table, after `_file` and `_record`.
    public static func columns(of table: Table) -> [String] {
        switch table {
        case .orders:
            return [
                "order_id", "ordered_at", "paid_at", "shipped_at", "signed_at", "customer_id", "merchant_id",
                "product_id", "category", "amount_cents", "status", "promised_ship_at", "promised_delivery_at",
                "updated_at",
            ]
        case .logistics:
            return ["tracking_no", "order_id", "carrier", "event", "event_at", "exception"]
        case .tickets:
            return [
                "ticket_id", "order_id", "product_id", "merchant_id", "created_at", "channel", "agent", "type",
                "category", "priority", "first_response_at", "fault_confirmed_at", "repair_plan_at",
                "plan_rejected_at", "escalated_at", "resolved_at", "satisfaction", "satisfaction_invalid",
                "surveyed_at", "responsibility", "status", "due_at", "updated_at",
            ]
        case .surveys:
            return [
                "survey_id", "ticket_id", "order_id", "agent", "score", "score_invalid", "sent_at", "answered_at",
                "comment", "updated_at",
            ]
        }
    }
}

/// Which bucket a row goes to in a bucketed map output (`MapRequest.buckets`) or in the tickets
/// stage's output: by its bucket key alone (see `MapStage`), so the rows a partial needs
/// together share one bucket in every file. The hash is FNV-1a (64-bit) of
/// the key's UTF-8 bytes as read, the same on every machine and run.
public enum Buckets {
    public static func of(_ bytes: UnsafeRawBufferPointer, count: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return Int(h % UInt64(count))
    }

    /// The bucket of an interned key (an empty one: bucket 0).
    static func of(_ id: StrID, in pool: StringPool, count: Int) -> Int {
        id == .none ? 0 : pool.withBytes(id) { of($0, count: count) }
    }

    /// The rows file of bucket `k` of `n`.
    public static func fileName(_ k: Int, of n: Int) -> String { "rows-\(k)-of-\(n).csv" }
}

/// Writes accepted rows as lines of rows.csv (see `MapStage`), a chunk at a time; with
/// `buckets` > 1 into that many buffers by `Buckets.of` their bucket key.
struct RowsWriter {
    let table: Table
    let name: String
    /// `_file` by the rank in a row's `seq`, for rows of several files (else `name`).
    var names: [String]? = nil
    /// Tickets go to the bucket of their order id instead of their ticket id (the tickets
    /// stage's output).
    var ticketsByOrder = false
    /// The table's extra columns (`[tables.*.extra]`), written after the canonical ones as
    /// `x:<name>`: strings as text, the other types as their Int64 (timestamps in epoch seconds,
    /// decimals in hundredths), empty when missing. Logistics extras are not kept, so none.
    var extras: [ExtraColumn] = []
    private var csvs: [CSVWriter]
    /// The buffer rows go to (the bucket of the row being written).
    private var k = 0

    init(table: Table, name: String, buckets: Int = 1) {
        self.table = table
        self.name = name
        csvs = (0..<max(1, buckets)).map { _ in CSVWriter(bom: false, capacity: 1 << 16) }
    }

    mutating func header() {
        for k in csvs.indices {
            for c in Self.header(table, extras: extras) { csvs[k].text(c) }
            csvs[k].endRow()
        }
    }

    /// The header of a table's rows files.
    static func header(_ table: Table, extras: [ExtraColumn]) -> [String] {
        ["_file", "_record"] + MapStage.columns(of: table) + extras.map { "x:" + $0.name }
    }

    mutating func drain(bucket: Int = 0) -> [UInt8] { csvs[bucket].drain() }

    private var csv: CSVWriter {
        get { csvs[k] }
        _modify { yield &csvs[k] }
    }

    /// The rows of a chunk (or of a file's last part), their ids read from its pool.
    mutating func write(_ r: FileResult) {
        let pool = r.pool
        func s(_ id: StrID) { csv.text(id == .none ? "" : pool.string(id)) }
        func t(_ x: Timestamp) {
            if x == .missing { csv.text("") } else { csv.int(Int(x)) }
        }
        let width = r.extraWidth
        // A row's extra values (after its canonical ones), from the chunk's flat store.
        func extra(_ e: ExtraIndex) {
            for (k, x) in extras.enumerated() {
                let v: Int64 =
                    e >= 0 && width > 0
                    ? r.extras[Int(e) * width + k] : x.type == .string ? Int64(StrID.none) : .missing
                if x.type == .string {
                    s(StrID(truncatingIfNeeded: v))
                } else if v == .missing {
                    csv.text("")
                } else {
                    csv.int(Int(v))
                }
            }
        }
        func start(_ seq: ReadSeq) {
            csv.text(names?[Int(seq >> 32)] ?? name)
            csv.int(Int(seq & 0xFFFF_FFFF))
        }
        for o in r.orders {
            if csvs.count > 1 { k = Buckets.of(o.orderID, in: pool, count: csvs.count) }
            start(o.seq)
            s(o.orderID)
            t(o.orderedAt)
            t(o.paidAt)
            t(o.shippedAt)
            t(o.signedAt)
            s(o.customer)
            s(o.merchant)
            s(o.product)
            s(o.category)
            if let c = o.amountCents { csv.int(Int(c)) } else { csv.text("") }
            s(o.status)
            t(o.promisedShipAt)
            t(o.promisedDeliveryAt)
            t(o.updatedAt)
            extra(o.extra)
            csv.endRow()
        }
        for e in r.logistics {
            if csvs.count > 1 {
                k = Buckets.of(e.trackingNo, in: pool, count: csvs.count)
            }
            start(e.seq)
            s(e.trackingNo)
            s(e.orderID)
            s(e.carrier)
            csv.text(e.event.name)
            t(e.eventAt)
            csv.text(e.exception?.name ?? "")
            csv.endRow()
        }
        for k in r.tickets {
            if csvs.count > 1 {
                self.k = Buckets.of(ticketsByOrder ? k.orderID : k.ticketID, in: pool, count: csvs.count)
            }
            start(k.seq)
            s(k.ticketID)
            s(k.orderID)
            s(k.product)
            s(k.merchant)
            t(k[.createdAt])
            s(k.channel)
            s(k.agent)
            csv.text(k.type.name)
            s(k.category)
            csv.text(k.priority.name)
            for time in [TicketTime.firstResponseAt, .faultConfirmedAt, .repairPlanAt, .planRejectedAt, .escalatedAt] {
                t(k[time])
            }
            t(k[.resolvedAt])
            if k.satisfaction > 0 { csv.int(Int(k.satisfaction)) } else { csv.text("") }
            csv.text(k.satisfactionInvalid ? "1" : "")
            t(k[.surveyedAt])
            csv.text(k.responsibility?.name ?? "")
            s(k.status)
            t(k.dueAt)
            t(k[.updatedAt])
            extra(k.extra)
            csv.endRow()
        }
        k = 0
        for v in r.surveys {
            if csvs.count > 1 { k = Buckets.of(v.ticketID, in: pool, count: csvs.count) }
            start(v.seq)
            s(v.surveyID)
            s(v.ticketID)
            s(v.orderID)
            s(v.agent)
            if v.score > 0 { csv.int(Int(v.score)) } else { csv.text("") }
            csv.text(v.scoreInvalid ? "1" : "")
            t(v.sentAt)
            t(v.answeredAt)
            s(v.comment)
            t(v.updatedAt)
            extra(v.extra)
            csv.endRow()
        }
        k = 0
    }
}
