import SLAFast
import SLAIngest
import SLAModel
import SLAReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The ingest layer as one function of bytes, for libFuzzer (`slareport-fuzz`) and for the
/// regression-corpus test: CSVFileReader → HeaderMap → the table's row builder, as
/// `FileLoader.load` does it, minus the file system.
///
/// Input layout: `[flags] [chunk] payload…`
///
/// - flags bits 0–1: table (0 orders, 1 logistics, 2 tickets, 3 tickets)
/// - flags bits 2–3: encoding option (0 auto, 1 utf-8, 2 gb18030, 3 auto)
/// - flags bit 4: tab delimiter (else comma)
/// - flags bits 5–6: header prepended to the payload (0 none, 1 the table's English header,
///   2 its Chinese header in UTF-8, 3 its Chinese header in GB18030), so the row builders see
///   data rows even when the mutated payload has no valid header; skipped for gzip payloads
///   (a plain header in front of a gzip stream is just a plain file)
/// - flags bit 7: tiny record caps (64 bytes, 3 lines), so the cap paths are reached
/// - chunk bit 3: the row builders skip the strings no metric reads (`keepUnusedStrings` false,
///   as the pipeline runs them)
/// - chunk bits 0–2: how the bytes are handed to the reader, an index into `chunkSizes`. Every
///   chunk is a hand-off between the reader's two threads, so chunks under 7 bytes are used only
///   for payloads up to 1 KiB (a 1-byte chunking of 8 KiB would take half a second a run).
///
/// Inputs shorter than two bytes are read as plain payload with all flags zero.
public enum IngestFuzzHarness {
    public static let chunkSizes = [Int.max, 1, 2, 3, 7, 13, 64, 4096]

    /// How one input is read.
    public struct Setup: Sendable, Equatable {
        public var table: Table
        public var encoding: EncodingChoice
        public var tab: Bool
        public var header: Int
        public var tinyCaps: Bool
        public var chunkSize: Int
        public var keepUnusedStrings = true
    }

    /// What one read produced, comparable across chunk sizes.
    public struct Outcome: Equatable, Sendable, CustomStringConvertible {
        public var header: [String] = []
        public var rows: [String] = []
        public var rejects: [String] = []
        public var error: String?
        public var encoding: String?
        public var records = 0
        /// Lines, record indices and reject kinds of everything seen, hashed (also kept by the
        /// fast path, so the fuzzer can compare chunkings cheaply).
        public var digest: UInt64 = 14_695_981_039_346_656_037

        public var description: String {
            "header \(header)\nrows \(rows.count) \(rows.prefix(5))\nrejects \(rejects.count) \(rejects.prefix(5))\n"
                + "error \(error ?? "-") encoding \(encoding ?? "-") records \(records)"
        }
    }

    /// Splits an input into its setup and payload (the header, if asked for, already prepended).
    public static func decode(_ data: UnsafeRawBufferPointer) -> (Setup, [UInt8]) {
        let flags: UInt8 = data.count >= 2 ? data[0] : 0
        let chunk: UInt8 = data.count >= 2 ? data[1] : 0
        let body = data.count >= 2 ? Array(data[2...]) : Array(data)
        let table: Table = [.orders, .logistics, .tickets, .tickets][Int(flags & 3)]
        let encoding: EncodingChoice = [.auto, .utf8, .gb18030, .auto][Int(flags >> 2 & 3)]
        var setup = Setup(
            table: table, encoding: encoding, tab: flags & 0x10 != 0, header: Int(flags >> 5 & 3),
            tinyCaps: flags & 0x80 != 0, chunkSize: chunkSizes[Int(chunk & 7)], keepUnusedStrings: chunk & 8 == 0)
        var payload: [UInt8] = []
        if setup.chunkSize < 7 && body.count > 1024 { setup.chunkSize = 7 }
        let gzip = body.count >= 2 && body[0] == 0x1F && body[1] == 0x8B
        if setup.header != 0 && !gzip {
            payload = headerLine(table, variant: setup.header, tab: setup.tab)
        }
        payload += body
        return (setup, payload)
    }

