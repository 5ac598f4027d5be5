import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The record side of the parser, driven by libcsv's callbacks: copies each field, trimmed, into
/// one reused buffer; at the end of a record takes the header, or checks the field count and the
/// text (UTF-8, or GB18030 converted with iconv) and hands out a `RecordView` or a `Reject`.
/// No allocation per field or record once the buffers are warm.
final class RecordAssembler {
    let name: String
    let options: CSVReadOptions
    let gb18030: Bool
    /// How the encoding was chosen, for a header that does not decode.
    var encodingNote = ""
    private let converter: GB18030Converter?
    private let headerSink: (RecordView) throws -> Void
    private let recordSink: (RecordView) -> Void
    private let rejectSink: (Reject) -> Void

    // The record being built (trimmed fields back to back) and its GB18030 → UTF-8 conversion.
    private var fields = ByteBuffer(capacity: 64 * 1024)
    private var ends = IntBuffer(capacity: 64)
    private var converted = ByteBuffer(capacity: 16)
    private var convertedEnds = IntBuffer(capacity: 16)

    /// The 1-based line the current record started on (kept by the line feeder).
    var recordStartLine = 1
    private var nextIndex = 0  // record index; the header is 0
    private var headerNames: [String] = []
    private(set) var headerCount = -1
    private(set) var dataRecords = 0
    /// An error raised inside a callback (libcsv cannot be stopped there); thrown by the feeder.
    private(set) var failure: (any Error)?

    init(
        name: String, options: CSVReadOptions, gb18030: Bool,
        header: @escaping (RecordView) throws -> Void,
        record: @escaping (RecordView) -> Void,
        reject: @escaping (Reject) -> Void
    ) {
        self.name = name
        self.options = options
        self.gb18030 = gb18030
        self.converter = gb18030 ? GB18030Converter() : nil
        self.headerSink = header
        self.recordSink = record
        self.rejectSink = reject
    }

    func free() {
        fields.free()
        ends.free()
        converted.free()
        convertedEnds.free()
    }

    /// Forgets the fields of an abandoned record.
    func clear() {
        fields.count = 0
        ends.count = 0
    }

    /// cb1: copy the field, trimmed of spaces and tabs (quoted or not, SPEC 2.6).
    @inline(__always)
    func addField(_ b: ByteView) {
        let n = b.count
        if n > 0 {
            var s = 0
            var e = n
            // Space and tab are both ≤ 0x20: one test per end keeps the loops off the usual path.
            if b[0] <= 0x20 || b[n - 1] <= 0x20 {
                while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
                while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
            }
            if e > s { fields.append(b.slice(s, e)) }
        }
        ends.append(fields.count)
    }

    /// cb2: one complete record.
    func endRecord() {
        defer { clear() }
        if failure != nil { return }
        let index = nextIndex
        nextIndex += 1
        let line = recordStartLine
        // Built only where a reject or the header needs it (it retains the file name).
        var location: RowLocation { RowLocation(file: name, line: line, record: index) }
        if headerCount < 0 {
            takeHeader(location)
            return
        }
        dataRecords += 1
        if ends.count != headerCount {
            reject(.fieldCount, "expected \(headerCount) fields, got \(ends.count)", location, raw: rawFields())
            return
        }
        if UTF8Scan.isCleanASCII(fields.view) {
            recordSink(view(fields, ends, line, index))
            return
        }
        switch checkText() {
        case .ok:
            recordSink(view(fields, ends, line, index))
        case .converted:
            recordSink(view(converted, convertedEnds, line, index))
        case .bad(let reason):
            reject(.encoding, reason, location, raw: rawFields())
        }
    }

    /// A record the feeder gave up on (syntax error, over the caps, open quote at the end):
    /// a reject, or a file-level error when it was to be the header.
    func rejectAbandoned(_ kind: RejectKind, _ reason: String, raw: [String]) throws {
        defer { clear() }
        if headerCount < 0 {
            throw IngestError.badHeader(path: name, line: recordStartLine, message: reason)
        }
        let index = nextIndex
        nextIndex += 1
        dataRecords += 1
        reject(kind, reason, RowLocation(file: name, line: recordStartLine, record: index), raw: raw)
    }

