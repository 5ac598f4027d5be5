import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

private let h: Int64 = 3600
/// 2026-03-05 00:00Z: day 20454 (2026-01-01) + 31 + 28 + 4 = 20517 → × 86400.
private let mar5: Int64 = 1_772_668_800
private let shanghai = ZoneRules(identifier: "Asia/Shanghai")!

// Column numbers match the reject examples of the brief: created_at is column 3, type column 4,
// 首次响应时间 column 5.
private let ticketHeader = [
    "ticket_id", "order_id", "created_at", "type", "首次响应时间", "priority", "responsibility", "satisfaction",
    "updated_at", "channel", "agent", "category", "解决时间",
]
private let goodTicket = [
    "T1", "O1", "2026-03-05 10:00", "complaint", "2026-03-05 10:30", "urgent", "商家", "4",
    "2026-03-06 09:00:00", "Web", "张三", "屏幕", "2026-03-05T12:00:00+08:00",
]

/// `goodTicket` with some fields replaced (by 0-based index), built in Asia/Shanghai.
private func buildTicket(_ changes: [Int: String], pool: StringPool = StringPool()) throws -> RowResult<TicketRow> {
    var fields = goodTicket
    for (i, v) in changes { fields[i] = v }
    var b = TicketRowBuilder(header: try headerMap(.tickets, ticketHeader), zone: shanghai, pool: pool)
    return withRecord(fields) { b.build($0) }
}

@Suite struct RowsTicketBuilderTests {
    @Test func readsAGoodRow() throws {
        let pool = StringPool()
        var b = TicketRowBuilder(header: try headerMap(.tickets, ticketHeader), zone: shanghai, pool: pool)
        #expect(b.maxTimestamp == Int64.min)
        let row = try #require(withRecord(goodTicket) { b.build($0) }.row)
        #expect(pool.string(row.ticketID) == "T1")
        #expect(pool.string(row.orderID) == "O1")
        #expect(row.type == .complaint)
        #expect(row.priority == .urgent)
        #expect(row.responsibility == .merchant)
        #expect(row.satisfaction == 4 && !row.satisfactionInvalid)
        #expect(row[.createdAt] == mar5 + 2 * h)  // 10:00 +08:00 = 02:00Z
        #expect(row[.firstResponseAt] == mar5 + 2 * h + 1800)
        #expect(row[.resolvedAt] == mar5 + 4 * h)  // 12:00+08:00 = 04:00Z
        #expect(row[.updatedAt] == mar5 + 86_400 + 1 * h)  // 03-06 09:00 +08:00 = 01:00Z
        #expect(row[.surveyedAt] == Timestamp.missing)  // column absent
        #expect(row[.escalatedAt] == Timestamp.missing)
        #expect(pool.string(row.channel) == "Web")
        #expect(pool.string(row.agent) == "张三")
        #expect(pool.string(row.category) == "屏幕")
        #expect(row.merchant == StrID.none && row.product == StrID.none)
        #expect(row.seq == 0)  // the caller sets it
        #expect(b.maxTimestamp == mar5 + 86_400 + 1 * h)  // updated_at counts
    }

    @Test(arguments: [
        // field index (0-based), value, reject kind, reason
        (2, "", RejectKind.missingRequired, "column 3 (created_at): required value is empty"),
        (0, "", .missingRequired, "column 1 (ticket_id): required value is empty"),
        (3, "", .missingRequired, "column 4 (type): required value is empty"),
        (
            4, "2026-02-30 10:00", .badTimestamp,
            "column 5 (首次响应时间 → first_response_at): cannot read '2026-02-30 10:00' as a timestamp"
        ),
        (2, "N/A", .badTimestamp, "column 3 (created_at): cannot read 'N/A' as a timestamp"),
        (8, "45123", .badTimestamp, "column 9 (updated_at): cannot read '45123' as a timestamp"),
        (12, "0001-01-01", .badTimestamp, "column 13 (解决时间 → resolved_at): cannot read '0001-01-01' as a timestamp"),
        (
            3, "foo", .unknownEnum,
            "column 4 (type): unknown value 'foo' (expected inquiry, return, exchange, repair, refund, complaint or 咨询, 退货, 换货, 维修, 退款, 投诉)"
        ),
        (
            5, "high", .unknownEnum,
            "column 6 (priority): unknown value 'high' (expected normal, urgent, major or 普通, 紧急, 重大)"
        ),
        (
            6, "顾客", .unknownEnum,
            "column 7 (responsibility): unknown value '顾客' (expected merchant, logistics, customer, platform or 商家, 物流, 用户, 消费者, 平台)"
        ),
    ])
    func rejects(_ field: Int, _ value: String, _ kind: RejectKind, _ reason: String) throws {
        let r = try #require(try buildTicket([field: value]).reject)
        #expect(r.kind == kind)
        #expect(r.reason == reason)
    }

