import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Field readers shared by the row builders. Columns are resolved to field indices once per
/// file; -1 means the file has no such column (every value reads as empty).
package struct FieldReader: Sendable {
    let header: HeaderMap
    /// Where ids are interned; the loader hands each chunk of rows its own (see `FileLoader`).
    var pool: StringPool
    var times: TimestampReader
    /// Greatest timestamp of accepted rows (the default as_of, SPEC 3).
    var maxTimestamp: Int64 = Int64.min

    /// Per extra column: a deadline (read leniently), and counted for as_of.
    let extraIsDeadline: [Bool]
    let extraCountsForAsOf: [Bool]

    init(header: HeaderMap, zone: ZoneRules, pool: StringPool) {
        self.header = header
        self.pool = pool
        self.times = TimestampReader(zone: zone)
        extraIsDeadline = header.extras.map { header.deadlines.contains($0.name) }
        extraCountsForAsOf = header.extras.map { header.clockExtras.contains($0.name) }
    }

    func column(_ name: String) -> Int { header.index(of: name) ?? -1 }

    /// A required column; `HeaderMap` has already refused headers without it.
    func required(_ name: String) -> Int {
        guard let c = header.index(of: name) else { preconditionFailure("header map lacks required column \(name)") }
        return c
    }

    @inline(__always)
    static func field(_ r: RecordView, _ c: Int) -> ByteView {
        c < 0 ? ByteView() : r[c]
    }

    /// The interned value, `.none` when empty or absent. Kept as written.
    @inline(__always)
    func string(_ r: RecordView, _ c: Int) -> StrID {
        let p = FieldReader.field(r, c)
        return p.count == 0 ? StrID.none : pool.intern(p)
    }

    /// Like `string`, but first compares with the previous value of the same column: exports
    /// list a shipment's events together, so the tracking number repeats row after row and
    /// the hash table (a cache miss per lookup at a million entries) is skipped.
    @inline(__always)
    func string(_ r: RecordView, _ c: Int, cache: inout RepeatCache) -> StrID {
        let p = FieldReader.field(r, c)
        if p.count == 0 { return StrID.none }
        if let id = cache.match(p) { return id }
        let id = pool.intern(p)
        cache.remember(p, id)
        return id
    }

    /// Timestamps outside this range are rejected as out of range: before `valid_from`, or
    /// later than the run's wall clock plus two days (sentinel dates must not create centuries of
    /// empty weeks or move as_of). Deadlines only need to be from `valid_from` on.
    var validRange: ClosedRange<Int64> = Int64.min...Int64.max

    /// `.missing` when empty or absent, nil when present but unreadable or out of range.
    @inline(__always)
    mutating func timestamp(_ r: RecordView, _ c: Int) -> Int64? {
        let p = FieldReader.field(r, c)
        if p.count == 0 { return Timestamp.missing }
        guard let t = times.parse(p), validRange.contains(t) else { return nil }
        return t
    }

    /// A deadline column: `.missing` when empty, absent, unreadable or before `valid_from`
    /// (never a reject; it may lie in the future).
    @inline(__always)
    mutating func deadline(_ r: RecordView, _ c: Int) -> Int64 {
        let p = FieldReader.field(r, c)
        if p.count == 0 { return Timestamp.missing }
        guard let t = times.parse(p), t >= validRange.lowerBound else { return Timestamp.missing }
        return t
    }

    /// The reject of a timestamp `timestamp` refused: unreadable, or readable but out of range.
    mutating func timestampReject<Row>(_ r: RecordView, _ c: Int) -> RowResult<Row> {
        if let t = times.parse(FieldReader.field(r, c)), !validRange.contains(t) {
            let why = t < validRange.lowerBound ? "before valid_from" : "more than 2 days after the run's clock"
            return .reject(.timestampOutOfRange, "\(header.label(ofField: c)): '\(r.string(c))' is out of range (\(why))")
        }
        return .reject(.badTimestamp, timestampReason(r, c))
    }

    /// Reads the `[tables.*.extra]` columns into `values` (one slot each, see `ExtraStore`).
    /// Returns the field of an unreadable timestamp (the row is rejected), else nil; an
    /// unreadable number is missing and counted in `invalidNumbers`.
    mutating func readExtras(_ r: RecordView, into values: inout [Int64]) -> Int? {
        let extras = header.extras
        for k in 0..<extras.count {
            let c = header.extraFields[k]
            let p = FieldReader.field(r, c)
            switch extras[k].type {
            case .string:
                values[k] = Int64(p.count == 0 ? StrID.none : pool.intern(p))
            case .timestamp:
                if p.count == 0 {
                    values[k] = Timestamp.missing
                } else if extraIsDeadline[k] {
                    values[k] = deadline(r, c)
                } else if let t = times.parse(p), validRange.contains(t) {
                    values[k] = t
                    if extraCountsForAsOf[k] && t > maxTimestamp { maxTimestamp = t }
                } else {
                    return c
                }
            case .int:
                values[k] = p.count == 0 ? Timestamp.missing : (ValueParser.integer(p) ?? invalidNumber())
            case .decimal:
                values[k] = p.count == 0 ? Timestamp.missing : (ValueParser.cents(p) ?? invalidNumber())
            }
        }
        return nil
    }

    private mutating func invalidNumber() -> Int64 {
        invalidNumbers += 1
        return Timestamp.missing
    }

    /// Accepted-or-not rows whose extra int or decimal could not be read (kept as missing).
    var invalidNumbers = 0

    // Reject reasons. Only built on the reject path, so they may allocate.

    func fieldCountReason(_ r: RecordView) -> String {
        FieldReader.fieldCountReason(header, r)
    }

    package static func fieldCountReason(_ header: HeaderMap, _ r: RecordView) -> String {
        "expected \(header.fieldCount) fields as in the header, found \(r.count)"
    }

    func emptyReason(_ c: Int) -> String { "\(header.label(ofField: c)): required value is empty" }

    func timestampReason(_ r: RecordView, _ c: Int) -> String {
        "\(header.label(ofField: c)): cannot read '\(r.string(c))' as a timestamp"
    }

    func enumReason<E: ByteParsableEnum>(_ r: RecordView, _ c: Int, _: E.Type) -> String {
        "\(header.label(ofField: c)): unknown value '\(r.string(c))' (expected \(EnumParser.expected(E.self)))"
    }
}

