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
    /// Reads one file into typed rows. Never throws: file-level errors land in `result.error`.
    static func load(_ file: InputFile, options: LoadOptions, reader makeReader: ((CSVReadOptions) -> CSVFileReader)? = nil)
        -> FileResult
    {
        var result = FileResult(file: file)
        var csvOptions = CSVReadOptions(table: file.table)
        csvOptions.encoding = options.encoding
        if file.tsv { csvOptions.delimiter = UInt8(ascii: "\t") }
        let reader = makeReader?(csvOptions) ?? CSVFileReader(path: file.path, options: csvOptions)
        let pool = result.pool
        let seqBase = Int64(file.rank) << 32
        do {
            switch file.table {
            case .orders:
                var builder: OrderRowBuilder? = nil
                let info = try reader.read(
                    header: { h in
                        let map = try HeaderMap(table: .orders, header: h, aliases: options.aliases, path: file.path)
                        builder = OrderRowBuilder(header: map, zone: options.zone, pool: pool)
                        builder!.keepUnusedStrings = false
                    },
                    record: { r in
                        result.stats.rowsRead += 1
                        switch builder!.build(r) {
                        case .row(var row):
                            row.seq = seqBase | Int64(r.location.record)
                            result.orders.append(row)
                        case .reject(let kind, let reason):
                            result.reject(r, kind, reason)
                        }
                    },
                    reject: { rej in result.csvReject(rej) })
                result.finish(info)
                if let b = builder {
                    result.maxTimestamp = b.maxTimestamp
                    result.stats.invalidAmounts = b.invalidAmounts
                }
            case .tickets:
                var builder: TicketRowBuilder? = nil
                let info = try reader.read(
                    header: { h in
                        let map = try HeaderMap(table: .tickets, header: h, aliases: options.aliases, path: file.path)
                        builder = TicketRowBuilder(header: map, zone: options.zone, pool: pool)
                    },
                    record: { r in
                        result.stats.rowsRead += 1
                        switch builder!.build(r) {
                        case .row(var row):
                            row.seq = seqBase | Int64(r.location.record)
                            result.tickets.append(row)
                        case .reject(let kind, let reason):
                            result.reject(r, kind, reason)
                        }
                    },
                    reject: { rej in result.csvReject(rej) })
                result.finish(info)
                if let b = builder { result.maxTimestamp = b.maxTimestamp }
            case .logistics:
                var builder: LogisticsRowBuilder? = nil
                let info = try reader.read(
                    header: { h in
                        let map = try HeaderMap(table: .logistics, header: h, aliases: options.aliases, path: file.path)
                        builder = LogisticsRowBuilder(header: map, zone: options.zone, pool: pool)
                        builder!.keepUnusedStrings = false
                    },
                    record: { r in
                        result.stats.rowsRead += 1
                        switch builder!.build(r) {
                        case .row(var row):
                            row.seq = seqBase | Int64(r.location.record)
                            result.logistics.append(row)
                        case .reject(let kind, let reason):
                            result.reject(r, kind, reason)
                        }
                    },
                    reject: { rej in result.csvReject(rej) })
                result.finish(info)
                if let b = builder { result.maxTimestamp = b.maxTimestamp }
            }
        } catch let e as IngestError {
            result.error = e
        } catch {
            result.error = .unreadable(path: file.path, message: "\(error)")
        }
        result.stats.accepted = result.orders.count + result.tickets.count + result.logistics.count
        return result
    }
}

extension FileResult {
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
