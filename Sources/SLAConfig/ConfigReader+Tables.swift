import SLAIngest
import SLAModel
import TOMLKit

/// `[tables.<table>]`: how one table's own exports are found and read (files globs, encoding,
/// delimiter, header bindings, extra typed columns, defaults).
extension ConfigReader {
    static let tableKeys = ["files", "encoding", "delimiter", "columns", "extra", "defaults"]
    /// At most this many extra columns per table (their values live in a fixed-width store).
    static let maxExtras = 8

    func tables(_ t: TOMLTable, at path: ConfigPath, lines: inout [String: Int]) throws -> [Table: TableConfig] {
        var out: [Table: TableConfig] = [:]
        for key in keys(of: t, at: path) {
            let p = path.key(key)
            guard let table = Table(rawValue: key.lowercased()) else {
                throw error(p, "unknown table '\(key)' (use orders, logistics, tickets or surveys)")
            }
            out[table] = try tableConfig(try self.table(t[key]!, at: p), table: table, at: p)
            if let line = index.line(of: p.key("files")) { lines[p.key("files").rendered] = line }
        }
        return out
    }

    func tableConfig(_ t: TOMLTable, table: Table, at path: ConfigPath) throws -> TableConfig {
        var c = TableConfig()
        var columns: [(column: String, header: String, path: ConfigPath)] = []
        var extras: TOMLTable?
        var defaults: TOMLTable?
        for key in keys(of: t, at: path) {
            let v = t[key]!
            let p = path.key(key)
            switch key {
            case "files":
                let list = try v.string.map { [$0] } ?? stringArray(v, at: p)
                for (i, g) in list.enumerated() where g.configTrimmed().isEmpty {
                    throw error(p, "a files glob cannot be empty", element: i)
                }
                c.files = list.map { $0.configTrimmed() }
            case "encoding": c.encoding = try encoding(v, at: p)
            case "delimiter": c.delimiter = try delimiter(v, at: p)
            case "columns":
                let ct = try self.table(v, at: p)
                for column in keys(of: ct, at: p) {
                    let header = try nonEmptyString(ct[column]!, at: p.key(column))
                    columns.append((column.configTrimmed().lowercased(), header, p.key(column)))
                }
            case "extra": extras = try self.table(v, at: p)
            case "defaults": defaults = try self.table(v, at: p)
            default: throw unknownKey(key, at: path, allowed: Self.tableKeys)
            }
        }
        let specs = HeaderMap.columns(of: table)
        let canonical = Set(specs.map(\.name))
        // Extras first: `columns` may bind an extra's header.
        if let et = extras {
            let ep = path.key("extra")
            for name in keys(of: et, at: ep) {
                let p = ep.key(name)
                let column = name.configTrimmed().lowercased()
                guard !column.isEmpty else { throw error(p, "an extra column needs a name") }
                guard !canonical.contains(column) else {
                    throw error(
                        p,
                        "'\(column)' is already a column of \(table.rawValue); bind its header in [\(path.rendered).columns] instead"
                    )
                }
                let v = et[name]!
                var header = name.configTrimmed()
                let typeText: String
                if let s = v.string {
                    typeText = s
                } else if let sub = v.table {
                    var type: String?
                    for k in keys(of: sub, at: p) {
                        switch k {
                        case "header": header = try nonEmptyString(sub[k]!, at: p.key(k))
                        case "type": type = try string(sub[k]!, at: p.key(k))
                        default: throw unknownKey(k, at: p, allowed: ["header", "type"])
                        }
                    }
                    guard let type else { throw error(p, "missing key 'type' (string, timestamp, int or decimal)") }
                    typeText = type
                } else {
                    throw typeError(v, expected: "a type name or { header = \"…\", type = \"…\" }", at: p)
                }
                guard let type = ExtraType(rawValue: typeText.configTrimmed().lowercased()) else {
                    throw error(p, "unknown type '\(typeText)' (use string, timestamp, int or decimal)")
                }
                c.extras.append(ExtraColumn(name: column, header: header, type: type))
            }
            if c.extras.count > Self.maxExtras {
                throw error(ep, "at most \(Self.maxExtras) extra columns per table, got \(c.extras.count)")
            }
        }
        let extraNames = Set(c.extras.map(\.name))
        var boundHeaders: [String: (column: String, path: ConfigPath)] = [:]
        for (column, header, p) in columns {
            guard canonical.contains(column) || extraNames.contains(column) else {
                let known = specs.map(\.name) + c.extras.map(\.name)
                throw error(
                    p,
                    "'\(column)' is not a column of \(table.rawValue) (use one of: \(known.joined(separator: ", ")), or declare it in [\(path.rendered).extra])"
                )
            }
            let h = HeaderMap.normalize(header)
            if let earlier = boundHeaders[h] {
                let line = index.line(of: earlier.path).map { " on line \($0)" } ?? ""
                throw error(p, "header '\(header)' is already bound to '\(earlier.column)'\(line)")
            }
            boundHeaders[h] = (column, p)
            if let k = c.extras.firstIndex(where: { $0.name == column }) {
                c.extras[k].header = header
            } else {
                c.columns[column] = header
            }
        }
        // An extra's own header must not be a header bound to another column.
        for e in c.extras {
            if let other = boundHeaders[HeaderMap.normalize(e.header)], other.column != e.name {
                throw error(path.key("extra").key(e.name), "header '\(e.header)' is already bound to '\(other.column)'")
            }
        }
        if let dt = defaults {
            let dp = path.key("defaults")
            for name in keys(of: dt, at: dp) {
                let p = dp.key(name)
                let column = name.configTrimmed().lowercased()
                let v = dt[name]!
                let text: String
                if let s = v.string {
                    text = s
                } else if let i = v.int {
                    text = String(i)
                } else {
                    throw typeError(v, expected: "a string", at: p)
                }
                let value = text.configTrimmed()
                guard !value.isEmpty else { throw error(p, "a default cannot be empty (leave the key out instead)") }
                if let spec = specs.first(where: { $0.name == column }) {
                    try checkDefault(value, kind: spec.kind, column: column, table: table, at: p)
                } else if let e = c.extras.first(where: { $0.name == column }) {
                    let kind: ColumnSpec.Kind = [
                        .string: .string, .timestamp: .timestamp, .int: .integer,
                        .decimal: .decimal,
                    ][e.type]!
                    try checkDefault(value, kind: kind, column: column, table: table, at: p)
                } else {
                    throw error(p, "'\(column)' is not a column of \(table.rawValue) (nor an extra column)")
                }
                c.defaults[column] = value
            }
        }
        return c
    }

