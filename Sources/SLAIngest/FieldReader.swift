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
            return .reject(
                .timestampOutOfRange, "\(header.label(ofField: c)): '\(r.string(c))' is out of range (\(why))")
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