    @Test func fieldCountMismatchRejects() throws {
        var b = TicketRowBuilder(header: try headerMap(.tickets, ticketHeader), zone: shanghai, pool: StringPool())
        let r = try #require(withRecord(Array(goodTicket.dropLast())) { b.build($0) }.reject)
        #expect(r.kind == .fieldCount)
        #expect(r.reason == "expected 13 fields as in the header, found 12")
    }

    @Test func defaultsForEmptyOptionalColumns() throws {
        let row = try #require(try buildTicket([5: "", 6: "", 7: "", 4: "", 1: "", 9: ""]).row)
        #expect(row.priority == .normal)
        #expect(row.responsibility == nil)
        #expect(row.satisfaction == 0 && !row.satisfactionInvalid)
        #expect(row[.firstResponseAt] == Timestamp.missing)
        #expect(row.orderID == StrID.none && row.channel == StrID.none)
    }

    @Test func chineseAndMixedCaseValues() throws {
        let row = try #require(try buildTicket([3: "维修", 5: "重大", 6: "消费者"]).row)
        #expect(row.type == .repair && row.priority == .major && row.responsibility == .customer)
        let row2 = try #require(try buildTicket([3: "Inquiry", 5: "NORMAL", 6: "Platform"]).row)
        #expect(row2.type == .inquiry && row2.priority == .normal && row2.responsibility == .platform)
    }

    @Test(
        arguments: [
            // satisfaction field, score, invalid flag
            ("1", 1, false),
            ("5", 5, false),
            ("3", 3, false),
            ("", 0, false),  // missing, not a data-quality problem
            ("5.0", 0, true),
            ("0", 0, true),
            ("6", 0, true),
            ("x", 0, true),
            ("五", 0, true),
            ("55", 0, true),
            ("-1", 0, true),
            ("+3", 0, true),
            ("４", 0, true),  // full-width digit
        ] as [(String, UInt8, Bool)])
    func satisfaction(_ value: String, _ score: UInt8, _ invalid: Bool) throws {
        let row = try #require(try buildTicket([7: value]).row)  // the row is kept either way
        #expect(row.satisfaction == score)
        #expect(row.satisfactionInvalid == invalid)
    }

    @Test func stringsInternedAsWritten() throws {
        let pool = StringPool()
        var b = TicketRowBuilder(header: try headerMap(.tickets, ticketHeader), zone: shanghai, pool: pool)
        var a = goodTicket
        a[9] = "Web"
        var c = goodTicket
        c[9] = "web"
        let r1 = try #require(withRecord(a) { b.build($0) }.row)
        let r2 = try #require(withRecord(c) { b.build($0) }.row)
        let r3 = try #require(withRecord(a) { b.build($0) }.row)
        #expect(r1.channel != r2.channel)  // case kept
        #expect(r1.channel == r3.channel)
        #expect(pool.string(r2.channel) == "web")
    }

