/// One CSV cell. Input-derived text is neutralised against spreadsheet formula injection;
/// the tool's own text and numbers are written as they are.
enum CSVCell {
    /// Text copied from an input file (ids, agents, categories, raw rejected rows).
    case input(String)
    /// Text the tool produced (headers, policy names, states, timestamps).
    case text(String)
    case int(Int)
    /// A decimal, rounded to 4 places like summary.json; nil → empty cell.
    case number(Double?)

    var rendered: String {
        switch self {
        case .input(let s): return CSVWriter.neutralised(s)
        case .text(let s): return s
        case .int(let i): return String(i)
        case .number(let d): return d.map { NumberFormat.decimal($0, places: 4) } ?? ""
        }
    }
}

/// RFC 4180 writer: fields quoted only when they hold `,`, `"`, CR or LF; CRLF line ends;
/// UTF-8, with a BOM when asked (Excel needs it to show Chinese text).
struct CSVWriter {
    private(set) var text = ""
    let bom: Bool

    init(bom: Bool) { self.bom = bom }

    mutating func row(_ cells: [CSVCell]) {
        text += cells.map { CSVWriter.field($0.rendered) }.joined(separator: ",")
        text += "\r\n"
    }

    mutating func header(_ names: [String]) { row(names.map { .text($0) }) }

    var bytes: [UInt8] {
        (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
    }

    /// Quotes a field when RFC 4180 needs it (or when it has leading/trailing spaces, which some
    /// readers would trim).
    static func field(_ s: String) -> String {
        var needs = false
        for u in s.utf8 where u == UInt8(ascii: ",") || u == UInt8(ascii: "\"") || u == 0x0A || u == 0x0D {
            needs = true
            break
        }
        if !needs, let f = s.utf8.first, let l = s.utf8.last, f == 0x20 || l == 0x20 { needs = true }
        guard needs else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A leading `'` keeps spreadsheets from evaluating text that starts like a formula
    /// (`=`, `+`, `-`, `@`, tab, CR), the OWASP CSV-injection rule.
    static func neutralised(_ s: String) -> String {
        guard let f = s.utf8.first else { return s }
        switch f {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + s
        default:
            return s
        }
    }

    /// Fields re-joined as one CSV line (for the `raw` column of rejects.csv), without line end.
    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }
}

extension String {
    /// Plain substring replacement without Foundation (deterministic, locale-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, self.contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
