import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How to read one input file.
public struct CSVReadOptions: Sendable {
    public var table: Table
    public var encoding: EncodingChoice = .auto
    /// `,` (default) or tab (`.tsv`).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// A record over this many bytes, or spanning more than `maxRecordLines` lines, is rejected
    /// (a runaway quote must not swallow the file or the memory).
    public var maxRecordBytes = 1 << 20
    public var maxRecordLines = 10_000
    public init(table: Table) { self.table = table }
}

/// What one `read` saw of its file.
public struct FileReadInfo: Sendable, Equatable {
    /// Bytes as stored (compressed size for gzip).
    public var bytes: Int
    /// SHA-256 of the stored bytes, lowercase hex.
    public var sha256: String
    public var gzip: Bool
    /// "utf-8", "utf-8-bom" or "gb18030".
    public var encoding: String
    /// Data records seen (header and blank lines excluded, rejected records included).
    public var records: Int

    public init(bytes: Int, sha256: String, gzip: Bool, encoding: String, records: Int) {
        self.bytes = bytes
        self.sha256 = sha256
        self.gzip = gzip
        self.encoding = encoding
        self.records = records
    }
}

/// Reads one CSV/TSV file (plain or gzip, UTF-8 or GB18030) and hands out its records as
/// `RecordView`s, each with its file, 1-based start line and record index (SPEC 2.2, 2.6).
///
/// For every file a producer thread reads, hashes and (for gzip) inflates into a small bounded
/// queue of 1 MiB blocks, while the calling thread splits lines and parses them with libcsv.
/// Rows handed out before a file-level error (say, a truncated gzip) have already been delivered;
/// the caller decides whether to keep them (`--keep-partial`).
///
/// A reader reads its input once.
public final class CSVFileReader {
    private let path: String
    private let displayName: String
    private let options: CSVReadOptions
    private let memory: [UInt8]?
    private let chunkSize: Int

    /// The first this many decompressed bytes decide `encoding = auto`.
    static let sniffBytes = 1 << 20

    /// About how many records the input holds, from its inflated size and the line length in
    /// the first MiB; nil when the size is unknown (pipes, memory). Set before the header is
    /// handed out, so a loader can size its row arrays once instead of growing them.
    public private(set) var expectedRecords: Int?

    /// Reads a file, or standard input for `"-"`. `displayName` is the name used in rejects and
    /// errors (default: `path`).
    public init(path: String, displayName: String? = nil, options: CSVReadOptions) {
        self.path = path
        self.displayName = displayName ?? path
        self.options = options
        self.memory = nil
        self.chunkSize = Int.max
    }

    /// Reads bytes held in memory, handed to the reader `chunkSize` bytes at a time (tests feed the
    /// same input at many chunk sizes and expect identical results).
    public init(bytes: [UInt8], name: String, chunkSize: Int, options: CSVReadOptions) {
        self.path = name
        self.displayName = name
        self.options = options
        self.memory = bytes
        self.chunkSize = max(1, chunkSize)
    }

    /// Reads the whole input.
    /// - header: called once with the header record (errors it throws propagate, e.g. a HeaderMap error).
    /// - record: each data record whose field count matches the header and whose text decodes.
    /// - reject: CSV-level rejects (field count, syntax, record too large, encoding).
    /// - Throws: `IngestError` for file-level failures (missing or unreadable file, corrupt gzip,
    ///   unsupported encoding, empty file or bad header), or what `header` throws.
    public func read(
        header: (RecordView) throws -> Void,
        record: (RecordView) -> Void,
        reject: (Reject) -> Void
    ) throws -> FileReadInfo {
        let source: ByteSource
        if let memory {
            source = MemoryByteSource(bytes: memory, name: displayName, chunkSize: chunkSize)
        } else {
            source = try FileByteSource(path: path, name: displayName)
        }
        let queue = BlockQueue(blocks: 3, blockSize: 1 << 20)
        let sizeHint = source.decodedSizeHint
        let producer = BlockProducer(source: source, queue: queue)
        producer.start()
        defer { producer.stopAndJoin() }

        let (encoding, records) = try withoutActuallyEscaping(header) { header in
            try withoutActuallyEscaping(record) { record in
                try withoutActuallyEscaping(reject) { reject in
                    try consume(queue: queue, sizeHint: sizeHint, header: header, record: record, reject: reject)
                }
            }
        }
        producer.join()
        return FileReadInfo(
            bytes: producer.rawBytes, sha256: producer.sha256, gzip: producer.gzip,
            encoding: encoding, records: records)
    }

