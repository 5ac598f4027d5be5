import SLAFast
import SLAModel

/// One canonical input column (SPEC 2.3): its name, value type, whether the header must have it,
/// and the built-in header aliases (as written in the spec; matched after ASCII lower-casing).
public struct ColumnSpec: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case string, timestamp, decimal
        case integer = "int"
        case enumeration = "enum"
        case score = "int 1–5"
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    public let aliases: [String]
    /// A deadline (a promised or due time): may lie ahead, never rejects its row when
    /// unreadable (it is then missing), and never moves as_of.
    public let deadline: Bool

    public init(_ name: String, _ kind: Kind, required: Bool = false, aliases: [String] = [], deadline: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
        self.aliases = aliases
        self.deadline = deadline
    }

    /// Text columns (strings and enums) can be policy filters.
    public var isText: Bool { kind == .string || kind == .enumeration }
}

/// Where each canonical column sits in one file's header.
///
/// Header names are trimmed, ASCII lower-cased, then looked up among the table's canonical names,
/// the config `[aliases]` (whose value must name a column of this table to apply here; a config
/// alias wins over a built-in one) and the built-in aliases. Unknown columns are ignored. Two
/// header columns that land on one canonical column, or a missing required column, make the
/// header invalid (`IngestError.badHeader`, SPEC 2.5/2.6).
public struct HeaderMap: Sendable {
    public let table: Table
    /// Number of fields in the header; every record must have as many.
    public let fieldCount: Int
    /// Defaulted columns the header lacks, as fields appended after the real ones (see
    /// `DefaultFiller`): the field index each gets and the value it always holds.
    public let virtualFields: [(field: Int, value: [UInt8])]
    /// Real fields whose column has a default: the value used when the field is empty.
    public let defaultedFields: [(field: Int, value: [UInt8])]
    /// Fields a record has once defaults are filled in (`fieldCount` + virtual ones).
    public var recordFieldCount: Int { fieldCount + virtualFields.count }
    /// Field of each extra column (in `TableBinding.extras` order), -1 when absent.
    public let extraFields: [Int]
    /// The extra columns of this table.
    public let extras: [ExtraColumn]
    /// Columns read leniently as deadlines (built-in deadline columns and policies' `due`).
    public let deadlines: Set<String>
    /// Extra timestamp columns that count for as_of.
    public let clockExtras: Set<String>
    /// Header names as written (trimmed, case kept), by field.
    private let written: [String]
    /// Canonical column of each field, nil when ignored.
    private let canonical: [String?]
    private let indexByColumn: [String: Int]