    /// Runs one fuzzer input. With `compareWhole`, an input read in chunks is read whole as well,
    /// and a difference in what was seen (lines, record indices, reject kinds, error, encoding)
    /// stops the process: the reader promises the same result for every chunking.
    @discardableResult
    public static func run(_ data: UnsafeRawBufferPointer, collect: Bool = false, compareWhole: Bool = false) -> Outcome
    {
        let (setup, payload) = decode(data)
        let out = read(payload, setup: setup, collect: collect)
        if compareWhole && setup.chunkSize != .max {
            let whole = read(payload, setup: setup, chunkSize: .max, collect: collect)
            precondition(
                whole.records == out.records && whole.digest == out.digest && whole.error == out.error
                    && whole.encoding == out.encoding,
                "chunk size \(setup.chunkSize) reads differently from whole:\n\(out)\nvs whole:\n\(whole)")
        }
        return out
    }

    /// Reads `payload` as `setup` says; `chunkSize` overrides the setup's.
    /// With `collect` false only counts are kept (the fuzzer's fast path).
    public static func read(_ payload: [UInt8], setup: Setup, chunkSize: Int? = nil, collect: Bool = true) -> Outcome {
        var options = CSVReadOptions(table: setup.table)
        options.encoding = setup.encoding
        if setup.tab { options.delimiter = UInt8(ascii: "\t") }
        if setup.tinyCaps {
            options.maxRecordBytes = 64
            options.maxRecordLines = 3
        }
        let reader = CSVFileReader(
            bytes: payload, name: "fuzz.csv", chunkSize: chunkSize ?? setup.chunkSize, options: options)
        let pool = StringPool(capacity: 256)
        var out = Outcome()
        var builder = AnyBuilder.none
        func mix(_ v: Int) { out.digest = (out.digest ^ UInt64(bitPattern: Int64(v))) &* 1_099_511_628_211 }
        func reject(_ location: RowLocation, _ kind: RejectKind, _ reason: String, _ raw: [String]) {
            out.records += 1
            mix(location.line)
            mix(location.record)
            mix(-1 - (RejectKind.allCases.firstIndex(of: kind) ?? 99))
            if collect { out.rejects.append("\(location.line)#\(location.record) \(kind) \(reason) \(raw)") }
        }
        do {
            let info = try reader.read(
                header: { h in
                    let map = try HeaderMap(table: setup.table, header: h, aliases: aliases, path: "fuzz.csv")
                    if collect { out.header = h.strings() }
                    switch setup.table {
                    case .orders:
                        var b = OrderRowBuilder(header: map, zone: zone, pool: pool)
                        b.keepUnusedStrings = setup.keepUnusedStrings
                        builder = .orders(b)
                    case .logistics:
                        var b = LogisticsRowBuilder(header: map, zone: zone, pool: pool)
                        b.keepUnusedStrings = setup.keepUnusedStrings
                        builder = .logistics(b)
                    case .tickets: builder = .tickets(TicketRowBuilder(header: map, zone: zone, pool: pool))
                    case .surveys: builder = .surveys(SurveyRowBuilder(header: map, zone: zone, pool: pool))
                    }
                },
                record: { r in
                    switch builder.build(r, describe: collect) {
                    case .row(let text):
                        out.records += 1
                        mix(r.location.line)
                        mix(r.location.record)
                        if collect { out.rows.append("\(r.location.line)#\(r.location.record) \(text)") }
                    case .reject(let kind, let reason):
                        reject(r.location, kind, reason, r.strings())
                    case nil:
                        preconditionFailure("record before header")
                    }
                },
                reject: { j in reject(j.location, j.kind, j.reason, j.raw) })
            out.encoding = info.encoding
            precondition(info.records == out.records, "FileReadInfo.records \(info.records) != \(out.records) seen")
        } catch let e as IngestError {
            out.error = e.description
        } catch {
            out.error = "\(error)"
        }
        return out
    }

