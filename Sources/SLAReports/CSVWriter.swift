import SLAFast
import SLAMetrics
import SLAModel

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
}

/// RFC 4180 writer: fields quoted only when they hold `,`, `"`, CR or LF; CRLF line ends;
/// UTF-8, with a BOM when asked (Excel needs it to show Chinese text).
///
/// Cells go straight into the file's bytes: `row` for a list of cells, or one call per cell
/// (`input`, `text`, `int`, `number`, `time`) and `endRow` where rows are many (sla_breaches.csv
/// of a busy week has thousands), so no array or `String` is built per cell.
package struct CSVWriter {
    private var out: OutputBuffer
    let bom: Bool
    /// Whether the current row has a cell yet (the next one needs a separator).
    private var inRow = false

    package init(bom: Bool, capacity: Int = 0) {
        self.bom = bom
        out = OutputBuffer(capacity: capacity + 3)
        if bom { out.bytes += [0xEF, 0xBB, 0xBF] }
    }

    /// The whole file (with the BOM when asked), or what was written since the last `drain`.
    package var bytes: [UInt8] { out.bytes }

    /// The bytes written since the last `drain`, handed over (a large file goes to a `ByteSink`
    /// a piece at a time).
    package mutating func drain() -> [UInt8] {
        let b = out.bytes
        out = OutputBuffer(capacity: b.count)
        return b
    }

    /// The text after the BOM.
    var text: String { String(decoding: out.bytes.dropFirst(bom ? 3 : 0), as: UTF8.self) }

    mutating func row(_ cells: [CSVCell]) {
        for c in cells { cell(c) }
        endRow()
    }

    /// A header row. Names can come from the config (policy names in weeks.csv and agents.csv),
    /// so they are neutralised like input text.
    mutating func header(_ names: [String]) {
        for n in names { input(n) }
        endRow()
    }

    mutating func cell(_ c: CSVCell) {
        switch c {
        case .input(let s): input(s)
        case .text(let s): text(s)
        case .int(let i): int(i)
        case .number(let d): number(d)
        }
    }

    @inline(__always)
    private mutating func separate() {
        if inRow { out.append(byte: UInt8(ascii: ",")) }
        inRow = true
    }

    package mutating func endRow() {
        out.append("\r\n")
        inRow = false
    }

    /// Text copied from an input file: neutralised, then quoted when needed.
    mutating func input(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { CSVWriter.writeField($0, neutralise: true, into: &out) }
    }

    /// Text copied from an input file, as an interned string's bytes (no `String` made):
    /// neutralised, then quoted when needed; `.none` is an empty cell.
    mutating func input(_ id: StrID, pool: StringPool) {
        separate()
        if id < 0 { return }
        // Safe: interned strings are bytes (UInt8 only); the buffer is used only for the call.
        pool.withBytes(id) {
            CSVWriter.writeField($0.assumingMemoryBound(to: UInt8.self), neutralise: true, into: &out)
        }
    }

    /// Text the tool produced: quoted when needed.
    package mutating func text(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { CSVWriter.writeField($0, neutralise: false, into: &out) }
    }

    package mutating func int(_ i: Int) {
        separate()
        out.append(int: i)
    }

    /// Rounded to 4 places like summary.json; nil → empty cell.
    mutating func number(_ d: Double?) {
        separate()
        if let d { out.append(decimal: d, places: 4) }
    }

    /// Local time with the zone's offset, "2026-11-23T08:00:00+08:00"; `.missing` → empty cell.
    mutating func time(_ t: Timestamp, zone: ZoneRules) {
        separate()
        if t != .missing && t != .max { out.append(isoTime: t, zone: zone) }
    }

    /// `field(neutralised(s))` (or `field(s)`) written as bytes.
    // Safe: `u` is valid for the call (a String's UTF-8 or an interned string's bytes) and only
    // iterated or copied whole; nothing keeps it.
    private static func writeField(_ u: UnsafeBufferPointer<UInt8>, neutralise: Bool, into out: inout OutputBuffer) {
        guard let f = u.first, let l = u.last else { return }
        var prefix = false
        if neutralise {
            switch f {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: prefix = true
            default: break
            }
        }
        var needs = (!prefix && f == 0x20) || l == 0x20
        var quotes = false
        if !needs {
            for b in u where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                needs = true
                break
            }
        }
        if needs { quotes = u.contains(UInt8(ascii: "\"")) }
        if needs { out.append(byte: UInt8(ascii: "\"")) }
        if prefix { out.append(byte: UInt8(ascii: "'")) }
        if quotes {
            for b in u {
                out.append(byte: b)
                if b == UInt8(ascii: "\"") { out.append(byte: b) }
            }
        } else {
            out.append(UnsafeRawBufferPointer(u))
        }
        if needs { out.append(byte: UInt8(ascii: "\"")) }
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
    /// Every occurrence of `target` replaced, matched as UTF-8 bytes: no Foundation, no locale,
    /// and no grapheme clustering, so a quote followed by a combining mark is still a quote.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let parts = parts(separatedBy: target, omittingEmpty: false)
        return parts.count == 1 ? self : parts.joined(separator: replacement)
    }

    /// The text between occurrences of `separator`, matched as UTF-8 bytes (valid UTF-8 split at
    /// a whole encoded separator stays valid). The whole string when the separator is empty.
    func parts(separatedBy separator: String, omittingEmpty: Bool) -> [String] {
        let t = Array(separator.utf8)
        guard let first = t.first else { return [self] }
        var out: [String] = []
        var u = self
        u.withUTF8 { s in
            var start = 0
            var i = 0
            // Safe: start <= end <= s.count (take gets i <= s.count - t.count, or s.count), so the
            // rebased slice lies in s; s is used only inside withUTF8.
            func take(_ end: Int) {
                assert(start >= 0 && start <= end && end <= s.count)
                if end > start || !omittingEmpty {
                    out.append(String(decoding: UnsafeBufferPointer(rebasing: s[start..<end]), as: UTF8.self))
                }
            }
            while i + t.count <= s.count {
                if s[i] == first && (1..<t.count).allSatisfy({ s[i + $0] == t[$0] }) {
                    take(i)
                    i += t.count
                    start = i
                } else {
                    i += 1
                }
            }
            take(s.count)
        }
        return out
    }
}
