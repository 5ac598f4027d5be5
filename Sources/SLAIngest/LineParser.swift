import CLibCSV
import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits decoded bytes into physical lines (LF, CRLF or CR, found with `memchr`) and feeds
/// libcsv one line at a time, so every record knows the exact line it starts on even after
/// quoted line breaks and blank lines. Between lines it enforces the record caps and resyncs at
/// the next line after a syntax error. The fields and records go to a `RecordAssembler`.
///
/// Only libcsv's public API is used (csv.h): whether a record is open between lines is tracked
/// here (`recordOpen`, from the quotes fed), and the unfinished field of a rejected record is
/// read back through `csv_fini`'s field callback (`discardRecord`).
final class LineParser {
    private let options: CSVReadOptions
    private let records: RecordAssembler
    // Safe: `ctx` is `records` unretained, which this parser holds strongly for its whole life;
    // `csv` is allocated and initialised in `init` and freed only by `close()`.
    private let ctx: UnsafeMutableRawPointer
    private let csv: UnsafeMutablePointer<csv_parser>
    private let csvOptions: UInt8

    private var line = 1  // current physical line
    private var lineOffset = 0  // bytes of the current line fed before the current piece
    private var recordBytes = 0  // bytes of the current record, from the start of its first line
    private var skipping = false  // discarding the rest of a line after an error
    private var pendingCR = false  // the last chunk ended in CR; an LF next belongs to it
    /// libcsv holds a record begun before the next piece (a quoted field open across a line
    /// end, or a line fed in pieces). At a line start it is `inQuotes`: libcsv is strict, so
    /// outside a syntax error (which resets it) the quotes fed since the record began toggle
    /// exactly in and out of a quoted field.
    private var recordOpen = false
    private var inQuotes = false
    /// The unfinished field `discardRecord` reads back from libcsv.
    private var partial: [UInt8] = []

    init(options: CSVReadOptions, records: RecordAssembler) {
        self.options = options
        self.records = records
        ctx = Unmanaged.passUnretained(records).toOpaque()
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
    }

    private var recordStartLine: Int {
        get { records.recordStartLine }
        set { records.recordStartLine = newValue }
    }

    // MARK: Feeding lines

    /// Feeds the bytes of `view` (see `feed(_:limit:)` for spans).
    func feed(_ view: ByteView, limit: Int) throws {
        // Safe: the span is used only inside the closure, while `view`'s bytes are alive.
        try view.withUnsafeBytes { try feed($0.bytes, limit: limit) }
    }

    /// Feeds `bytes`, at most `limit` at a time (tests use small limits to vary the chunking).
    func feed(_ bytes: RawSpan, limit: Int) throws {
        assert(limit > 0, "LineParser.feed: limit must be positive")
        // Safe: bytes are plain UInt8 (no other type is bound there), and each chunk
        // p + off ..< p + off + k lies inside b (off + k <= b.count).
        try bytes.withUnsafeBytes { b in
            guard let base = b.baseAddress else { return }
            let p = base.assumingMemoryBound(to: UInt8.self)
            var off = 0
            while off < b.count {
                let k = min(limit, b.count - off)
                assert(off >= 0 && k > 0 && off + k <= b.count)
                try feedChunk(p + off, k)
                off += k
            }
        }
    }

