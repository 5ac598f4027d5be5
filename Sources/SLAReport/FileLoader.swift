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

/// Everything read from one input file: typed rows with ids from the file's own `StringPool`,
/// rejects, counts. Built on one worker thread; merged later by `InputLoader`.
public struct FileResult: @unchecked Sendable {
    public var file: InputFile
    public var stats: FileStats
    public var pool = StringPool(capacity: 4096)
    public var orders: [OrderRow] = []
    public var tickets: [TicketRow] = []
    public var logistics: [LogisticsRow] = []
    public var surveys: [SurveyRow] = []
    /// Extra column values of the rows above: row.extra * width ..< (row.extra + 1) * width,
    /// strings as StrID in `pool` (see `ExtraStore`).
    public var extras: [Int64] = []
    public var rejects: [Reject] = []
    /// Where the rejects go instead of `rejects` when the run spills them to disk.
    var spill: RejectSpill? = nil
    /// Rejected rows counted, not kept (`LoadOptions.countRejectsOnly`).
    var countRejectsOnly = false
    /// Greatest timestamp of any accepted row (Int64.min when none).
    public var maxTimestamp: Int64 = .min
    /// A file-level failure; rows above are then kept only with `--keep-partial`.
    public var error: IngestError? = nil
    /// About how many rows the whole file holds (0 = unknown), for sizing merged arrays once.
    var expectedRows = 0
    /// Extra values per row in `extras` (0 = none kept).
    var extraWidth = 0

    init(file: InputFile) {
        self.file = file
        self.stats = FileStats(path: file.path, table: file.table)
    }
}

/// Options for reading inputs.
public struct LoadOptions: Sendable {
    public var encoding: EncodingChoice = .auto
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var aliases: [String: String] = [:]
    /// `[tables.*]` per table: header bindings, extras, defaults and their reading options.
    public var bindings: [Table: TableBinding] = [:]
    public var tableEncoding: [Table: EncodingChoice] = [:]
    public var tableDelimiter: [Table: UInt8] = [:]
    /// A folder for each file's rejected rows as rows of rejects.csv (see `RejectSpill`); nil
    /// keeps them in memory (`LoadedInputs.rejects`).
    public var rejectSpillFolder: String? = nil
    /// Only count rejected rows (`validate`, which prints counts: a file of a million bad rows
    /// must not fill memory there either).
    public var countRejectsOnly = false
    /// Accepted timestamps (see `FieldReader.validRange`); everything by default.
    public var validRange: ClosedRange<Int64> = Int64.min...Int64.max
    /// Optional columns no policy reads, per table, left unread (see `OrderRowBuilder.ignore`).
    public var unread: [Table: Set<String>] = [:]
    /// Intern orders' `customer_id` (only a policy filter on it reads it).
    public var keepCustomer = false
    /// Intern tracking events' `carrier` (only the carrier cut, `[breakdowns] by`, reads it).
    public var keepCarrier = false
    /// Intern every string column of tracking events (`slareport map` writes them all).
    var keepAllLogistics = false
    /// Per table, the extra slots holding strings.
    var extraStringSlots: [Table: [Int]] {
        bindings.mapValues { b in b.extras.indices.filter { b.extras[$0].type == .string } }
    }
    public var zone: ZoneRules = .utc
    /// Keep the rows read before a corrupt/truncated gzip error (SPEC 2.2 `--keep-partial`).
    public var keepPartial = false
    public init() {}

    /// From local midnight of `valid_from` to two days after `now` (the run's wall clock).
    public static func validRange(config: Config, zone: ZoneRules, now: Int64) -> ClosedRange<Int64> {
        let lo = zone.utc(fromLocal: Int64(config.validFrom) * 86_400)
        return lo...max(lo, now + 2 * 86_400)
    }

    public init(config: Config, zone: ZoneRules) {
        encoding = config.encoding
        delimiter = config.delimiter
        validRange = LoadOptions.validRange(config: config, zone: zone, now: Int64(Date().timeIntervalSince1970))
        aliases = config.aliases
        self.zone = zone
        for t in [Table.orders, .tickets] {
            let mine = config.policies.filter { $0.table == t }
            let used = Set(
                mine.flatMap { p in [p.start, p.stop] + (p.due.map { [$0] } ?? []) + (p.when + p.unless).map(\.column) }
            )
            unread[t] = Set(
                t == .orders ? ["status", "promised_ship_at", "promised_delivery_at"] : ["status", "due_at"]
            )
            .subtracting(used)
        }
        keepCustomer = config.policies.contains { p in
            p.table == .orders && (p.when + p.unless).contains { $0.column == "customer_id" }
        }
        keepCarrier = config.breakdowns.byCarrier
        for t in Table.allCases {
            bindings[t] = config.binding(for: t)
            if let e = config.tables[t]?.encoding { tableEncoding[t] = e }
            if let d = config.tables[t]?.delimiter { tableDelimiter[t] = d }
        }
    }
}

enum FileLoader {
    /// Rows per chunk handed to the merge while a file is read (see `load`).
    static let chunkRows = 1 << 14

