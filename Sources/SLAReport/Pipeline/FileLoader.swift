import Foundation

/// Everything read from one input file: typed rows with ids from the file's own `StringPool`,
/// rejects, counts. Built on one worker thread; merged later by `InputLoader`.
public struct FileResult: @unchecked Sendable {
    public var file: InputFile
    public var stats: FileStats
    public var pool = StringPool(capacity: 4096)
    public var orders: [OrderRow] = []
    public var tickets: [TicketRow] = []
    public var logistics: [LogisticsRow] = []
    public var rejects: [Reject] = []
    /// Greatest timestamp of any accepted row (Int64.min when none).
    public var maxTimestamp: Int64 = .min
    /// A file-level failure; rows above are then kept only with `--keep-partial`.
    public var error: IngestError? = nil
    /// About how many rows the whole file holds (0 = unknown), for sizing merged arrays once.
    var expectedRows = 0

    init(file: InputFile) {
        self.file = file
        self.stats = FileStats(path: file.path, table: file.table)
    }
}

/// Options for reading inputs.
public struct LoadOptions: Sendable {
    public var encoding: EncodingChoice = .auto
    public var aliases: [String: String] = [:]
    public var zone: ZoneRules = .utc
    /// Keep the rows read before a corrupt/truncated gzip error (SPEC 2.2 `--keep-partial`).
    public var keepPartial = false
    public init() {}
    public init(config: Config, zone: ZoneRules) {
        encoding = config.encoding
        aliases = config.aliases
        self.zone = zone
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
    static func load(_ file: InputFile, options: LoadOptions, reader makeReader: ((CSVReadOptions) -> CSVFileReader)? = nil,
                     chunkRows: Int = chunkRows, emit: ((inout FileResult) -> Void)? = nil)
        -> FileResult
    {
        var result = FileResult(file: file)
        var csvOptions = CSVReadOptions(table: file.table)
        csvOptions.encoding = options.encoding
        if file.tsv { csvOptions.delimiter = UInt8(ascii: "\t") }
        let reader = makeReader?(csvOptions) ?? CSVFileReader(path: file.path, options: csvOptions)
        let pool = result.pool
        let chunking = Chunking(rows: emit == nil ? Int.max : max(1, chunkRows), emit: emit)
        do {
            switch file.table {
            case .orders:
                let b = try read(reader, file, options, &result, chunking, make: { map in
                    var b = OrderRowBuilder(header: map, zone: options.zone, pool: pool)
                    b.keepUnusedStrings = false
                    return b
                }, keep: { res, row, seq in
                    var row = row
                    row.seq = seq
                    res.orders.append(row)
                })
                result.stats.invalidAmounts = b?.invalidAmounts ?? 0
            case .tickets:
                _ = try read(reader, file, options, &result, chunking, make: { map in
                    TicketRowBuilder(header: map, zone: options.zone, pool: pool)
                }, keep: { res, row, seq in
                    var row = row
                    row.seq = seq
                    res.tickets.append(row)
                })
            case .logistics:
                _ = try read(reader, file, options, &result, chunking, make: { map in
                    var b = LogisticsRowBuilder(header: map, zone: options.zone, pool: pool)
                    b.keepUnusedStrings = false
                    return b
                }, keep: { res, row, seq in
                    var row = row
                    row.seq = seq
                    res.logistics.append(row)
                })
            }
        } catch let e as IngestError {
            result.error = e
        } catch {
            result.error = .unreadable(path: file.path, message: "\(error)")
        }
        result.stats.accepted = result.rowCount + chunking.emitted
        return result
    }
}

/// What the loader needs of a row builder; the three builders conform. Generic, not an
/// existential, so the row loop is specialised per table.
protocol RowBuilding {
    associatedtype Row
    mutating func build(_ r: RecordView) -> RowResult<Row>
    mutating func use(pool: StringPool)
    var maxTimestamp: Int64 { get }
}

extension OrderRowBuilder: RowBuilding {}
extension TicketRowBuilder: RowBuilding {}
extension LogisticsRowBuilder: RowBuilding {}

extension FileLoader {
    /// Reads the file: the header makes the builder, each record becomes a row (stamped with its
    /// read sequence, SPEC 2.5) or a reject. Returns the builder for its counters.
    static func read<B: RowBuilding>(
        _ reader: CSVFileReader, _ file: InputFile, _ options: LoadOptions, _ result: inout FileResult,
        _ chunking: Chunking, make: (HeaderMap) -> B, keep: (inout FileResult, B.Row, ReadSeq) -> Void
    ) throws -> B? {
        var builder: B? = nil
        let seqBase = Int64(file.rank) << 32
        let info = try reader.read(
            header: { h in
                builder = make(try HeaderMap(table: file.table, header: h, aliases: options.aliases, path: file.path))
                if let n = reader.expectedRecords {
                    result.expectedRows = n
                    result.reserve(min(n, chunking.rows))
                }
            },
            record: { r in
                result.stats.rowsRead += 1
                switch builder!.build(r) {
                case .row(let row):
                    keep(&result, row, seqBase | Int64(r.record))
                    if result.rowCount >= chunking.rows {
                        chunking.handOff(&result)
                        builder!.use(pool: result.pool)
                    }
                case .reject(let kind, let reason): result.reject(r, kind, reason)
                }
            },
            reject: { rej in result.csvReject(rej) })
        result.finish(info)
        if let b = builder { result.maxTimestamp = b.maxTimestamp }
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
        swap(&chunk.orders, &result.orders)
        swap(&chunk.tickets, &result.tickets)
        swap(&chunk.logistics, &result.logistics)
        emitted += chunk.rowCount
        emit?(&chunk)
        result.pool = StringPool(capacity: min(rows, FileLoader.chunkRows))
        result.reserve(rows)
    }
}

extension FileResult {
    var rowCount: Int { orders.count + tickets.count + logistics.count }

    /// Room for about `n` rows, taken once: a growing array copies itself into fresh pages at
    /// every doubling, and fresh pages are what a big run pays most for after parsing.
    mutating func reserve(_ n: Int) {
        let n = min(max(n, 0), 1 << 30)
        switch file.table {
        case .orders: orders.reserveCapacity(n)
        case .tickets: tickets.reserveCapacity(n)
        case .logistics: logistics.reserveCapacity(n)
        }
    }

    mutating func reject(_ r: RecordView, _ kind: RejectKind, _ reason: String) {
        rejects.append(Reject(table: file.table, location: r.location, kind: kind, reason: reason, raw: r.strings()))
        stats.rejectedByKind[kind, default: 0] += 1
    }

    /// A reject found by the CSV layer: the record never reached a builder, but it was read.
    mutating func csvReject(_ rej: Reject) {
        var rej = rej
        rej.table = file.table
        rejects.append(rej)
        stats.rowsRead += 1
        stats.rejectedByKind[rej.kind, default: 0] += 1
    }

    mutating func finish(_ info: FileReadInfo) {
        stats.bytes = info.bytes
        stats.sha256 = info.sha256
        stats.gzip = info.gzip
        stats.encoding = info.encoding
    }
}