    @Test func maxTimestampSkipsRejectedRows() throws {
        var b = TicketRowBuilder(header: try headerMap(.tickets, ticketHeader), zone: shanghai, pool: StringPool())
        var late = goodTicket
        late[8] = "2027-01-01 00:00"
        late[3] = "bogus"  // rejected: its updated_at must not count
        #expect(withRecord(late) { b.build($0) }.reject?.kind == .unknownEnum)
        #expect(b.maxTimestamp == Int64.min)
        var noUpdate = goodTicket
        noUpdate[8] = ""
        _ = withRecord(noUpdate) { b.build($0) }
        #expect(b.maxTimestamp == mar5 + 4 * h)  // resolved_at 04:00Z is the latest left
        _ = withRecord(goodTicket) { b.build($0) }
        #expect(b.maxTimestamp == mar5 + 86_400 + 1 * h)
        _ = withRecord(noUpdate) { b.build($0) }
        #expect(b.maxTimestamp == mar5 + 86_400 + 1 * h)  // never goes down
    }

    @Test func chineseHeaderEndToEnd() throws {
        let pool = StringPool()
        let m = try headerMap(.tickets, ["投诉单号", "类型", "创建时间", "优先级", "责任方", "评分"])
        var b = TicketRowBuilder(header: m, zone: .utc, pool: pool)
        let row = try #require(withRecord(["C-9", "投诉", "2026/3/5 9:07", "紧急", "物流", "2"]) { b.build($0) }.row)
        #expect(pool.string(row.ticketID) == "C-9")
        #expect(row.type == .complaint && row.priority == .urgent && row.responsibility == .logistics)
        #expect(row[.createdAt] == mar5 + 9 * h + 7 * 60)
        #expect(row.satisfaction == 2)
    }
}

private let orderHeader = ["order_id", "ordered_at", "paid_at", "金额", "category", "updated_at", "customer_id"]

@Suite struct RowsOrderBuilderTests {
    @Test func readsAGoodRow() throws {
        let pool = StringPool()
        var b = OrderRowBuilder(header: try headerMap(.orders, orderHeader), zone: .utc, pool: pool)
        let row = try #require(
            withRecord(["A-1", "2026-03-05 08:00", "2026-03-05 08:05", "199.90", "手机", "", "u7"]) {
                b.build($0)
            }.row)
        #expect(pool.string(row.orderID) == "A-1")
        #expect(row.orderedAt == mar5 + 8 * h)
        #expect(row.paidAt == mar5 + 8 * h + 300)
        #expect(row.shippedAt == Timestamp.missing && row.updatedAt == Timestamp.missing)
        #expect(row.amountCents == 19_990)
        #expect(pool.string(row.category) == "手机")
        #expect(pool.string(row.customer) == "u7")
        #expect(b.maxTimestamp == mar5 + 8 * h + 300)
        #expect(b.invalidAmounts == 0)
    }

    @Test(
        arguments: [
            // amount field, cents (nil = unreadable, counted)
            ("12.34", 1234),
            ("12", 1200),
            ("12.3", 1230),
            ("0", 0),
            ("-5.5", -550),
            ("+3", 300),
            (".5", 50),
            ("5.", 500),
            ("0.004", 0),
            ("0.005", 1),  // more than two decimals: half away from zero
            ("1.994", 199),
            ("1.995", 200),
            ("1.999", 200),
            ("-1.005", -101),
            ("-1.004", -100),
            ("123456789012345.67", 12_345_678_901_234_567),  // 15 integer digits is the limit
            ("1234567890123456", nil),
            ("abc", nil),
            ("1,234.00", nil),  // no thousands separators
            ("¥12", nil),
            ("12元", nil),
            ("1e3", nil),
            (".", nil),
            ("-", nil),
            ("12.3.4", nil),
            ("--1", nil),
        ] as [(String, Int64?)])
    func amount(_ value: String, _ cents: Int64?) throws {
        var b = OrderRowBuilder(header: try headerMap(.orders, orderHeader), zone: .utc, pool: StringPool())
        let row = try #require(withRecord(["A-1", "2026-03-05 08:00", "", value, "", "", ""]) { b.build($0) }.row)
        #expect(row.amountCents == cents)
        #expect(b.invalidAmounts == (cents == nil ? 1 : 0))
    }

    @Test func emptyAmountIsMissingNotInvalid() throws {
        var b = OrderRowBuilder(header: try headerMap(.orders, orderHeader), zone: .utc, pool: StringPool())
        let row = try #require(withRecord(["A-1", "2026-03-05 08:00", "", "", "", "", ""]) { b.build($0) }.row)
        #expect(row.amountCents == nil)
        #expect(b.invalidAmounts == 0)
    }

    @Test(arguments: [
        (1, "", RejectKind.missingRequired, "column 2 (ordered_at): required value is empty"),
        (0, "", .missingRequired, "column 1 (order_id): required value is empty"),
        (2, "2026-03-05 8:5", .badTimestamp, "column 3 (paid_at): cannot read '2026-03-05 8:5' as a timestamp"),
        (5, "2026-13-01", .badTimestamp, "column 6 (updated_at): cannot read '2026-13-01' as a timestamp"),
    ])
    func rejects(_ field: Int, _ value: String, _ kind: RejectKind, _ reason: String) throws {
        var fields = ["A-1", "2026-03-05 08:00", "2026-03-05 08:05", "1", "", "2026-03-06", ""]
        fields[field] = value
        var b = OrderRowBuilder(header: try headerMap(.orders, orderHeader), zone: .utc, pool: StringPool())
        let r = try #require(withRecord(fields) { b.build($0) }.reject)
        #expect(r.kind == kind)
        #expect(r.reason == reason)
        #expect(b.maxTimestamp == Int64.min)
    }
}

