import SLAFast
import SLAMetrics
import SLAModel

/// A deterministic pretty JSON printer that writes straight into bytes: 2-space indent,
/// `"key": value`, empty containers as `{}` / `[]`, members in the order they are written.
///
/// Foundation's `JSONEncoder` neither keeps key order nor prints `0.3` for `0.1 + 0.2`; the
/// contract in SPEC 6 needs both. summary.json is streamed through this (a busy week has hundreds
/// of alerts); smaller documents build a `JSONValue` tree, which prints through it too.
struct JSONWriter {
    private(set) var out: OutputBuffer
    /// Nesting depth of the open containers.
    private var depth = 0
    /// The innermost open container has no member yet.
    private var fresh = false

    init(capacity: Int = 0) { out = OutputBuffer(capacity: capacity) }

    /// The bytes written since the last `drain`, handed over (a large document goes to a
    /// `ByteSink` a piece at a time).
    mutating func drain() -> [UInt8] {
        let b = out.bytes
        out = OutputBuffer(capacity: b.count)
        return b
    }

    /// The document with its trailing newline.
    mutating func finish() -> [UInt8] {
        out.append(byte: 0x0A)
        return out.bytes
    }

    // MARK: Containers

    mutating func beginObject() { begin(UInt8(ascii: "{")) }
    mutating func endObject() { end(UInt8(ascii: "}")) }
    mutating func beginArray() { begin(UInt8(ascii: "[")) }
    mutating func endArray() { end(UInt8(ascii: "]")) }

    private mutating func begin(_ b: UInt8) {
        out.append(byte: b)
        depth += 1
        fresh = true
    }

    private mutating func end(_ b: UInt8) {
        depth -= 1
        if !fresh {
            out.append(byte: 0x0A)
            indent()
        }
        out.append(byte: b)
        fresh = false
    }

    private mutating func indent() {
        for _ in 0..<depth * 2 { out.append(byte: 0x20) }
    }

    /// Starts the next array element.
    mutating func item() {
        if !fresh { out.append(byte: UInt8(ascii: ",")) }
        out.append(byte: 0x0A)
        fresh = false
        indent()
    }

    /// Starts the next object member.
    mutating func key(_ k: String) {
        item()
        JSONWriter.quote(k, into: &out)
        out.append(byte: UInt8(ascii: ":"))
        out.append(byte: 0x20)
    }

    // MARK: Values (after `key` or `item`)

    mutating func null() { out.append("null") }
    mutating func bool(_ b: Bool) { out.append(b ? "true" : "false") }
    mutating func int(_ i: Int) { out.append(int: i) }
    mutating func string(_ s: String) { JSONWriter.quote(s, into: &out) }

    /// Integers as one line, `[1, 2, 3]` (a row of a grid reads better than one number a line).
    mutating func intRow<C: Collection>(_ values: C) where C.Element == Int {
        out.append(byte: UInt8(ascii: "["))
        var first = true
        for v in values {
            if !first { out.append(", ") }
            first = false
            out.append(int: v)
        }
        out.append(byte: UInt8(ascii: "]"))
    }

    /// Rounded to 4 decimals (an integral value prints as integer); nil or non-finite → `null`.
    mutating func number(_ d: Double?) {
        guard let d, d.isFinite else { return null() }
        out.append(decimal: d, places: 4)
    }

    // MARK: Members

    mutating func int(_ k: String, _ i: Int) {
        key(k)
        int(i)
    }

    mutating func string(_ k: String, _ s: String) {
        key(k)
        string(s)
    }

    mutating func number(_ k: String, _ d: Double?) {
        key(k)
        number(d)
    }

    mutating func null(_ k: String) {
        key(k)
        null()
    }

    mutating func bool(_ k: String, _ b: Bool) {
        key(k)
        bool(b)
    }

    mutating func object(_ k: String, _ body: (inout JSONWriter) -> Void) {
        key(k)
        beginObject()
        body(&self)
        endObject()
    }

    mutating func array(_ k: String, _ body: (inout JSONWriter) -> Void) {
        key(k)
        beginArray()
        body(&self)
        endArray()
    }

    // MARK: Strings

    /// RFC 8259 string: escapes `"`, `\` and control characters (and DEL, U+2028, U+2029);
    /// other text stays UTF-8.
    static func quote(_ s: String, into out: inout OutputBuffer) {
        var s = s
        s.withUTF8 { u in
            out.append(byte: UInt8(ascii: "\""))
            // Bytes that may need an escape: ASCII controls, `"`, `\`, DEL, and 0xE2 (the lead
            // byte of U+2028/U+2029). Runs without them are copied at once.
            var runStart = 0
            var i = 0
            let n = u.count
            while i < n {
                let b = u[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b != 0x7F && b != 0xE2 {
                    i += 1
                    continue
                }
                var escape: StaticString? = nil
                var code: UInt32? = nil
                switch b {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0xE2:
                    if i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9) {
                        code = u[i + 2] == 0xA8 ? 0x2028 : 0x2029
                    }
                default: code = UInt32(b)
                }
                if escape == nil && code == nil {
                    i += 1
                    continue
                }
                // Safe: runStart <= i < n = u.count (i only grows, by 3 only when i + 2 < n).
                assert(runStart <= i && i < n)
                out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(u)[runStart..<i]))
                if let escape {
                    out.append(escape)
                    i += 1
                } else if let code {
                    out.append("\\u")
                    for shift in stride(from: 12, through: 0, by: -4) {
                        let d = UInt8((code >> UInt32(shift)) & 0xF)
                        out.append(byte: d < 10 ? 0x30 + d : 0x61 + d - 10)
                    }
                    i += code > 0xFF ? 3 : 1
                }
                runStart = i
            }
            // Safe: runStart <= n = u.count (it is an i of the loop, which never passes n).
            assert(runStart <= n)
            out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(u)[runStart..<n]))
            out.append(byte: UInt8(ascii: "\""))
        }
    }
}

/// A minimal JSON value with ordered objects, printed by `JSONWriter` (run.json and tests build
/// trees; summary.json streams).
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A non-integer quantity: printed rounded to 4 decimals (an integral value prints as integer).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool { a.text() == b.text() }

    /// `nil` becomes `null`.
    static func number(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .number(x)
    }

    /// Pretty text: 2-space indent, `"key": value`, empty containers as `{}` / `[]`, trailing newline.
    func text() -> String { String(decoding: bytes(), as: UTF8.self) }

    func bytes() -> [UInt8] {
        var w = JSONWriter()
        write(into: &w)
        return w.finish()
    }

    private func write(into w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .int(let i): w.int(i)
        case .number(let d): w.number(d)
        case .string(let s): w.string(s)
        case .array(let items):
            w.beginArray()
            for v in items {
                w.item()
                v.write(into: &w)
            }
            w.endArray()
        case .object(let members):
            w.beginObject()
            for (k, v) in members {
                w.key(k)
                v.write(into: &w)
            }
            w.endObject()
        }
    }

    /// RFC 8259 string: escapes `"`, `\` and control characters; other text stays UTF-8.
    static func quote(_ s: String, into out: inout String) {
        var b = OutputBuffer()
        JSONWriter.quote(s, into: &b)
        out += String(decoding: b.bytes, as: UTF8.self)
    }
}