    public init(
        table: Table, header: RecordView, aliases: [String: String], path: String,
        binding: TableBinding = TableBinding()
    ) throws {
        let specs = HeaderMap.columns(of: table)
        let known = Set(specs.map(\.name))
        var lookup: [String: String] = [:]
        for spec in specs {
            lookup[spec.name] = spec.name
            for a in spec.aliases { lookup[HeaderMap.normalize(a)] = spec.name }
        }
        // Config aliases: keys are already normalised; applied after built-ins so they win.
        for (k, v) in aliases where known.contains(v) { lookup[HeaderMap.normalize(k)] = v }
        // An extra column is found by its header; a `columns` binding beats every alias.
        for e in binding.extras { lookup[HeaderMap.normalize(e.header)] = e.name }
        // A bound column is found by its bound header only (not by its name or aliases).
        let bound = Set(binding.headers.values)
        lookup = lookup.filter { !bound.contains($0.value) }
        for (h, c) in binding.headers { lookup[HeaderMap.normalize(h)] = c }

        let line = header.location.line
        var written: [String] = []
        var canonical: [String?] = []
        var index: [String: Int] = [:]
        for i in 0..<header.count {
            let name = HeaderMap.trim(header.string(i))
            written.append(name)
            guard !name.isEmpty, let column = lookup[HeaderMap.normalize(name)] else {
                canonical.append(nil)
                continue
            }
            if let j = index[column] {
                throw IngestError.badHeader(
                    path: path, line: line,
                    message: "columns \(j + 1) (\(written[j])) and \(i + 1) (\(name)) both map to \(column)")
            }
            index[column] = i
            canonical.append(column)
        }
        let missing = specs.filter { $0.required && index[$0.name] == nil && binding.defaults[$0.name] == nil }
        if !missing.isEmpty {
            let parts = missing.map { spec -> String in
                if let bound = binding.headers.first(where: { $0.value == spec.name })?.key {
                    return
                        "missing required column \(spec.name) (mapped to header '\(bound)' by [tables.\(table.rawValue).columns])"
                }
                let extra = aliases.filter { $0.value == spec.name }.keys.sorted()
                let accepted = spec.aliases + extra.filter { !spec.aliases.contains($0) }
                return "missing required column \(spec.name)"
                    + (accepted.isEmpty ? "" : " (also accepted: \(accepted.joined(separator: ", ")))")
            }
            let has = written.isEmpty ? "none" : written.map { "'\($0)'" }.joined(separator: ", ")
            throw IngestError.badHeader(
                path: path, line: line, message: parts.joined(separator: "; ") + "; the file's headers: " + has)
        }
        var virtual: [(field: Int, value: [UInt8])] = []
        var defaulted: [(field: Int, value: [UInt8])] = []
        for column in (specs.map(\.name) + binding.extras.map(\.name)) {
            guard let value = binding.defaults[column] else { continue }
            if let i = index[column] {
                defaulted.append((i, Array(value.utf8)))
            } else {
                let i = header.count + virtual.count
                virtual.append((i, Array(value.utf8)))
                index[column] = i
            }
        }
        self.table = table
        self.fieldCount = header.count
        self.written = written
        self.canonical = canonical
        self.indexByColumn = index
        self.virtualFields = virtual
        self.defaultedFields = defaulted
        self.extras = binding.extras
        self.extraFields = binding.extras.map { index[$0.name] ?? -1 }
        self.deadlines = binding.deadlines.union(specs.filter(\.deadline).map(\.name))
        self.clockExtras = binding.clockExtras
    }

    /// The columns this file provides (in the header, or by a default), canonical and extra.
    public var presentColumns: Set<String> { Set(indexByColumn.keys) }

    /// The field holding a canonical column, nil when the file lacks it.
    public func index(of column: String) -> Int? { indexByColumn[column] }

    /// The header name of field `i` as written (trimmed, case kept).
    public func name(ofField i: Int) -> String { i >= 0 && i < written.count ? written[i] : "" }

    /// The canonical column of field `i`, nil when the column is ignored.
    public func column(ofField i: Int) -> String? { i >= 0 && i < canonical.count ? canonical[i] : nil }

    /// How reject reasons name a field: "column 3 (created_at)", or with the mapping when the
    /// header used another name: "column 5 (首次响应时间 → first_response_at)". 1-based.
    public func label(ofField i: Int) -> String {
        let name = name(ofField: i)
        guard let c = column(ofField: i), c != name else { return "column \(i + 1) (\(name))" }
        return "column \(i + 1) (\(name) → \(c))"
    }

    /// Trims spaces and tabs (and a stray BOM on the first name).
    static func trim(_ s: String) -> String {
        var u = Substring(s).unicodeScalars
        while let f = u.first, f == " " || f == "\t" || f == "\u{FEFF}" { u.removeFirst() }
        while let l = u.last, l == " " || l == "\t" { u.removeLast() }
        return String(u)
    }