    /// Reads one input whole, then 1 and 7 bytes at a time and at its own chunk size; nil when
    /// all agree (the reader promises identical records, rejects and errors for every chunking),
    /// else what differs.
    public static func chunkingMismatch(_ data: UnsafeRawBufferPointer) -> String? {
        let (setup, payload) = decode(data)
        let whole = read(payload, setup: setup, chunkSize: .max)
        for chunk in [1, 7, setup.chunkSize] where chunk != .max {
            let o = read(payload, setup: setup, chunkSize: chunk)
            if o != whole {
                let firstRow = zip(o.rows, whole.rows).first { $0 != $1 }.map { "\n  \($0.0)\n  \($0.1)" } ?? ""
                let firstReject =
                    zip(o.rejects, whole.rejects).first { $0 != $1 }.map { "\n  \($0.0)\n  \($0.1)" } ?? ""
                return "chunk size \(chunk) differs from whole:\n\(o)\nvs whole:\n\(whole)\(firstRow)\(firstReject)"
            }
        }
        return nil
    }

    // MARK: Fixed parts

    /// A config alias (as `[aliases]` would give), so that path of HeaderMap is taken too.
    static let aliases = ["单号": "ticket_id", "运单": "tracking_no", "订单": "order_id", "x": "nonexistent"]

    /// A zone with DST, so local-time conversion and its gaps and folds are exercised.
    static let zone: ZoneRules = ZoneRules(identifier: "America/New_York") ?? .utc

    /// The table's header in spec order: English names, or the first built-in alias.
    static func headerLine(_ table: Table, variant: Int, tab: Bool) -> [UInt8] {
        let names = HeaderMap.columns(of: table).map { variant == 1 || $0.aliases.isEmpty ? $0.name : $0.aliases[0] }
        let line = Array((names.joined(separator: tab ? "\t" : ",") + "\r\n").utf8)
        return variant == 3 ? gb18030(line) : line
    }

    /// UTF-8 → GB18030 with iconv (the reverse of what the reader does).
    static func gb18030(_ utf8: [UInt8]) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return utf8 }
        defer { iconv_close(cd) }
        var input = utf8.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: utf8.count * 2 + 8)
        let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var ip: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var il = inBuf.count
                var op: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var ol = outBuf.count
                _ = iconv(cd, &ip, &il, &op, &ol)
                return outBuf.count - ol
            }
        }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }
}

extension IngestFuzzHarness.Setup {
    public init(table: Table, encoding: EncodingChoice = .auto, tab: Bool = false, chunkSize: Int = .max) {
        self.init(table: table, encoding: encoding, tab: tab, header: 0, tinyCaps: false, chunkSize: chunkSize)
    }
}

/// The three row builders behind one switch.
private enum AnyBuilder {
    case none
    case orders(OrderRowBuilder)
    case logistics(LogisticsRowBuilder)
    case tickets(TicketRowBuilder)
    case surveys(SurveyRowBuilder)

    enum Result {
        case row(String)
        case reject(RejectKind, String)
    }

    mutating func build(_ r: RecordView, describe: Bool) -> Result? {
        func text<Row>(_ result: RowResult<Row>) -> Result {
            switch result {
            case .row(let row): return .row(describe ? "\(row)" : "")
            case .reject(let kind, let reason): return .reject(kind, reason)
            }
        }
        switch self {
        case .none: return nil
        case .orders(var b):
            let r = text(b.build(r))
            self = .orders(b)
            return r
        case .logistics(var b):
            let r = text(b.build(r))
            self = .logistics(b)
            return r
        case .tickets(var b):
            let r = text(b.build(r))
            self = .tickets(b)
            return r
        case .surveys(var b):
            let r = text(b.build(r))
            self = .surveys(b)
            return r
        }
    }
}