/// Number parsing for the non-timestamp value columns.
public enum ValueParser {
    /// An amount in cents: optional sign, digits, optional `.` and decimals (at least one digit in
    /// all; no thousands separators or currency signs). More than two decimals round half away
    /// from zero at the cent, as a cashier rounds (四舍五入): 1.005 → 101, -1.005 → -101.
    /// nil when unreadable or over 15 integer digits.
    @inline(__always)
    public static func cents(_ b: ByteView) -> Int64? {
        let n = b.count
        guard n >= 1 else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D || b[0] == 0x2B {
            negative = b[0] == 0x2D
            i = 1
        }
        var whole: Int64 = 0
        var intDigits = 0
        while i < n, b[i] &- 0x30 <= 9 {
            whole = whole * 10 + Int64(b[i] &- 0x30)
            intDigits += 1
            i += 1
            if intDigits > 15 { return nil }
        }
        var frac: Int64 = 0  // first two decimals
        var fracDigits = 0
        var roundUp = false
        if i < n, b[i] == 0x2E {
            i += 1
            while i < n, b[i] &- 0x30 <= 9 {
                let d = Int64(b[i] &- 0x30)
                if fracDigits < 2 {
                    frac = frac * 10 + d
                } else if fracDigits == 2 {
                    roundUp = d >= 5
                }
                fracDigits += 1
                i += 1
            }
        }
        guard i == n, intDigits + fracDigits > 0 else { return nil }
        if fracDigits == 1 { frac *= 10 }
        let c = whole * 100 + frac + (roundUp ? 1 : 0)
        return negative ? -c : c
    }

    /// An integer: optional sign and 1–18 ASCII digits, else nil.
    @inline(__always)
    public static func integer(_ p: ByteView) -> Int64? {
        let n = p.count
        guard n >= 1 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B {
            negative = p[0] == 0x2D
            i = 1
        }
        guard i < n, n - i <= 18 else { return nil }
        var v: Int64 = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d <= 9 else { return nil }
            v = v * 10 + Int64(d)
            i += 1
        }
        return negative ? -v : v
    }

    /// A satisfaction score: exactly one ASCII digit 1–5 (SPEC 2.6), else nil.
    @inline(__always)
    public static func score(_ p: ByteView) -> UInt8? {
        guard p.count == 1 else { return nil }
        let d = p[0] &- 0x30
        return d >= 1 && d <= 5 ? d : nil
    }

    public static func cents(_ s: String) -> Int64? { ByteView.of(s) { cents($0) } }
    public static func integer(_ s: String) -> Int64? { ByteView.of(s) { integer($0) } }
    public static func score(_ s: String) -> UInt8? { ByteView.of(s) { score($0) } }
}