    /// Reads one file into typed rows. Never throws: file-level errors land in `result.error`.
    ///
    /// With `emit`, every `chunkRows` accepted rows leave as a chunk (a `FileResult` holding
    /// only rows and the pool their ids refer to) and the file goes on with a fresh pool, so a
    /// big file is never held whole: the merge dedups each chunk as it comes. The returned
    /// result holds the rest of the rows and the file's counts, rejects and error.
    static func load(
        _ file: InputFile, options: LoadOptions, reader makeReader: ((CSVReadOptions) -> CSVFileReader)? = nil,
        chunkRows: Int = chunkRows, emit: ((inout FileResult) -> Void)? = nil
    )
        -> FileResult
    {
        var result = FileResult(file: file)
        result.countRejectsOnly = options.countRejectsOnly
        if let folder = options.rejectSpillFolder {
            let path = folder + "/" + AtomicWriter.spillName(file)
            guard let spill = RejectSpill(path: path) else {
                result.error = .unreadable(
                    path: path,
                    message: "cannot create a file for the rejected rows: \(String(cString: strerror(errno)))")
                return result
            }
            result.spill = spill
        }
        var csvOptions = CSVReadOptions(table: file.table)
        csvOptions.encoding = options.tableEncoding[file.table] ?? options.encoding
        csvOptions.delimiter = options.tableDelimiter[file.table] ?? options.delimiter
        if file.tsv { csvOptions.delimiter = UInt8(ascii: "\t") }
        let reader = makeReader?(csvOptions) ?? CSVFileReader(path: file.path, options: csvOptions)
        let pool = result.pool
        let chunking = Chunking(rows: emit == nil ? Int.max : max(1, chunkRows), emit: emit)
        do {
            switch file.table {
            case .orders:
                let b = try read(
                    reader, file, options, &result, chunking,
                    make: { map in
                        var b = OrderRowBuilder(header: map, zone: options.zone, pool: pool)
                        b.keepUnusedStrings = options.keepCustomer
                        b.ignore(options.unread[.orders] ?? [])
                        return b
                    },
                    keep: { res, row, seq in
                        var row = row
                        row.seq = seq
                        res.orders.append(row)
                    })
                result.stats.invalidAmounts = b?.invalidAmounts ?? 0
            case .tickets:
                _ = try read(
                    reader, file, options, &result, chunking,
                    make: { map in
                        var b = TicketRowBuilder(header: map, zone: options.zone, pool: pool)
                        b.ignore(options.unread[.tickets] ?? [])
                        return b
                    },
                    keep: { res, row, seq in
                        var row = row
                        row.seq = seq
                        res.tickets.append(row)
                    })
            case .logistics:
                _ = try read(
                    reader, file, options, &result, chunking,
                    make: { map in
                        var b = LogisticsRowBuilder(header: map, zone: options.zone, pool: pool)
                        b.keepUnusedStrings = options.keepAllLogistics
                        b.keepCarrier = options.keepCarrier
                        return b
                    },
                    keep: { res, row, seq in
                        var row = row
                        row.seq = seq
                        res.logistics.append(row)
                    })
            case .surveys:
                _ = try read(
                    reader, file, options, &result, chunking,
                    make: { map in
                        SurveyRowBuilder(header: map, zone: options.zone, pool: pool)
                    },
                    keep: { res, row, seq in
                        var row = row
                        row.seq = seq
                        res.surveys.append(row)
                    })
            }
        } catch let e as IngestError {
            result.error = e
        } catch {
            result.error = .unreadable(path: file.path, message: "\(error)")
        }
        result.stats.accepted = result.rowCount + chunking.emitted
        result.spill?.flush()
        return result
    }
}

/// What the loader needs of a row builder; the three builders conform. Generic, not an
/// existential, so the row loop is specialised per table.
protocol RowBuilding {
    associatedtype Row: CarriesExtras
    mutating func build(_ r: RecordView) -> RowResult<Row>
    mutating func use(pool: StringPool)
    var maxTimestamp: Int64 { get }
    /// The extra column values of the row `build` returned last.
    var extraValues: [Int64] { get }
    /// Accepted timestamps (see `FieldReader.validRange`).
    var validRange: ClosedRange<Int64> { get set }
    /// Extra int/decimal values that could not be read (kept as missing).
    var invalidNumbers: Int { get }
}

/// A row that can point at its extra values.
protocol CarriesExtras {
    var extra: ExtraIndex { get set }
}

extension OrderRow: CarriesExtras {}
extension TicketRow: CarriesExtras {}
extension SurveyRow: CarriesExtras {}
extension LogisticsRow: CarriesExtras {
    /// Logistics extras are validated but not kept.
    var extra: ExtraIndex {
        get { -1 }
        set {}
    }
}

extension OrderRowBuilder: RowBuilding {}
extension TicketRowBuilder: RowBuilding {}
extension LogisticsRowBuilder: RowBuilding {}
extension SurveyRowBuilder: RowBuilding {}

