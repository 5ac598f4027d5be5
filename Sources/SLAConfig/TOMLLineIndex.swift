import SLAIngest
import SLAModel

/// Where each key of a TOML document sits: key path → 1-based line.
///
/// TOMLKit 0.6.0 reports positions only for syntax errors, not for the nodes of a parsed document,
/// so the loader finds lines here by scanning the text again. The scanner runs only on documents
/// TOMLKit has accepted, so it can be lenient; it tracks strings (all four kinds, multi-line ones
/// included), comments, table headers, arrays of tables, dotted keys, inline tables and arrays.
///
/// Paths use the loader's rendering (see `ConfigPath`): `calendar.workdays`, `policy[2].when.type`,
/// `calendar.holidays[3]` (third element of an array; indices are 1-based), `aliases."售后单号"`.
struct TOMLLineIndex {
    private(set) var lines: [String: Int] = [:]

    init(text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.run()
        lines = scanner.lines
    }

    /// The line of `path`, or of its nearest enclosing key or table that is written in the file.
    func line(of path: ConfigPath) -> Int? {
        var p = path
        while !p.segments.isEmpty {
            if let l = lines[p.rendered] { return l }
            p.segments.removeLast()
        }
        return nil
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lines: [String: Int] = [:]
        /// Current table from the last header, as rendered segments ("policy[2]", "when").
        var table: [String] = []
        /// How many `[[x]]` blocks each resolved array-table path has had so far.
        var arrayTables: [String: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count }
        var current: UInt8 { bytes[i] }

        mutating func run() {
            while !atEnd {
                skipTrivia(newlines: true)
                if atEnd { break }
                if current == UInt8(ascii: "[") {
                    header()
                } else {
                    keyValue(in: table)
                }
                // Anything left on the line (a comment) is skipped by the next skipTrivia.
                skipToLineEnd()
            }
        }

        mutating func record(_ segments: [String]) {
            // Record every prefix too, so a dotted key also locates its implicit tables. The
            // prefixes are built by appending, so a deeply nested key costs its length, not its
            // length squared (a file of nested headers must parse in linear time).
            var key = ""
            for (n, s) in segments.enumerated() {
                if n > 0 { key += "." }
                key += s
                if lines[key] == nil { lines[key] = line }
            }
        }

        mutating func header() {
            i += 1
            let isArray = !atEnd && current == UInt8(ascii: "[")
            if isArray { i += 1 }
            let keys = keySegments()
            // Resolve each prefix that is an array of tables to its latest element. `prefix` is
            // `resolved` joined with dots, extended as it grows.
            var resolved: [String] = []
            var prefix = ""
            for (n, k) in keys.enumerated() {
                let path = prefix.isEmpty && n == 0 ? k : prefix + "." + k
                defer { prefix = prefix.isEmpty && n == 0 ? resolved[n] : prefix + "." + resolved[n] }
                if isArray && n == keys.count - 1 {
                    let count = (arrayTables[path] ?? 0) + 1
                    arrayTables[path] = count
                    resolved.append("\(k)[\(count)]")
                } else if let count = arrayTables[path] {
                    resolved.append("\(k)[\(count)]")
                } else {
                    resolved.append(k)
                }
            }
            table = resolved
            record(resolved)
            while !atEnd && current != UInt8(ascii: "\n") && current != UInt8(ascii: "#") { i += 1 }
        }

        /// `key = value` (dotted keys allowed) relative to `base`.
        mutating func keyValue(in base: [String]) {
            let keys = keySegments()
            skipTrivia(newlines: false)
            guard !atEnd, current == UInt8(ascii: "=") else { return }
            i += 1
            let path = base + keys
            record(path)
            skipTrivia(newlines: false)
            value(path)
        }

        mutating func value(_ path: [String]) {
            guard !atEnd else { return }
            switch current {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                _ = string()
            case UInt8(ascii: "["):
                i += 1
                var index = 0
                while true {
                    skipTrivia(newlines: true)
                    if atEnd { return }
                    if current == UInt8(ascii: "]") {
                        i += 1
                        return
                    }
                    if current == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    index += 1
                    var element = path
                    // The scanner is lenient: on text it misreads the path can be empty.
                    if element.isEmpty { element = ["[\(index)]"] } else { element[element.count - 1] += "[\(index)]" }
                    record(element)
                    let before = i
                    value(element)
                    if i == before { i += 1 }  // never loop on an unexpected byte
                }
            case UInt8(ascii: "{"):
                i += 1
                while true {
                    skipTrivia(newlines: true)
                    if atEnd { return }
                    if current == UInt8(ascii: "}") {
                        i += 1
                        return
                    }
                    if current == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    let before = i
                    keyValue(in: path)
                    if i == before { i += 1 }
                }
            default:
                // Number, bool, date or time: up to a delimiter (dates may hold a space).
                while !atEnd {
                    let c = current
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")
                        || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "#")
                    {
                        break
                    }
                    i += 1
                }
            }
        }