    /// A default must be a value the column accepts (validated once, here).
    func checkDefault(_ value: String, kind: ColumnSpec.Kind, column: String, table: Table, at p: ConfigPath) throws {
        var ok = true
        var expected = ""
        switch kind {
        case .string: break
        case .timestamp:
            ok = TimestampParser.parse(value, zone: .utc) != nil
            expected = "a timestamp such as 2026-11-20 09:15"
        case .decimal:
            ok = ValueParser.cents(value) != nil
            expected = "a decimal number"
        case .integer:
            ok = ValueParser.integer(value) != nil
            expected = "an integer"
        case .score:
            ok = ValueParser.score(value) != nil
            expected = "a score 1–5"
        case .enumeration:
            let t = value.lowercased()
            switch column {
            case "type":
                ok = Self.ticketType(t) != nil
                expected = TicketType.allCases.map(\.name).joined(separator: ", ")
            case "priority":
                ok = Self.priority(t) != nil
                expected = Priority.allCases.map(\.name).joined(separator: ", ")
            case "responsibility":
                ok = Responsibility.allCases.contains { $0.name == t || $0.chinese.contains(t) }
                expected = Responsibility.allCases.map(\.name).joined(separator: ", ")
            case "event":
                ok = LogisticsEventKind.allCases.contains { $0.name == t || $0.chinese.contains(t) }
                expected = LogisticsEventKind.allCases.map(\.name).joined(separator: ", ")
            case "exception":
                ok = ExceptionType.allCases.contains { $0.name == t || $0.chinese.contains(t) }
                expected = ExceptionType.allCases.map(\.name).joined(separator: ", ")
            default: break
            }
        }
        if !ok { throw error(p, "'\(value)' is not a valid \(column) for \(table.rawValue) (expected \(expected))") }
    }

    func encoding(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> EncodingChoice {
        let text = try string(v, at: path)
        guard let choice = EncodingChoice(rawValue: text.lowercased()) else {
            throw error(path, "'\(text)' is not a supported encoding (use \"auto\", \"utf-8\" or \"gb18030\")")
        }
        return choice
    }

    func delimiter(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> UInt8 {
        let text = try string(v, at: path)
        switch text {
        case ",": return UInt8(ascii: ",")
        case ";": return UInt8(ascii: ";")
        case "|": return UInt8(ascii: "|")
        case "\t", "\\t", "tab": return UInt8(ascii: "\t")
        default: throw error(path, "'\(text)' is not a supported delimiter (use \",\", \";\", \"|\" or \"\\t\")")
        }
    }
}