    private func takeHeader(_ location: RowLocation) {
        var useConverted = false
        if !UTF8Scan.isCleanASCII(fields.view) {
            switch checkText() {
            case .ok: break
            case .converted: useConverted = true
            case .bad(let reason):
                failure = IngestError.badHeader(
                    path: name, line: location.line,
                    message: "header " + reason + (encodingNote.isEmpty ? "" : "; " + encodingNote))
                return
            }
        }
        let v =
            useConverted
            ? view(converted, convertedEnds, location.line, location.record)
            : view(fields, ends, location.line, location.record)
        let names = v.strings()
        if names.count == 1 {
            // One column holding another likely delimiter: say so (a European ';' export).
            let hints: [(UInt8, String)] = [
                (UInt8(ascii: ";"), "';'"), (UInt8(ascii: "\t"), "a tab"), (UInt8(ascii: "|"), "'|'"),
                (UInt8(ascii: ","), "','"),
            ]
            for (c, text) in hints where c != options.delimiter && names[0].utf8.contains(c) {
                let shown = names[0].count > 60 ? String(names[0].prefix(60)) + "…" : names[0]
                failure = IngestError.badHeader(
                    path: name, line: location.line,
                    message: "header has 1 column `\(shown)`; the delimiter appears to be \(text)")
                return
            }
        }
        headerNames = names
        headerCount = names.count
        do {
            try headerSink(v)
        } catch {
            failure = error
        }
    }

    private enum TextCheck {
        case ok, converted
        case bad(String)
    }

    /// Slow path for records with non-ASCII or NUL bytes: validate UTF-8, or convert GB18030.
    private func checkText() -> TextCheck {
        if !gb18030 && memchr(fields.base, 0, fields.count) == nil
            && UTF8Scan.firstInvalidUTF8(fields.view) == nil
        {
            // Valid as a whole; valid per field unless a character straddles a field boundary.
            var straddles = false
            for i in 0..<ends.count where ends.base[i] < fields.count && fields.base[ends.base[i]] & 0xC0 == 0x80 {
                straddles = true
                break
            }
            if !straddles { return .ok }
        }
        if gb18030 {
            converted.count = 0
            convertedEnds.count = 0
        }
        var s = 0
        for i in 0..<ends.count {
            let e = ends.base[i]
            let p = fields.base + s
            let n = e - s
            let v = fields.view.slice(s, e)
            if n > 0 && memchr(p, 0, n) != nil {
                return .bad("NUL byte in column \(i + 1)\(columnName(i))")
            }
            if gb18030 {
                if UTF8Scan.isCleanASCII(v) {
                    converted.append(p, n)
                } else if let bad = converter!.convert(v, into: &converted) {
                    let byte = bad < n ? p[bad] : p[n - 1]
                    return .bad("column \(i + 1)\(columnName(i)): invalid GB18030 byte 0x\(TextDecoding.hex(byte))")
                }
                convertedEnds.append(converted.count)
            } else if let bad = UTF8Scan.firstInvalidUTF8(v) {
                return .bad("column \(i + 1)\(columnName(i)): invalid UTF-8 byte 0x\(TextDecoding.hex(p[bad]))")
            }
            s = e
        }
        return gb18030 ? .converted : .ok
    }

    private func columnName(_ i: Int) -> String {
        i < headerNames.count ? " (\(headerNames[i]))" : ""
    }

    private func reject(_ kind: RejectKind, _ reason: String, _ location: RowLocation, raw: [String]) {
        rejectSink(Reject(table: options.table, location: location, kind: kind, reason: reason, raw: raw))
    }

    @inline(__always)
    private func view(_ b: ByteBuffer, _ e: IntBuffer, _ line: Int, _ record: Int) -> RecordView {
        RecordView(parser: self, line: line, record: record, fields: b, ends: e)
    }

    /// The record's fields as text for a reject (GB18030 converted where it decodes; bytes that
    /// do not decode shown as `\xNN`), plus `partial`, libcsv's unfinished field after an error.
    func rawFields(partial: ByteView? = nil) -> [String] {
        var out: [String] = []
        var s = 0
        let all = fields.view
        for i in 0..<ends.count {
            let e = ends.base[i]
            out.append(text(all.slice(s, e)))
            s = e
        }
        if let b = partial, b.count > 0 {
            let more = b.count > 1024
            var from = 0
            let to = more ? 1024 : b.count
            while from < to, b[from] == 0x20 || b[from] == 0x09 { from += 1 }
            out.append(text(b.slice(from, to)) + (more ? "…" : ""))
        }
        return out
    }

    func text(_ b: ByteView) -> String {
        if gb18030, let converter, b.count > 0, !(0..<b.count).contains(where: { b[$0] == 0 }) {
            var tmp = ByteBuffer(capacity: b.count * 2 + 8)
            defer { tmp.free() }
            if converter.convert(b, into: &tmp) == nil {
                return tmp.view.string
            }
        }
        return TextDecoding.escapedString(b)
    }
}
