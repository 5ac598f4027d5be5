import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite struct RowsHeaderMapTests {
    @Test func englishNamesAnyOrderUnknownIgnored() throws {
        let m = try headerMap(.tickets, ["note", "type", "Ticket_ID ", "CREATED_AT", "", "priority"])
        #expect(m.fieldCount == 6)
        #expect(m.index(of: "ticket_id") == 2)
        #expect(m.index(of: "created_at") == 3)
        #expect(m.index(of: "type") == 1)
        #expect(m.index(of: "priority") == 5)
        #expect(m.index(of: "agent") == nil)
        #expect(m.index(of: "note") == nil)
        #expect(m.column(ofField: 0) == nil)
        #expect(m.name(ofField: 2) == "Ticket_ID")  // trimmed, case kept
        #expect(m.label(ofField: 1) == "column 2 (type)")
        #expect(m.label(ofField: 2) == "column 3 (Ticket_ID → ticket_id)")
    }

    @Test(arguments: [
        // table, header name, canonical column
        (Table.tickets, "工单号", "ticket_id"),
        (.tickets, "投诉单号", "ticket_id"),
        (.tickets, "订单编号", "order_id"),
        (.tickets, "订单号", "order_id"),
        (.tickets, "商品ID", "product_id"),
        (.tickets, "店铺id", "merchant_id"),  // lower-cased "ID"
        (.tickets, "创建时间", "created_at"),
        (.tickets, "客服工号", "agent"),
        (.tickets, "工单类型", "type"),
        (.tickets, "投诉类别", "category"),
        (.tickets, "优先级", "priority"),
        (.tickets, "首次响应时间", "first_response_at"),
        (.tickets, "故障确认时间", "fault_confirmed_at"),
        (.tickets, "维修方案时间", "repair_plan_at"),
        (.tickets, "方案拒绝时间", "plan_rejected_at"),
        (.tickets, "升级时间", "escalated_at"),
        (.tickets, "完结时间", "resolved_at"),
        (.tickets, "评分", "satisfaction"),
        (.tickets, "回访时间", "surveyed_at"),
        (.tickets, "责任方", "responsibility"),
        (.tickets, "更新时间", "updated_at"),
        (.orders, "订单号", "order_id"),
        (.orders, "下单时间", "ordered_at"),
        (.orders, "付款时间", "paid_at"),
        (.orders, "发货时间", "shipped_at"),
        (.orders, "签收时间", "signed_at"),
        (.orders, "买家ID", "customer_id"),
        (.orders, "客户id", "customer_id"),
        (.orders, "商品类目", "category"),
        (.orders, "实付金额", "amount"),
        (.orders, "AMOUNT", "amount"),
        (.logistics, "快递单号", "tracking_no"),
        (.logistics, "订单编号", "order_id"),
        (.logistics, "快递公司", "carrier"),
        (.logistics, "物流节点", "event"),
        (.logistics, "时间", "event_at"),
        (.logistics, "节点时间", "event_at"),
        (.logistics, "异常类型", "exception"),
    ])
    func builtInAlias(_ table: Table, _ name: String, _ column: String) throws {
        // The table's required columns, with the one under test swapped in (or added).
        var names = HeaderMap.columns(of: table).filter(\.required).map(\.name).filter { $0 != column }
        names.append(" \(name)\t")
        let m = try headerMap(table, names)
        #expect(m.index(of: column) == names.count - 1)
        #expect(m.label(ofField: names.count - 1) == "column \(names.count) (\(name) → \(column))")
    }

    @Test func chineseTicketHeader() throws {
        let m = try headerMap(.tickets, ["工单号", "创建时间", "类型", "处理人", "满意度"])
        #expect(
            [
                m.index(of: "ticket_id"), m.index(of: "created_at"), m.index(of: "type"), m.index(of: "agent"),
                m.index(of: "satisfaction"),
            ] == [0, 1, 2, 3, 4])
    }

    @Test func configAliases() throws {
        let aliases = ["单据号": "ticket_id", "建单": "created_at", "时间": "created_at", "rma": "order_id"]
        let m = try headerMap(.tickets, ["单据号", "建单", "type", "RMA"], aliases: aliases)
        #expect(m.index(of: "ticket_id") == 0)
        #expect(m.index(of: "created_at") == 1)
        #expect(m.index(of: "order_id") == 3)  // config keys are normalised; the header is lower-cased
        // An alias naming another table's column does not apply here: logistics 时间 stays event_at.
        let l = try headerMap(.logistics, ["运单号", "节点", "时间"], aliases: aliases)
        #expect(l.index(of: "event_at") == 2)
        // A config alias wins over a built-in one.
        let o = try headerMap(.orders, ["订单号", "下单时间", "金额"], aliases: ["金额": "category"])
        #expect(o.index(of: "category") == 2)
        #expect(o.index(of: "amount") == nil)
    }

    @Test(arguments: [
        (
            Table.orders, ["金额", "订单号", "下单时间", "x", "order_id"], [String: String](),
            "columns 2 (订单号) and 5 (order_id) both map to order_id"
        ),
        (
            .tickets, ["ticket_id", "type", "created_at", "Type"], [:],
            "columns 2 (type) and 4 (Type) both map to type"
        ),
        (
            .tickets, ["ticket_id", "type", "created_at", "解决时间", "完结时间"], [:],
            "columns 4 (解决时间) and 5 (完结时间) both map to resolved_at"
        ),
        (
            .tickets, ["ticket_id", "type", "created_at", "单据号"], ["单据号": "ticket_id"],
            "columns 1 (ticket_id) and 4 (单据号) both map to ticket_id"
        ),
        (
            .tickets, ["type", "created_at"], [:],
            "missing required column ticket_id (also accepted: 工单号, 投诉单号)"
        ),
        (
            .tickets, ["type", "created_at"], ["单据号": "ticket_id"],
            "missing required column ticket_id (also accepted: 工单号, 投诉单号, 单据号)"
        ),
        (
            .tickets, ["agent"], [:],
            "missing required column ticket_id (also accepted: 工单号, 投诉单号); missing required column created_at (also accepted: 创建时间); missing required column type (also accepted: 类型, 工单类型)"
        ),
        (
            .logistics, ["运单号", "节点"], [:],
            "missing required column event_at (also accepted: 节点时间, 时间)"
        ),
        (
            .orders, [], [:],
            "missing required column order_id (also accepted: 订单编号, 订单号); missing required column ordered_at (also accepted: 下单时间)"
        ),
    ])
    func invalidHeader(_ table: Table, _ names: [String], _ aliases: [String: String], _ message: String) {
        // A missing column's message ends with the headers the file has.
        let has = names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
        let expected = message.hasPrefix("missing") ? message + "; the file's headers: " + has : message
        #expect(headerError(table, names, aliases: aliases) == expected)
    }

    @Test func badHeaderCarriesPathAndLine() {
        _ = withRecord(["type"], line: 3) { r in
            #expect(
                throws: IngestError.badHeader(
                    path: "in/tickets.csv", line: 3,
                    message:
                        "missing required column ticket_id (also accepted: 工单号, 投诉单号); missing required column created_at (also accepted: 创建时间); the file's headers: 'type'"
                )
            ) {
                try HeaderMap(table: .tickets, header: r, aliases: [:], path: "in/tickets.csv")
            }
        }
    }

    @Test func columnLists() {
        #expect(HeaderMap.columns(of: .orders).count == 14)
        #expect(HeaderMap.columns(of: .logistics).count == 6)
        #expect(HeaderMap.columns(of: .tickets).count == 22)
        #expect(HeaderMap.columns(of: .surveys).count == 9)
        #expect(HeaderMap.columns(of: .surveys).filter(\.required).isEmpty)
        #expect(
            HeaderMap.columns(of: .orders).filter(\.deadline).map(\.name) == [
                "promised_ship_at", "promised_delivery_at",
            ])
        #expect(HeaderMap.columns(of: .tickets).filter(\.deadline).map(\.name) == ["due_at"])
        #expect(HeaderMap.columns(of: .orders).filter(\.required).map(\.name) == ["order_id", "ordered_at"])
        #expect(
            HeaderMap.columns(of: .logistics).filter(\.required).map(\.name) == ["tracking_no", "event", "event_at"])
        #expect(HeaderMap.columns(of: .tickets).filter(\.required).map(\.name) == ["ticket_id", "created_at", "type"])
        // Every ticket timestamp column of the model is a timestamp column here.
        let ticketTimes = HeaderMap.columns(of: .tickets).filter { $0.kind == .timestamp }.map(\.name)
        #expect(ticketTimes.sorted() == (TicketTime.allCases.map(\.column) + ["due_at"]).sorted())
        // No alias is claimed by two columns of one table.
        for t in Table.allCases {
            let all = HeaderMap.columns(of: t).flatMap { [$0.name] + $0.aliases }.map(HeaderMap.normalize)
            #expect(Set(all).count == all.count, "\(t)")
        }
    }
}