extension FileLoader {
    /// Reads the file: the header makes the builder, each record becomes a row (stamped with its
    /// read sequence, SPEC 2.5) or a reject. Returns the builder for its counters.
    static func read<B: RowBuilding>(
        _ reader: CSVFileReader, _ file: InputFile, _ options: LoadOptions, _ result: inout FileResult,
        _ chunking: Chunking, make: (HeaderMap) -> B, keep: (inout FileResult, B.Row, ReadSeq) -> Void
    ) throws -> B? {
        var builder: B? = nil
        var filler: DefaultFiller? = nil
        var map: HeaderMap? = nil
        // Logistics extras are validated only (no metric reads them), so they take no room.
        var width = 0
        func take(_ r: RecordView, _ built: RowResult<B.Row>) {
            switch built {
            case .row(var row):
                if width > 0 {
                    row.extra = ExtraIndex(result.extras.count / width)
                    result.extras.append(contentsOf: builder!.extraValues)
                }
                keep(&result, row, Dedup.readSeq(rank: file.rank, record: r.record))
                if result.rowCount >= chunking.rows {
                    chunking.handOff(&result)
                    builder!.use(pool: result.pool)
                }
            case .reject(let kind, let reason): result.reject(r, kind, reason)
            }
        }
        let info = try reader.read(
            header: { h in
                let m = try HeaderMap(
                    table: file.table, header: h, aliases: options.aliases, path: file.path,
                    binding: options.bindings[file.table] ?? TableBinding())
                map = m
                builder = make(m)
                builder!.validRange = options.validRange
                if DefaultFiller.needed(m) { filler = DefaultFiller(map: m) }
                width = file.table == .logistics ? 0 : m.extras.count
                result.extraWidth = width
                result.stats.columns = m.presentColumns
                if let n = reader.expectedRecords {
                    result.expectedRows = n
                    result.reserve(min(n, chunking.rows))
                }
            },
            record: { r in
                result.stats.rowsRead += 1
                if let filler {
                    // The filled record has more fields than the file's: check the count first.
                    guard r.count == map!.fieldCount else {
                        result.reject(r, .fieldCount, FieldReader.fieldCountReason(map!, r))
                        return
                    }
                    let built = filler.fill(r) { builder!.build($0) }
                    take(r, built)
                } else {
                    take(r, builder!.build(r))
                }
            },
            reject: { rej in result.csvReject(rej) })
        result.finish(info)
        if let b = builder {
            result.maxTimestamp = b.maxTimestamp
            result.stats.invalidNumbers = b.invalidNumbers
        }
        return builder
    }
}

/// How `FileLoader.load` cuts a file into chunks (`rows` = Int.max: it does not).
final class Chunking {
    let rows: Int
    let emit: ((inout FileResult) -> Void)?
    /// Rows handed out so far.
    private(set) var emitted = 0

    init(rows: Int, emit: ((inout FileResult) -> Void)?) {
        self.rows = rows
        self.emit = emit
    }

    /// Sends `result`'s rows and pool out as a chunk and leaves it with empty arrays (room for
    /// a chunk) and a fresh pool.
    func handOff(_ result: inout FileResult) {
        var chunk = FileResult(file: result.file)
        chunk.expectedRows = result.expectedRows
        chunk.pool = result.pool
        chunk.extraWidth = result.extraWidth
        swap(&chunk.orders, &result.orders)
        swap(&chunk.tickets, &result.tickets)
        swap(&chunk.logistics, &result.logistics)
        swap(&chunk.surveys, &result.surveys)
        swap(&chunk.extras, &result.extras)
        emitted += chunk.rowCount
        emit?(&chunk)
        result.pool = StringPool(capacity: min(rows, FileLoader.chunkRows))
        result.reserve(rows)
    }
}

extension FileResult {
    var rowCount: Int { orders.count + tickets.count + logistics.count + surveys.count }

    /// Room for about `n` rows, taken once: a growing array copies itself into fresh pages at
    /// every doubling, and fresh pages are what a big run pays most for after parsing.
    mutating func reserve(_ n: Int) {
        let n = min(max(n, 0), 1 << 30)
        switch file.table {
        case .orders: orders.reserveCapacity(n)
        case .tickets: tickets.reserveCapacity(n)
        case .logistics: logistics.reserveCapacity(n)
        case .surveys: surveys.reserveCapacity(n)
        }
    }

    mutating func reject(_ r: RecordView, _ kind: RejectKind, _ reason: String) {
        stats.rejectedByKind[kind, default: 0] += 1
        if countRejectsOnly { return }
        let rej = Reject(table: file.table, location: r.location, kind: kind, reason: reason, raw: r.strings())
        if let spill { spill.append(rej) } else { rejects.append(rej) }
    }

    /// A reject found by the CSV layer: the record never reached a builder, but it was read.
    mutating func csvReject(_ rej: Reject) {
        stats.rowsRead += 1
        stats.rejectedByKind[rej.kind, default: 0] += 1
        if countRejectsOnly { return }
        var rej = rej
        rej.table = file.table
        if let spill { spill.append(rej) } else { rejects.append(rej) }
    }

    mutating func finish(_ info: FileReadInfo) {
        stats.bytes = info.bytes
        stats.sha256 = info.sha256
        stats.gzip = info.gzip
        stats.encoding = info.encoding
    }
}
