import SLAFast
import SLAModel

/// Turns order records into `OrderRow`s (SPEC 2.3–2.6). Column positions are resolved once, in
/// `init`; `build` allocates nothing unless it rejects.
///
/// Checks, first failure wins: field count; required `order_id`, `ordered_at` non-empty; every
/// timestamp column readable (in spec order). An unreadable `amount` is kept as nil and counted in
/// `invalidAmounts` (see `ValueParser.cents` for the accepted form and rounding).
public struct OrderRowBuilder: Sendable {
    private var f: FieldReader
    private let cOrder, cOrdered, cPaid, cShipped, cSigned, cUpdated: Int
    private let cCustomer, cMerchant, cProduct, cCategory, cAmount: Int
    private var cStatus, cPromisedShip, cPromisedDelivery: Int
    /// The row's extra values (one slot per `[tables.orders.extra]` column), for the loader.
    public private(set) var extraValues: [Int64]

    /// See `FieldReader.validRange`.
    public var validRange: ClosedRange<Int64> {
        get { f.validRange }
        set { f.validRange = newValue }
    }

    /// Greatest timestamp in any column of the rows accepted so far; `Int64.min` when none.
    public var maxTimestamp: Int64 { f.maxTimestamp }
    /// Accepted rows whose non-empty `amount` could not be read (kept as missing).
    public private(set) var invalidAmounts = 0
    /// Intern `customer_id`, which no metric reads. The pipeline turns it off: a million
    /// distinct customers would cost hashing and memory for nothing.
    public var keepUnusedStrings = true

    public init(header: HeaderMap, zone: ZoneRules, pool: StringPool) {
        precondition(header.table == .orders, "OrderRowBuilder needs an orders header")
        f = FieldReader(header: header, zone: zone, pool: pool)
        cOrder = f.required("order_id")
        cOrdered = f.required("ordered_at")
        cPaid = f.column("paid_at")
        cShipped = f.column("shipped_at")
        cSigned = f.column("signed_at")
        cUpdated = f.column("updated_at")
        cCustomer = f.column("customer_id")
        cMerchant = f.column("merchant_id")
        cProduct = f.column("product_id")
        cCategory = f.column("category")
        cAmount = f.column("amount")
        cStatus = f.column("status")
        cPromisedShip = f.column("promised_ship_at")
        cPromisedDelivery = f.column("promised_delivery_at")
        extraValues = [Int64](repeating: 0, count: header.extras.count)
    }

    /// Extra int/decimal values that could not be read (kept as missing).
    public var invalidNumbers: Int { f.invalidNumbers }

    /// Leaves these columns unread (as if the file lacked them): the pipeline skips `status`
    /// and the promised times when no policy reads them — they never reject a row or move
    /// as_of, so skipping them changes no number, and a million orders parse faster.
    public mutating func ignore(_ columns: Set<String>) {
        if columns.contains("status") { cStatus = -1 }
        if columns.contains("promised_ship_at") { cPromisedShip = -1 }
        if columns.contains("promised_delivery_at") { cPromisedDelivery = -1 }
    }

    /// Interns from now on into `pool` (the ids of rows built so far refer to the previous one).
    public mutating func use(pool: StringPool) {
        f.pool = pool
    }

    public mutating func build(_ r: RecordView) -> RowResult<OrderRow> {
        if r.count != f.header.recordFieldCount { return .reject(.fieldCount, f.fieldCountReason(r)) }
        if r[cOrder].count == 0 { return .reject(.missingRequired, f.emptyReason(cOrder)) }
        if r[cOrdered].count == 0 { return .reject(.missingRequired, f.emptyReason(cOrdered)) }
        guard let ordered = f.timestamp(r, cOrdered) else { return badTimestamp(r, cOrdered) }
        guard let paid = f.timestamp(r, cPaid) else { return badTimestamp(r, cPaid) }
        guard let shipped = f.timestamp(r, cShipped) else { return badTimestamp(r, cShipped) }
        guard let signed = f.timestamp(r, cSigned) else { return badTimestamp(r, cSigned) }
        guard let updated = f.timestamp(r, cUpdated) else { return badTimestamp(r, cUpdated) }
        if !extraValues.isEmpty, let c = f.readExtras(r, into: &extraValues) { return badTimestamp(r, c) }

        var row = OrderRow(orderID: f.string(r, cOrder), orderedAt: ordered)
        row.paidAt = paid
        row.shippedAt = shipped
        row.signedAt = signed
        row.updatedAt = updated
        if keepUnusedStrings { row.customer = f.string(r, cCustomer) }
        row.merchant = f.string(r, cMerchant)
        row.product = f.string(r, cProduct)
        row.category = f.string(r, cCategory)
        row.status = f.string(r, cStatus)
        row.promisedShipAt = f.deadline(r, cPromisedShip)
        row.promisedDeliveryAt = f.deadline(r, cPromisedDelivery)
        let ap = FieldReader.field(r, cAmount)
        if ap.count > 0 {
            row.amountCents = ValueParser.cents(ap)
            if row.amountCents == nil { invalidAmounts += 1 }
        }
        let latest = max(max(ordered, paid), max(max(shipped, signed), updated))
        if latest > f.maxTimestamp { f.maxTimestamp = latest }
        return .row(row)
    }

    private mutating func badTimestamp(_ r: RecordView, _ c: Int) -> RowResult<OrderRow> {
        f.timestampReject(r, c)
    }
}