private let logisticsHeader = ["运单号", "订单号", "快递公司", "节点", "时间", "异常类型"]

@Suite struct RowsLogisticsBuilderTests {
    @Test func readsRows() throws {
        let pool = StringPool()
        var b = LogisticsRowBuilder(header: try headerMap(.logistics, logisticsHeader), zone: shanghai, pool: pool)
        let a = try #require(withRecord(["SF1", "A-1", "顺丰", "签收", "2026-03-05 18:00:00", ""]) { b.build($0) }.row)
        #expect(pool.string(a.trackingNo) == "SF1" && pool.string(a.orderID) == "A-1" && pool.string(a.carrier) == "顺丰")
        #expect(a.event == .delivered)
        #expect(a.exception == nil)
        #expect(a.eventAt == mar5 + 10 * h)  // 18:00 +08:00 = 10:00Z
        let e = try #require(
            withRecord(["SF1", "", "", "Exception", "2026-03-05T12:00:00Z", "破损"]) { b.build($0) }.row)
        #expect(e.event == .exception && e.exception == .damaged)
        #expect(e.orderID == StrID.none)
        #expect(b.maxTimestamp == mar5 + 12 * h)
    }

    @Test(arguments: [
        (0, "", RejectKind.missingRequired, "column 1 (运单号 → tracking_no): required value is empty"),
        (3, "", .missingRequired, "column 4 (节点 → event): required value is empty"),
        (4, "", .missingRequired, "column 5 (时间 → event_at): required value is empty"),
        (4, "yesterday", .badTimestamp, "column 5 (时间 → event_at): cannot read 'yesterday' as a timestamp"),
        (
            3, "returned", .unknownEnum,
            "column 4 (节点 → event): unknown value 'returned' (expected picked_up, in_transit, out_for_delivery, delivered, exception or 揽收, 运输中, 派送中, 签收, 异常)"
        ),
        (
            5, "late", .unknownEnum,
            "column 6 (异常类型 → exception): unknown value 'late' (expected damaged, lost, missing_item, wrong_item, false_signoff, no_update, other or 破损, 丢件, 漏发, 错发, 虚假签收, 无物流更新, 其他)"
        ),
    ])
    func rejects(_ field: Int, _ value: String, _ kind: RejectKind, _ reason: String) throws {
        var fields = ["SF1", "A-1", "顺丰", "揽收", "2026-03-05 18:00:00", ""]
        fields[field] = value
        var b = LogisticsRowBuilder(
            header: try headerMap(.logistics, logisticsHeader), zone: shanghai, pool: StringPool())
        let r = try #require(withRecord(fields) { b.build($0) }.reject)
        #expect(r.kind == kind)
        #expect(r.reason == reason)
    }
}