        /// Dotted key, each part rendered as `ConfigPath` renders keys.
        mutating func keySegments() -> [String] {
            var parts: [String] = []
            while !atEnd {
                skipTrivia(newlines: false)
                guard !atEnd else { break }
                let c = current
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    parts.append(ConfigPath.render(key: string()))
                } else {
                    let start = i
                    while !atEnd && Self.isBare(current) { i += 1 }
                    if i == start { break }
                    parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                }
                skipTrivia(newlines: false)
                if !atEnd && current == UInt8(ascii: ".") { i += 1 } else { break }
            }
            return parts
        }

        static func isBare(_ c: UInt8) -> Bool { ConfigPath.isBareKeyByte(c) }

        /// Reads a string of any of the four kinds and returns its value (escapes decoded).
        mutating func string() -> String {
            let quote = current
            let multi = i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote
            i += multi ? 3 : 1
            var out: [UInt8] = []
            while !atEnd {
                let c = current
                if c == quote {
                    if !multi {
                        i += 1
                        break
                    }
                    if i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote {
                        i += 3
                        // Up to two more quotes may belong to the content ("""a"""").
                        while !atEnd && current == quote {
                            out.append(quote)
                            i += 1
                        }
                        break
                    }
                }
                if c == UInt8(ascii: "\n") { line += 1 }
                if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") && i + 1 < bytes.count {
                    i += 1
                    out.append(contentsOf: escape())
                    continue
                }
                out.append(c)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// After a backslash: the escaped bytes (line-ending backslashes yield nothing).
        mutating func escape() -> [UInt8] {
            let c = current
            i += 1
            switch c {
            case UInt8(ascii: "n"): return [0x0A]
            case UInt8(ascii: "t"): return [0x09]
            case UInt8(ascii: "r"): return [0x0D]
            case UInt8(ascii: "b"): return [0x08]
            case UInt8(ascii: "f"): return [0x0C]
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = c == UInt8(ascii: "u") ? 4 : 8
                guard i + n <= bytes.count,
                    let v = UInt32(String(decoding: bytes[i..<i + n], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(v)
                else { return [] }
                i += n
                return Array(String(Character(scalar)).utf8)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                // Line-ending backslash in a multi-line string: skip the whitespace that follows.
                i -= 1
                while !atEnd, [0x20, 0x09, 0x0D, 0x0A].contains(current) {
                    if current == 0x0A { line += 1 }
                    i += 1
                }
                return []
            default: return [c]
            }
        }

        mutating func skipTrivia(newlines: Bool) {
            while !atEnd {
                let c = current
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                    i += 1
                } else if c == UInt8(ascii: "\n") {
                    guard newlines else { return }
                    line += 1
                    i += 1
                } else if c == UInt8(ascii: "#") {
                    while !atEnd && current != UInt8(ascii: "\n") { i += 1 }
                } else {
                    return
                }
            }
        }

        mutating func skipToLineEnd() {
            while !atEnd && current != UInt8(ascii: "\n") {
                if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") { _ = string() } else { i += 1 }
            }
        }
    }
}
