import SLAFast
import SLAModel

/// Turns logistics records into `LogisticsRow`s (SPEC 2.3–2.6). Column positions are resolved
/// once, in `init`; `build` allocates nothing unless it rejects.
///
/// Checks, first failure wins: field count; required `tracking_no`, `event`, `event_at`
/// non-empty; `event_at` readable; `event` and `exception` known (`exception` empty → nil).
public struct LogisticsRowBuilder: Sendable {
    private var f: FieldReader
    private let cTracking, cOrder, cCarrier, cEvent, cEventAt, cException: Int

    /// See `FieldReader.validRange`.
    public var validRange: ClosedRange<Int64> {
        get { f.validRange }
        set { f.validRange = newValue }
    }

    /// Greatest `event_at` of the rows accepted so far; `Int64.min` when none.
    public var maxTimestamp: Int64 { f.maxTimestamp }
    /// Intern `order_id` (no metric reads it) and `carrier`. The pipeline turns it off.
    public var keepUnusedStrings = true
    /// Intern `carrier` (the carrier cut reads it) even without `keepUnusedStrings`.
    public var keepCarrier = false
    private var trackingCache = RepeatCache()
    /// A shipment's events repeat its carrier: one cache hit instead of a pool lookup.
    private var carrierCache = RepeatCache()
    /// Extra columns are read and validated (an unreadable timestamp rejects the row), but no
    /// metric uses them on logistics events, so they are not kept.
    public private(set) var extraValues: [Int64]
    public var invalidNumbers: Int { f.invalidNumbers }

    public init(header: HeaderMap, zone: ZoneRules, pool: StringPool) {
        precondition(header.table == .logistics, "LogisticsRowBuilder needs a logistics header")
        f = FieldReader(header: header, zone: zone, pool: pool)
        cTracking = f.required("tracking_no")
        cOrder = f.column("order_id")
        cCarrier = f.column("carrier")
        cEvent = f.required("event")
        cEventAt = f.required("event_at")
        cException = f.column("exception")
        extraValues = [Int64](repeating: 0, count: header.extras.count)
    }

    /// Interns from now on into `pool` (the ids of rows built so far refer to the previous one).
    public mutating func use(pool: StringPool) {
        f.pool = pool
        trackingCache = RepeatCache()
        carrierCache = RepeatCache()
    }

    public mutating func build(_ r: RecordView) -> RowResult<LogisticsRow> {
        if r.count != f.header.recordFieldCount { return .reject(.fieldCount, f.fieldCountReason(r)) }
        if r[cTracking].count == 0 { return .reject(.missingRequired, f.emptyReason(cTracking)) }
        if r[cEvent].count == 0 { return .reject(.missingRequired, f.emptyReason(cEvent)) }
        if r[cEventAt].count == 0 { return .reject(.missingRequired, f.emptyReason(cEventAt)) }
        guard let at = f.timestamp(r, cEventAt) else { return f.timestampReject(r, cEventAt) }
        guard let event = EnumParser.logisticsEvent(r[cEvent]) else {
            return .reject(.unknownEnum, f.enumReason(r, cEvent, LogisticsEventKind.self))
        }
        var exception: ExceptionType? = nil
        let ep = FieldReader.field(r, cException)
        if ep.count > 0 {
            guard let e = EnumParser.exceptionType(ep) else {
                return .reject(.unknownEnum, f.enumReason(r, cException, ExceptionType.self))
            }
            exception = e
        }
        var row = LogisticsRow(trackingNo: f.string(r, cTracking, cache: &trackingCache), event: event, eventAt: at)
        row.exception = exception
        if !extraValues.isEmpty, let c = f.readExtras(r, into: &extraValues) {
            return f.timestampReject(r, c)
        }
        if keepUnusedStrings {
            row.orderID = f.string(r, cOrder)
            row.carrier = f.string(r, cCarrier, cache: &carrierCache)
        } else if keepCarrier {
            row.carrier = f.string(r, cCarrier, cache: &carrierCache)
        }
        if at > f.maxTimestamp { f.maxTimestamp = at }
        return .row(row)
    }
}