    /// Trimmed and ASCII lower-cased (non-ASCII letters are left alone, as Chinese has no case).
    public static func normalize(_ s: String) -> String {
        String(decoding: trim(s).utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The canonical columns of a table in spec order, with required flags and built-in aliases.
    public static func columns(of table: Table) -> [ColumnSpec] {
        switch table {
        case .orders: return orderColumns
        case .logistics: return logisticsColumns
        case .tickets: return ticketColumns
        case .surveys: return surveyColumns
        }
    }

    private static let orderColumns: [ColumnSpec] = [
        ColumnSpec("order_id", .string, required: true, aliases: ["订单编号", "订单号"]),
        ColumnSpec("ordered_at", .timestamp, required: true, aliases: ["下单时间"]),
        ColumnSpec("paid_at", .timestamp, aliases: ["付款时间"]),
        ColumnSpec("shipped_at", .timestamp, aliases: ["发货时间"]),
        ColumnSpec("signed_at", .timestamp, aliases: ["签收时间"]),
        ColumnSpec("customer_id", .string, aliases: ["买家ID", "客户ID"]),
        ColumnSpec("merchant_id", .string, aliases: ["商家ID", "店铺ID"]),
        ColumnSpec("product_id", .string, aliases: ["商品ID"]),
        ColumnSpec("category", .string, aliases: ["类目", "商品类目"]),
        ColumnSpec("amount", .decimal, aliases: ["金额", "实付金额"]),
        ColumnSpec("status", .string, aliases: ["订单状态"]),
        ColumnSpec("promised_ship_at", .timestamp, aliases: ["承诺发货时间", "最晚发货时间"], deadline: true),
        ColumnSpec("promised_delivery_at", .timestamp, aliases: ["预计送达时间", "承诺送达时间"], deadline: true),
        ColumnSpec("updated_at", .timestamp, aliases: ["更新时间"]),
    ]

    private static let logisticsColumns: [ColumnSpec] = [
        ColumnSpec("tracking_no", .string, required: true, aliases: ["运单号", "快递单号"]),
        ColumnSpec("order_id", .string, aliases: ["订单编号", "订单号"]),
        ColumnSpec("carrier", .string, aliases: ["快递公司"]),
        ColumnSpec("event", .enumeration, required: true, aliases: ["物流节点", "节点"]),
        ColumnSpec("event_at", .timestamp, required: true, aliases: ["节点时间", "时间"]),
        ColumnSpec("exception", .enumeration, aliases: ["异常类型"]),
    ]

    private static let ticketColumns: [ColumnSpec] = [
        ColumnSpec("ticket_id", .string, required: true, aliases: ["工单号", "投诉单号"]),
        ColumnSpec("order_id", .string, aliases: ["订单编号", "订单号"]),
        ColumnSpec("product_id", .string, aliases: ["商品ID"]),
        ColumnSpec("merchant_id", .string, aliases: ["商家ID", "店铺ID"]),
        ColumnSpec("created_at", .timestamp, required: true, aliases: ["创建时间"]),
        ColumnSpec("channel", .string, aliases: ["渠道"]),
        ColumnSpec("agent", .string, aliases: ["处理人", "客服", "客服工号"]),
        ColumnSpec("type", .enumeration, required: true, aliases: ["类型", "工单类型"]),
        ColumnSpec("category", .string, aliases: ["问题分类", "投诉类别"]),
        ColumnSpec("priority", .enumeration, aliases: ["优先级"]),
        ColumnSpec("first_response_at", .timestamp, aliases: ["首次响应时间"]),
        ColumnSpec("fault_confirmed_at", .timestamp, aliases: ["故障确认时间"]),
        ColumnSpec("repair_plan_at", .timestamp, aliases: ["维修方案时间"]),
        ColumnSpec("plan_rejected_at", .timestamp, aliases: ["方案拒绝时间"]),
        ColumnSpec("escalated_at", .timestamp, aliases: ["升级时间"]),
        ColumnSpec("resolved_at", .timestamp, aliases: ["解决时间", "完结时间"]),
        ColumnSpec("satisfaction", .score, aliases: ["满意度", "评分"]),
        ColumnSpec("surveyed_at", .timestamp, aliases: ["回访时间"]),
        ColumnSpec("responsibility", .enumeration, aliases: ["责任方"]),
        ColumnSpec("status", .string, aliases: ["工单状态"]),
        ColumnSpec("due_at", .timestamp, aliases: ["截止时间", "到期时间"], deadline: true),
        ColumnSpec("updated_at", .timestamp, aliases: ["更新时间"]),
    ]

    private static let surveyColumns: [ColumnSpec] = [
        ColumnSpec("survey_id", .string, aliases: ["评价ID", "问卷ID"]),
        ColumnSpec("ticket_id", .string, aliases: ["工单号"]),
        ColumnSpec("order_id", .string, aliases: ["订单编号", "订单号"]),
        ColumnSpec("agent", .string, aliases: ["客服", "处理人"]),
        ColumnSpec("score", .score, aliases: ["评分", "满意度", "星级"]),
        ColumnSpec("sent_at", .timestamp, aliases: ["邀评时间", "发送时间"]),
        ColumnSpec("answered_at", .timestamp, aliases: ["评价时间", "回复时间"]),
        ColumnSpec("comment", .string, aliases: ["评价内容", "评论"]),
        ColumnSpec("updated_at", .timestamp, aliases: ["更新时间"]),
    ]
}