    /// The consumer side: sniff the encoding from the first MiB, then parse block by block.
    private func consume(
        queue: BlockQueue,
        sizeHint: Int?,
        header: @escaping (RecordView) throws -> Void,
        record: @escaping (RecordView) -> Void,
        reject: @escaping (Reject) -> Void
    ) throws -> (String, Int) {
        // Sniff window: copied once, so blocks go back to the producer at once.
        var sniff = ByteBuffer(capacity: 64 * 1024)
        defer { sniff.free() }
        var atEOF = false
        // A stream error (say, a truncated gzip) inside the first MiB is thrown only after the
        // rows before it are parsed, as one later in the file is: `--keep-partial` keeps them.
        var pending: IngestError? = nil
        while sniff.count < Self.sniffBytes {
            let next: BlockQueue.Block?
            do { next = try queue.next() } catch {
                pending = error
                atEOF = true
                break
            }
            guard let block = next else {
                atEOF = true
                break
            }
            sniff.append(block.bytes)
            queue.release(block)
        }
        let window = sniff.view
        if let message = TextDecoding.unsupportedEncoding(window) {
            throw IngestError.unsupportedEncoding(path: displayName, message: message)
        }
        var start = 0
        let bom = sniff.count >= 3 && sniff[0] == 0xEF && sniff[1] == 0xBB && sniff[2] == 0xBF
        if bom { start = 3 }

        let gb: Bool
        var why: String
        switch options.encoding {
        case .utf8:
            gb = false
            why = "read as UTF-8 (encoding = \"utf-8\")"
        case .gb18030:
            gb = true
            why = "read as GB18030 (encoding = \"gb18030\")"
        case .auto:
            let n = min(sniff.count - start, Self.sniffBytes)
            let cut = n < sniff.count - start || !atEOF || pending != nil
            if bom {
                gb = false
                why = "read as UTF-8 (the file starts with a UTF-8 byte-order mark)"
            } else {
                let e = UTF8Scan.utf8Evidence(window.slice(start, start + n), allowCutEnd: cut)
                gb = TextDecoding.looksLikeGB18030(valid: e.valid, invalid: e.invalid)
                why =
                    "read as \(gb ? "GB18030" : "UTF-8") (encoding = \"auto\": the first \(n) bytes hold \(e.valid) valid"
                    + " multi-byte UTF-8 sequences and \(e.invalid) invalid ones; set encoding in the config to force one)"
            }
        }
        let encodingName = gb ? "gb18030" : (bom ? "utf-8-bom" : "utf-8")
        if gb && !GB18030Converter().isAvailable {
            throw IngestError.unsupportedEncoding(path: displayName, message: "iconv has no GB18030 converter")
        }

        expectedRecords = sizeHint.map { Self.estimateRecords(total: $0, sample: window) }
        let records = RecordAssembler(
            name: displayName, options: options, gb18030: gb,
            header: header, record: record, reject: reject)
        records.encodingNote = why
        defer { records.free() }
        let parser = LineParser(options: options, records: records)
        defer { parser.close() }

        try parser.feed(sniff.view.slice(start, sniff.count), limit: chunkSize)
        // The last line before the error is cut short: not finished, not a record.
        if let pending { throw pending }
        if !atEOF {
            while let block = try queue.next() {
                defer { queue.release(block) }
                try parser.feed(block.bytes, limit: chunkSize)
            }
        }
        try parser.finish()
        return (encodingName, records.dataRecords)
    }

    /// Lines in `total` bytes at the density of `sample` (at least 1 KiB of it), 2 % over.
    /// Once per file, so the line feeds are counted with the view's subscript, no pointers.
    static func estimateRecords(total: Int, sample: ByteView) -> Int {
        guard sample.count > 0 else { return 0 }
        var lines = 0
        for i in 0..<sample.count where sample[i] == 0x0A { lines += 1 }
        if sample.count >= total { return lines + 1 }
        let perLine = Double(sample.count) / Double(max(lines, 1))
        return Int(Double(total) / perLine * 1.02) + 16
    }
}