    // Safe: `p` points at `n` readable bytes (a chunk of `feed`'s span); every read and memchr
    // below stays in 0..<n: p[0] when n > 0, memchr from an index <= n for the rest of the chunk,
    // p[e] when e < n, and pieces p + i ..< p + e with i < e <= n.
    private func feedChunk(_ p: UnsafePointer<UInt8>, _ n: Int) throws {
        assert(n >= 0, "feedChunk: negative length")
        var i = 0
        if pendingCR && n > 0 {
            pendingCR = false
            if p[0] == 0x0A {
                // Second half of a CRLF split between chunks: the line was already counted.
                // libcsv skips it between records and keeps it inside a quoted field.
                if !skipping { _ = csv_parse(csv, p, 1, csvFieldCallback, csvRecordCallback, ctx) }
                i = 1
            }
        }
        // Next LF and next CR, each found once per chunk with memchr (-1 = not looked for yet).
        var nextLF = -1
        var nextCR = -1
        var nextQuote = -1  // and the next quote, for `inQuotes`
        // Quotes in bytes a..<e (pieces are consecutive, so each quote is found once).
        func quotes(_ a: Int, _ e: Int) -> Int {
            var q = 0
            var from = a
            while true {
                if nextQuote < from {
                    assert(from >= 0 && from <= n)
                    if let r = memchr(p + from, 0x22, n - from) {
                        nextQuote = UnsafePointer<UInt8>(r.assumingMemoryBound(to: UInt8.self)) - p
                    } else {
                        nextQuote = n
                    }
                }
                if nextQuote >= e { return q }
                q += 1
                from = nextQuote + 1
            }
        }
        while i < n {
            assert(i >= 0 && i < n)
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
                try piece(p + i, n - i, terminated: false, quotes: quotes(i, n))
                break
            }
            var e = t + 1
            assert(i < e && e <= n)
            if t == nextCR {
                if e < n {
                    if p[e] == 0x0A { e += 1 }
                } else {
                    pendingCR = true
                }
            }
            try piece(p + i, e - i, terminated: true, quotes: quotes(i, e))
            i = e
        }
    }

    /// One piece of a physical line: the whole line with its terminator, or the part of it that
    /// is in this chunk (`terminated` false), holding `quotes` quote characters.
    @inline(__always)
    // Safe: `p` points at the piece's `n` bytes (inside the chunk); p[n - 1] and p[n - 2] are read
    // only when n >= 2, and libcsv is given at most n bytes (allowed <= n, see below).
    private func piece(_ p: UnsafePointer<UInt8>, _ n: Int, terminated: Bool, quotes: Int) throws {
        assert(n >= 0, "piece: negative length")
        if skipping {
            appendTail(p, n)
            endPiece(n, terminated: terminated)
            if terminated {
                skipping = false
                try emitPendingSyntax()
            }
            return
        }
        if !recordOpen {
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
        // The LF of a CRLF is not counted: split from its CR by a chunk boundary it is fed alone.
        let counted = terminated && n >= 2 && p[n - 1] == 0x0A && p[n - 2] == 0x0D ? n - 1 : n
        if recordBytes + counted > options.maxRecordBytes {
            // Feed exactly up to the cap first, so a syntax error before it is reported the
            // same way whatever the chunking; the record cannot end there (no terminator).
            let allowed = max(0, options.maxRecordBytes - recordBytes)
            assert(allowed < counted && counted <= n, "the cap cuts inside this piece")
            if allowed > 0 {
                let used = csv_parse(csv, p, allowed, csvFieldCallback, csvRecordCallback, ctx)
                if let failure = records.failure { throw failure }
                if used < allowed {
                    try syntaxError(p, at: used, n, terminated: terminated)
                    return
                }
            }
            try abandonRecord(
                .recordTooLarge,
                "record starting at line \(recordStartLine) is over \(Self.sizeText(options.maxRecordBytes)) (runaway quote?)",
                n, terminated: terminated)
            return
        }
        recordBytes += counted
        let used = csv_parse(csv, p, n, csvFieldCallback, csvRecordCallback, ctx)
        if let failure = records.failure { throw failure }
        if used < n {
            try syntaxError(p, at: used, n, terminated: terminated)
            return
        }
        if quotes & 1 != 0 { inQuotes.toggle() }
        // A line end outside quotes ends the record (blank lines begin none). Inside a line the
        // record counts as open: a piece that began none was spaces only, and taking it as open
        // keeps `recordStartLine` at this line all the same.
        recordOpen = terminated ? inQuotes : true
        endPiece(n, terminated: terminated)
    }

    /// libcsv stopped at byte `used` of a piece of `n` bytes: reject the record and resync at
    /// the next line.
    @inline(never)
    // Safe: libcsv stopped at byte `used` of the `n` it was given, so used < n and p[used] and
    // p + used ..< p + n lie inside the piece.
    private func syntaxError(_ p: UnsafePointer<UInt8>, at used: Int, _ n: Int, terminated: Bool) throws {
        assert(used >= 0 && used < n, "syntaxError: libcsv stopped outside the piece")
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
        if kind == .csvSyntax {
            // libcsv stopped inside the line: the reject waits for the rest of the line (maybe in
            // later chunks), so rejects.csv shows what the line held after the stray quote, the
            // same whatever the chunking.
            pendingSyntax = (reason, rawFieldsOfDiscarded(afterSyntaxError: true), [])
            appendTail(p + used, n - used)
            endPiece(n, terminated: terminated)
            skipping = !terminated
            if terminated { try emitPendingSyntax() }
            return
        }
        try abandonRecord(kind, reason, n, terminated: terminated)
    }

    /// A syntax reject waiting for the end of its line: reason, raw fields, the line's rest.
    private var pendingSyntax: (reason: String, raw: [String], tail: [UInt8])? = nil

    // Safe: `p` points at `n` bytes of the piece; p[k - 1] is read for 0 < k <= n and at most
    // min(k, room) <= n bytes are copied.
    private func appendTail(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard pendingSyntax != nil, n > 0 else { return }
        var k = n
        while k > 0 && (p[k - 1] == 0x0A || p[k - 1] == 0x0D) { k -= 1 }
        let room = 1025 - pendingSyntax!.tail.count
        if room > 0 { pendingSyntax!.tail.append(contentsOf: UnsafeBufferPointer(start: p, count: min(k, room))) }
    }

    private func emitPendingSyntax() throws {
        guard let pending = pendingSyntax else { return }
        pendingSyntax = nil
        var raw = pending.raw
        var tail = pending.tail
        var more = false
        if tail.count > 1024 {
            tail.removeLast(tail.count - 1024)
            more = true
        }
        // Safe: the view of `tail` is used only for the call and does not escape it.
        let text = tail.withUnsafeBytes { records.text(ByteView($0)) } + (more ? "…" : "")
        if !text.isEmpty {
            if raw.isEmpty { raw = [text] } else { raw[raw.count - 1] += text }
        }
        try records.rejectAbandoned(.csvSyntax, pending.reason, raw: raw)
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
        let raw = kind == .recordTooLarge ? [] : rawFieldsOfDiscarded(afterSyntaxError: false)
        resetParser()
        try records.rejectAbandoned(kind, reason, raw: raw)
        endPiece(n, terminated: terminated)
        skipping = !terminated
    }

    /// End of input: flush the last record (no final newline) or report an open quote.
    func finish() throws {
        try emitPendingSyntax()
        if !skipping {
            let r = csv_fini(csv, csvFieldCallback, csvRecordCallback, ctx)
            if let failure = records.failure { throw failure }
            if r != 0 {
                let raw = rawFieldsOfDiscarded(afterSyntaxError: false)
                try records.rejectAbandoned(
                    .csvSyntax, "unterminated quoted field starting at line \(recordStartLine)", raw: raw)
            }
        }
        if records.headerCount < 0 {
            throw IngestError.badHeader(path: records.name, line: 1, message: "empty file: no header row")
        }
    }

    /// Discards libcsv's partial record and clears its error status.
    private func resetParser() {
        _ = discardRecord()
        records.clear()
    }

    /// The raw fields of the record being given up (its complete fields and the unfinished one),
    /// then discards it. `afterSyntaxError`: libcsv stopped at a byte it refused.
    private func rawFieldsOfDiscarded(afterSyntaxError: Bool) -> [String] {
        let field = discardRecord(afterSyntaxError: afterSyntaxError)
        defer { records.clear() }
        // Safe: the view of `field` is used only for the call (rawFields copies it to Strings).
        return field.withUnsafeBytes { records.rawFields(partial: $0.isEmpty ? nil : ByteView($0)) }
    }

    /// Ends libcsv's record in progress without handing it on and returns its unfinished field
    /// as libcsv holds it (nothing when none), through `csv_fini`'s field callback.
    /// `csv_fini` would refuse (and leave the parser inside the quote) with `CSV_STRICT_FINI`
    /// set, so that is dropped for the call. It hands out an unquoted field without its trailing
    /// spaces, which the raw text keeps: after a syntax error a sentinel byte is fed first, which
    /// ends up after those spaces when the field is unquoted (libcsv keeps refusing it after a
    /// closing quote, where the spaces are dropped anyway), and is cut off again.
    private func discardRecord(afterSyntaxError: Bool = false) -> [UInt8] {
        var sentinel = false
        if afterSyntaxError {
            // Neither space, tab, quote, delimiter nor line end: an ordinary field byte.
            var b: UInt8 = options.delimiter == 1 ? 2 : 1
            // Safe: libcsv reads the one byte of `b`, inside the closure; no callbacks are given.
            sentinel = withUnsafeBytes(of: &b) { csv_parse(csv, $0.baseAddress, 1, nil, nil, nil) } == 1
        }
        partial.removeAll(keepingCapacity: true)
        csv_set_opts(csv, csvOptions & ~UInt8(CSV_STRICT_FINI))
        csv_fini(csv, Self.takePartial, nil, Unmanaged.passUnretained(self).toOpaque())
        csv_set_opts(csv, csvOptions)
        recordOpen = false
        inQuotes = false
        if sentinel && !partial.isEmpty { partial.removeLast() }
        return partial
    }

    /// `csv_fini`'s field callback for `discardRecord`.
    private static let takePartial: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
        p, n, me in
        guard let p, let me, n > 0 else { return }
        // Safe: `me` is the LineParser `discardRecord` passed (alive: it is making the call), and
        // libcsv hands a field of `n` bytes valid for the callback; they are copied at once.
        let parser = Unmanaged<LineParser>.fromOpaque(me).takeUnretainedValue()
        parser.partial.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
    }

    private static func sizeText(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }
}

/// libcsv callbacks: C function pointers that capture nothing; the assembler comes through `data`.
private let csvFieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    field, length, data in
    // Safe: libcsv passes back the context LineParser gave it (its RecordAssembler, alive for
    // the parser's life) and a field of `length` bytes valid for the call.
    assert(data != nil && (field != nil || length == 0))
    Unmanaged<RecordAssembler>.fromOpaque(data.unsafelyUnwrapped)._withUnsafeGuaranteedRef {
        $0.addField(ByteView(UnsafeRawBufferPointer(start: field, count: length)))
    }
}

private let csvRecordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, data in
    // Safe: libcsv passes back the context LineParser gave it (its RecordAssembler, alive for
    // the parser's life).
    assert(data != nil)
    Unmanaged<RecordAssembler>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.endRecord() }
}
