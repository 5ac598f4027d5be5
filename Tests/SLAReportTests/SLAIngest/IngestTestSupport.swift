import CZlib
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

#if canImport(Glibc)
    import Glibc
#endif

/// What a read produced, in a form tests can compare across chunk sizes.
struct ReadOutcome: Equatable, CustomStringConvertible {
    struct Row: Equatable {
        var line: Int
        var index: Int
        var fields: [String]
    }
    struct Rej: Equatable {
        var kind: RejectKind
        var line: Int
        var index: Int
        var reason: String
        var raw: [String]
    }
    var header: [String] = []
    var headerLine = 0
    var rows: [Row] = []
    var rejects: [Rej] = []
    /// `IngestError.description` (or the error's text) when the read threw.
    var error: String?
    var ingestError: IngestError?
    var info: FileReadInfo?

    var description: String {
        "header \(header)@\(headerLine)\nrows \(rows.map { "\($0.line)#\($0.index) \($0.fields)" })\n"
            + "rejects \(rejects.map { "\($0.line)#\($0.index) \($0.kind) \($0.reason) \($0.raw)" })\nerror \(error ?? "-")"
    }
}

enum IngestFixture {
    static func options(
        _ table: Table = .tickets, encoding: EncodingChoice = .auto, delimiter: Character = ",",
        maxBytes: Int = 1 << 20, maxLines: Int = 10_000
    ) -> CSVReadOptions {
        var o = CSVReadOptions(table: table)
        o.encoding = encoding
        o.delimiter = delimiter.asciiValue!
        o.maxRecordBytes = maxBytes
        o.maxRecordLines = maxLines
        return o
    }

    static func collect(_ reader: CSVFileReader) -> ReadOutcome {
        var out = ReadOutcome()
        do {
            out.info = try reader.read(
                header: { h in
                    out.header = h.strings()
                    out.headerLine = h.location.line
                },
                record: { r in
                    out.rows.append(.init(line: r.location.line, index: r.location.record, fields: r.strings()))
                },
                reject: { j in
                    out.rejects.append(
                        .init(
                            kind: j.kind, line: j.location.line, index: j.location.record, reason: j.reason, raw: j.raw)
                    )
                })
        } catch let e as IngestError {
            out.error = e.description
            out.ingestError = e
        } catch {
            out.error = "\(error)"
        }
        return out
    }

    static func read(_ bytes: [UInt8], chunk: Int, name: String = "t.csv", _ options: CSVReadOptions) -> ReadOutcome {
        collect(CSVFileReader(bytes: bytes, name: name, chunkSize: chunk, options: options))
    }

    /// Reads `bytes` whole and at chunk sizes 1, 2, 7 and 65536; every chunking must give the
    /// same outcome (records, lines, rejects, errors). Returns the whole-input outcome.
    static func readAllChunkings(
        _ bytes: [UInt8], name: String = "t.csv", _ options: CSVReadOptions = options(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ReadOutcome {
        let whole = read(bytes, chunk: max(bytes.count, 1), name: name, options)
        for chunk in [1, 2, 7, 65536] {
            let o = read(bytes, chunk: chunk, name: name, options)
            #expect(
                o == whole, "chunk size \(chunk) differs:\n\(o)\nvs whole:\n\(whole)", sourceLocation: sourceLocation)
        }
        return whole
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// gzip of `data` with zlib's deflate (windowBits 31 = gzip wrapper).
    static func gzip(_ data: [UInt8]) -> [UInt8] {
        var s = z_stream()
        precondition(CZlib_deflateInit2(&s, 6, 31) == Z_OK)
        defer { deflateEnd(&s) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, UInt(data.count))) + 64)
        var input = data
        let produced: Int = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                s.next_in = inp.baseAddress
                s.avail_in = UInt32(inp.count)
                s.next_out = o.baseAddress
                s.avail_out = UInt32(o.count)
                let r = deflate(&s, Z_FINISH)
                precondition(r == Z_STREAM_END)
                return o.count - Int(s.avail_out)
            }
        }
        return Array(out.prefix(produced))
    }

    /// UTF-8 text re-encoded as GB18030 with iconv (what a Chinese Excel export writes).
    static func gb18030(_ s: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")!
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var out = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let written: Int = input.withUnsafeMutableBytes { i in
            out.withUnsafeMutableBytes { o in
                var ip: UnsafeMutablePointer<CChar>? = i.baseAddress?.assumingMemoryBound(to: CChar.self)
                var il = i.count
                var op: UnsafeMutablePointer<CChar>? = o.baseAddress?.assumingMemoryBound(to: CChar.self)
                var ol = o.count
                precondition(iconv(cd, &ip, &il, &op, &ol) != -1)
                return o.count - ol
            }
        }
        return Array(out.prefix(written))
    }
}
