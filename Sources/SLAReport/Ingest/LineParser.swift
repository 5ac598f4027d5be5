import CLibCSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits decoded bytes into physical lines (LF, CRLF or CR, found with `memchr`) and feeds
/// libcsv one line at a time, so every record knows the exact line it starts on even after
/// quoted line breaks and blank lines. Between lines it enforces the record caps and resyncs
/// after syntax errors. libcsv's callbacks copy each field, trimmed, into one reused buffer; the
/// record callback checks the field count and the text and hands out a `RecordView`.
final class LineParser {
    private let name: String
    private let options: CSVReadOptions
    private let gb18030: Bool
    private let converter: GB18030Converter?
    private let headerSink: (RecordView) throws -> Void
    private let recordSink: (RecordView) -> Void
    private let rejectSink: (Reject) -> Void

    private let csv: UnsafeMutablePointer<csv_parser>
    private let csvOptions: UInt8

    // The record being built (trimmed fields back to back) and its GB18030 → UTF-8 conversion.
    private var fields = ByteBuffer(capacity: 64 * 1024)
    private var ends = IntBuffer(capacity: 64)
    private var converted = ByteBuffer(capacity: 16)
    private var convertedEnds = IntBuffer(capacity: 16)

    // Position.
    private var line = 1  // current physical line
    private var lineOffset = 0  // bytes of the current line fed before the current piece
    private var recordStartLine = 1
    private var recordBytes = 0
    private var skipping = false  // discarding the rest of a line after an error
    private var pendingCR = false  // the last block ended in CR; an LF next belongs to it
    private var nextIndex = 0  // record index; the header is 0

