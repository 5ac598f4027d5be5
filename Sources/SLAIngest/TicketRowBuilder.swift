import SLAFast
import SLAModel

/// Turns ticket records into `TicketRow`s (SPEC 2.3–2.6). Column positions are resolved once, in
/// `init`; `build` allocates nothing unless it rejects.
///
/// Checks, first failure wins: field count; required `ticket_id`, `created_at`, `type` non-empty;
/// every timestamp column readable (in spec order); `type`, `priority`, `responsibility` known.
/// Then `priority` empty → normal, `responsibility` empty → nil, `satisfaction` other than one
/// digit 1–5 → 0 with `satisfactionInvalid` set (row kept), strings interned as written.
public struct TicketRowBuilder: Sendable {
    private var f: FieldReader
    private let cTicket, cOrder, cProduct, cMerchant, cChannel, cAgent, cType, cCategory: Int
    private let cPriority, cSatisfaction, cResponsibility: Int
    private var cStatus, cDue: Int
    /// The row's extra values (one slot per `[tables.tickets.extra]` column), for the loader.
    public private(set) var extraValues: [Int64]

    /// Extra int/decimal values that could not be read (kept as missing).
    public var invalidNumbers: Int { f.invalidNumbers }
    /// Field of each `TicketTime` (by raw value), -1 when absent.
    private let timeCols: [Int]

    /// See `FieldReader.validRange`.
    public var validRange: ClosedRange<Int64> {
        get { f.validRange }
        set { f.validRange = newValue }
    }

    /// Greatest timestamp in any column of the rows accepted so far; `Int64.min` when none.
    public var maxTimestamp: Int64 { f.maxTimestamp }

    public init(header: HeaderMap, zone: ZoneRules, pool: StringPool) {
        precondition(header.table == .tickets, "TicketRowBuilder needs a tickets header")
        f = FieldReader(header: header, zone: zone, pool: pool)
        cTicket = f.required("ticket_id")
        cOrder = f.column("order_id")
        cProduct = f.column("product_id")
        cMerchant = f.column("merchant_id")
        cChannel = f.column("channel")
        cAgent = f.column("agent")
        cType = f.required("type")
        cCategory = f.column("category")
        cPriority = f.column("priority")
        cSatisfaction = f.column("satisfaction")
        cResponsibility = f.column("responsibility")
        timeCols = (0..<9).map { [f] in f.column(TicketTime(rawValue: $0)!.column) }
        cStatus = f.column("status")
        cDue = f.column("due_at")
        extraValues = [Int64](repeating: 0, count: header.extras.count)
    }

    /// Leaves `status` and `due_at` unread when no policy reads them (they never reject a row
    /// or move as_of, so skipping them changes no number).
    public mutating func ignore(_ columns: Set<String>) {
        if columns.contains("status") { cStatus = -1 }
        if columns.contains("due_at") { cDue = -1 }
    }

    /// Interns from now on into `pool` (the ids of rows built so far refer to the previous one).
    public mutating func use(pool: StringPool) {
        f.pool = pool
    }

    public mutating func build(_ r: RecordView) -> RowResult<TicketRow> {
        if r.count != f.header.recordFieldCount { return .reject(.fieldCount, f.fieldCountReason(r)) }
        let cCreated = timeCols[TicketTime.createdAt.rawValue]
        if r[cTicket].count == 0 { return .reject(.missingRequired, f.emptyReason(cTicket)) }
        if r[cCreated].count == 0 { return .reject(.missingRequired, f.emptyReason(cCreated)) }
        if r[cType].count == 0 { return .reject(.missingRequired, f.emptyReason(cType)) }
        var times = TicketTimes()
        var latest = Int64.min
        for k in 0..<timeCols.count {
            let c = timeCols[k]
            guard let t = f.timestamp(r, c) else { return f.timestampReject(r, c) }
            times[TicketTime(rawValue: k)!] = t
            if t > latest { latest = t }
        }
        guard let type = EnumParser.ticketType(r[cType]) else {
            return .reject(.unknownEnum, f.enumReason(r, cType, TicketType.self))
        }
        var priority = Priority.normal
        let pp = FieldReader.field(r, cPriority)
        if pp.count > 0 {
            guard let p = EnumParser.priority(pp) else {
                return .reject(.unknownEnum, f.enumReason(r, cPriority, Priority.self))
            }
            priority = p
        }
        var responsibility: Responsibility? = nil
        let rp = FieldReader.field(r, cResponsibility)
        if rp.count > 0 {
            guard let v = EnumParser.responsibility(rp) else {
                return .reject(.unknownEnum, f.enumReason(r, cResponsibility, Responsibility.self))
            }
            responsibility = v
        }
        if !extraValues.isEmpty, let c = f.readExtras(r, into: &extraValues) {
            return f.timestampReject(r, c)
        }

        var row = TicketRow(ticketID: f.string(r, cTicket), type: type, createdAt: times.createdAt)
        row.times = times
        row.priority = priority
        row.responsibility = responsibility
        row.orderID = f.string(r, cOrder)
        row.product = f.string(r, cProduct)
        row.merchant = f.string(r, cMerchant)
        row.channel = f.string(r, cChannel)
        row.agent = f.string(r, cAgent)
        row.category = f.string(r, cCategory)
        row.status = f.string(r, cStatus)
        row.dueAt = f.deadline(r, cDue)
        let sp = FieldReader.field(r, cSatisfaction)
        if sp.count > 0 {
            if let s = ValueParser.score(sp) { row.satisfaction = s } else { row.satisfactionInvalid = true }
        }
        if latest > f.maxTimestamp { f.maxTimestamp = latest }
        return .row(row)
    }
}