    private var headerNames: [String] = []
    private var headerCount = -1
    private(set) var dataRecords = 0
    private var failure: (any Error)?

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
        csvOptions = UInt8(CSV_STRICT | CSV_STRICT_FINI)
        csv = .allocate(capacity: 1)
        csv_init(csv, csvOptions)
        csv_set_delim(csv, options.delimiter)
        csv_set_blk_size(csv, 64 * 1024)
        if options.delimiter == UInt8(ascii: "\t") {
            // The default space function treats tab as space; with tab as the delimiter only
            // spaces may be skipped, so empty TSV fields survive.
            csv_set_space_func(csv) { c in c == 0x20 ? 1 : 0 }
        }
    }

    func close() {
        csv_free(csv)
        csv.deallocate()
        fields.free()
        ends.free()
        converted.free()
        convertedEnds.free()
    }

    // MARK: Feeding lines

    /// Feeds `n` bytes, at most `limit` at a time (tests use small limits to vary the chunking).
    func feed(_ p: UnsafePointer<UInt8>, _ n: Int, limit: Int) throws {
        var off = 0
        while off < n {
            let k = min(limit, n - off)
            try feedChunk(p + off, k)
            off += k
        }
    }

    private func feedChunk(_ p: UnsafePointer<UInt8>, _ n: Int) throws {
        var i = 0
        if pendingCR && n > 0 {
            pendingCR = false
            if p[0] == 0x0A {
                // Second half of a CRLF split between chunks: the line was already counted.
                // libcsv skips it between records and keeps it inside a quoted field.
                if !skipping { _ = csv_parse(csv, p, 1, fieldCallback, recordCallback, ctx) }
                i = 1
            }
        }
        // Next LF and next CR, each found once per chunk with memchr (-1 = not looked for yet).
        var nextLF = -1
        var nextCR = -1
        while i < n {
            if nextLF < i {
                if let q = memchr(p + i, 0x0A, n - i) {
                    nextLF = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
                } else {
                    nextLF = n
                }
            }
            if nextCR < i {
                if let q = memchr(p + i, 0x0D, n - i) {
                    nextCR = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
                } else {
                    nextCR = n
                }
            }
            let t = min(nextLF, nextCR)
            if t == n {
                try piece(p + i, n - i, terminated: false)
                break
            }
            var e = t + 1
            if t == nextCR {
                if e < n {
                    if p[e] == 0x0A { e += 1 }
                } else {
                    pendingCR = true
                }
            }
            try piece(p + i, e - i, terminated: true)
            i = e
        }
    }

    /// One piece of a physical line: the whole line with its terminator, or the part of it that
    /// is in this chunk (`terminated` false).
    @inline(__always)
    private func piece(_ p: UnsafePointer<UInt8>, _ n: Int, terminated: Bool) throws {
        if skipping {
            endPiece(n, terminated: terminated)
            if terminated { skipping = false }
            return
        }
        if csv.pointee.pstate == 0 {
            // Between records: if a record starts, it starts on this line.
            // Count the record's bytes from the start of its line, whatever the chunking.
            recordStartLine = line
            if lineOffset == 0 { recordBytes = 0 }
        } else if line - recordStartLine + 1 > options.maxRecordLines {
            try abandonRecord(
                .recordTooLarge,
                "record starting at line \(recordStartLine) spans over \(options.maxRecordLines) lines (runaway quote?)",
                n, terminated: terminated)
            return
        }
        if recordBytes + n > options.maxRecordBytes {
            try abandonRecord(
                .recordTooLarge,
                "record starting at line \(recordStartLine) is over \(Self.sizeText(options.maxRecordBytes)) (runaway quote?)",
                n, terminated: terminated)
            return
        }
        recordBytes += n
        let used = csv_parse(csv, p, n, fieldCallback, recordCallback, ctx)
        if let failure { throw failure }
        if used < n {
            let column = lineOffset + used + 1
            let reason: String
            let kind: RejectKind
            switch Int(csv_error(csv)) {
            case Int(CSV_EPARSE):
                kind = .csvSyntax
                if p[used] == UInt8(ascii: "\"") {
                    reason = "stray quote at line \(line), column \(column)"
                } else {
                    reason = "unexpected character after a closing quote at line \(line), column \(column)"
                }
            default:
                kind = .recordTooLarge
                reason = "record starting at line \(recordStartLine): \(String(cString: csv_strerror(csv_error(csv))))"
            }
            try abandonRecord(kind, reason, n, terminated: terminated)
            return
        }
        endPiece(n, terminated: terminated)
    }

    @inline(__always)
    private func endPiece(_ n: Int, terminated: Bool) {
        if terminated {
            line += 1
            lineOffset = 0
        } else {
            lineOffset += n
        }
    }

    /// Rejects the record in progress, resets libcsv and skips to the next line.
    /// A record over the caps gets no raw fields: how much of it was parsed depends on the
    /// chunking, and the reject must not.
    private func abandonRecord(_ kind: RejectKind, _ reason: String, _ n: Int, terminated: Bool) throws {
        let raw = kind == .recordTooLarge ? [] : rawFields(includePartial: true)
        resetParser()
        try rejectOutsideCallback(kind, reason, raw)
        endPiece(n, terminated: terminated)
        skipping = !terminated
    }

    /// End of input: flush the last record (no final newline) or report an open quote.
    func finish() throws {
        if !skipping {
            let r = csv_fini(csv, fieldCallback, recordCallback, ctx)
            if let failure { throw failure }
            if r != 0 {
                let raw = rawFields(includePartial: true)
                resetParser()
                try rejectOutsideCallback(.csvSyntax, "unterminated quoted field starting at line \(recordStartLine)", raw)
            }
        }
        if headerCount < 0 {
            throw IngestError.badHeader(path: name, line: 1, message: "empty file: no header row")
        }
    }

    /// Discards libcsv's partial record and clears its error status. `csv_fini` would refuse
    /// (and leave the parser inside the quote) with `CSV_STRICT_FINI` set, so drop that first.
    private func resetParser() {
        csv_set_opts(csv, csvOptions & ~UInt8(CSV_STRICT_FINI))
        csv_fini(csv, nil, nil, nil)
        csv_set_opts(csv, csvOptions)
        fields.count = 0
        ends.count = 0
    }

    private func rejectOutsideCallback(_ kind: RejectKind, _ reason: String, _ raw: [String]) throws {
        if headerCount < 0 {
            // The first record is the header: a broken header is a file-level error.
            throw IngestError.badHeader(path: name, line: recordStartLine, message: reason)
        }
        let index = nextIndex
        nextIndex += 1
        dataRecords += 1
        rejectSink(
            Reject(
                table: options.table, location: RowLocation(file: name, line: recordStartLine, record: index),
                kind: kind, reason: reason, raw: raw))
    }

    private static func sizeText(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }

    // MARK: libcsv callbacks

    private var ctx: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// cb1: copy the field, trimmed of spaces and tabs (quoted or not, SPEC 2.6).
    @inline(__always)
    fileprivate func addField(_ p: UnsafeMutableRawPointer?, _ n: Int) {
        if let p, n > 0 {
            let b = p.assumingMemoryBound(to: UInt8.self)
            var s = 0
            var e = n
            while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
            while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
            if e > s { fields.append(b + s, e - s) }
        }
        ends.append(fields.count)
    }

    /// cb2: one complete record.
    fileprivate func endRecord() {
        defer {
            fields.count = 0
            ends.count = 0
        }
        if failure != nil { return }
        let index = nextIndex
        nextIndex += 1
        let location = RowLocation(file: name, line: recordStartLine, record: index)
        if headerCount < 0 {
            takeHeader(location)
            return
        }
        dataRecords += 1
        if ends.count != headerCount {
            reject(.fieldCount, "expected \(headerCount) fields, got \(ends.count)", location)
            return
        }
        if TextDecoding.isCleanASCII(fields.base, fields.count) {
            recordSink(view(fields, ends, location))
            return
        }
        switch checkText() {
        case .ok:
            recordSink(view(fields, ends, location))
        case .converted:
            recordSink(view(converted, convertedEnds, location))
        case .bad(let reason):
            reject(.encoding, reason, location)
        }
    }

    private func takeHeader(_ location: RowLocation) {
        var useConverted = false
        if !TextDecoding.isCleanASCII(fields.base, fields.count) {
            switch checkText() {
            case .ok: break
            case .converted: useConverted = true
            case .bad(let reason):
                failure = IngestError.badHeader(path: name, line: location.line, message: "header " + reason)
                return
            }
        }
        let v = useConverted ? view(converted, convertedEnds, location) : view(fields, ends, location)
        let names = v.strings()
        if names.count == 1 {
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
            && TextDecoding.firstInvalidUTF8(fields.base, fields.count) == nil
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
            if n > 0 && memchr(p, 0, n) != nil {
                return .bad("NUL byte in column \(i + 1)\(columnName(i))")
            }
            if gb18030 {
                if TextDecoding.isCleanASCII(p, n) {
                    converted.append(p, n)
                } else if let bad = converter!.convert(p, n, into: &converted) {
                    let byte = bad < n ? p[bad] : p[n - 1]
                    return .bad("column \(i + 1)\(columnName(i)): invalid GB18030 byte 0x\(TextDecoding.hex(byte))")
                }
                convertedEnds.append(converted.count)
            } else if let bad = TextDecoding.firstInvalidUTF8(p, n) {
                return .bad("column \(i + 1)\(columnName(i)): invalid UTF-8 byte 0x\(TextDecoding.hex(p[bad]))")
            }
            s = e
        }
        return gb18030 ? .converted : .ok
    }

    private func columnName(_ i: Int) -> String {
        i < headerNames.count ? " (\(headerNames[i]))" : ""
    }

    private func reject(_ kind: RejectKind, _ reason: String, _ location: RowLocation) {
        rejectSink(Reject(table: options.table, location: location, kind: kind, reason: reason, raw: rawFields(includePartial: false)))
    }

    @inline(__always)
    private func view(_ b: ByteBuffer, _ e: IntBuffer, _ location: RowLocation) -> RecordView {
        RecordView(
            location: location,
            bytes: UnsafeRawBufferPointer(start: b.base, count: b.count),
            ends: UnsafeBufferPointer(start: e.base, count: e.count))
    }

    /// The record's fields as text for a reject (GB18030 converted where it decodes; bytes that
    /// do not decode shown as `\xNN`), plus libcsv's unfinished field after an error.
    private func rawFields(includePartial: Bool) -> [String] {
        var out: [String] = []
        var s = 0
        for i in 0..<ends.count {
            let e = ends.base[i]
            out.append(text(UnsafeRawBufferPointer(start: fields.base + s, count: e - s)))
            s = e
        }
        var partial = csv.pointee.entry_pos
        if csv.pointee.pstate == 3 {
            // After a closing quote libcsv holds the quote and any spaces after it.
            partial = max(0, partial - csv.pointee.spaces - 1)
        }
        if includePartial, let buf = csv.pointee.entry_buf, partial > 0 {
            var b = UnsafeRawBufferPointer(start: buf, count: min(partial, 1024))
            while let f = b.first, f == 0x20 || f == 0x09 { b = UnsafeRawBufferPointer(rebasing: b.dropFirst()) }
            out.append(text(b) + (partial > 1024 ? "…" : ""))
        }
        return out
    }

    private func text(_ b: UnsafeRawBufferPointer) -> String {
        if gb18030, let converter, let base = b.baseAddress, b.count > 0, memchr(base, 0, b.count) == nil {
            var tmp = ByteBuffer(capacity: b.count * 2 + 8)
            defer { tmp.free() }
            if converter.convert(base, b.count, into: &tmp) == nil {
                return String(decoding: UnsafeRawBufferPointer(start: tmp.base, count: tmp.count), as: UTF8.self)
            }
        }
        return TextDecoding.escapedString(b)
    }
}

/// libcsv callbacks: C function pointers that capture nothing; the parser comes through `data`.
private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    field, length, data in
    Unmanaged<LineParser>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.addField(field, length) }
}

private let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
    Unmanaged<LineParser>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.endRecord() }
}
