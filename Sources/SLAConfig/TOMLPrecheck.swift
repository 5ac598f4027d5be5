import SLAIngest
import SLAModel

/// Checks made before the text reaches TOMLKit. Its C++ parser (toml++) stops the process on an
/// assertion for some inputs that are plain syntax errors — a table header whose key does not
/// start with a key character (`[*tables]`, `[·[policy]]`, a `[` alone on its line), found by
/// the config fuzzer — so those are refused here with the line, as the TOML syntax errors they
/// are. Non-ASCII text is only valid inside strings and comments (keys outside quotes are ASCII).
enum TOMLPrecheck {
    /// The first problem found: its 1-based line and what it is; nil when none.
    static func check(_ text: String) -> (line: Int, message: String)? {
        let b = Array(text.utf8)
        var i = 0
        var line = 1
        var depth = 0  // open [ and { of values
        var stack: [UInt8] = []  // those brackets, innermost last
        var atLineStart = true
        /// What the next significant character must be: 1 = a value (after `=`, `[` or `,` in an
        /// array), 2 = a key (after `{` or `,` in an inline table); 0 = anything.
        var expect = 0
        @inline(__always) func at(_ k: Int, _ c: UInt8) -> Bool { k < b.count && b[k] == c }
        @inline(__always) func isBare(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
        /// Skips a string starting at i (a quote); stops at the end of a one-line string's line.
        func skipString() {
            let c = b[i]
            let multi = at(i + 1, c) && at(i + 2, c)
            i += multi ? 3 : 1
            while i < b.count {
                if b[i] == 0x0A {
                    if !multi { return }  // unterminated: TOMLKit reports it
                    line += 1
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "\"") && b[i] == UInt8(ascii: "\\") {
                    if at(i + 1, 0x0A) { line += 1 }
                    i += 2
                    continue
                }
                if b[i] == c && (!multi || (at(i + 1, c) && at(i + 2, c))) {
                    i += multi ? 3 : 1
                    while multi && at(i, c) { i += 1 }  // a multi-line string may end with more quotes
                    return
                }
                i += 1
            }
        }
        let header = "a table header must be one line starting with a key (letters, digits, _ or -, or a quoted key)"
        while i < b.count {
            let c = b[i]
            if expect != 0 && c != 0x20 && c != 0x09 && c != 0x0D && !(c == 0x0A && depth > 0)
                && !(c == UInt8(ascii: "#") && depth > 0)
            {
                // toml++ asserts instead of reporting when a value or key position holds a
                // separator, a closing bracket or the end of the line.
                let inArray = stack.last == UInt8(ascii: "[")
                let bad: Bool
                if expect == 1 {
                    bad =
                        c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == 0x0A || c == UInt8(ascii: "#")
                        || (c == UInt8(ascii: "]") && !inArray) || c == UInt8(ascii: "=")
                } else {
                    bad = !(isBare(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "}"))
                }
                if bad { return (line, expect == 1 ? "a value is missing" : "a key is missing in an inline table") }
                expect = 0
            }
            switch c {
            case 0x0A:
                line += 1
                atLineStart = true
                i += 1
            case 0x20, 0x09, 0x0D:
                i += 1
            case UInt8(ascii: "#"):
                while i < b.count && b[i] != 0x0A { i += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString()
                atLineStart = false
                expect = 0
            case UInt8(ascii: "[") where depth == 0 && atLineStart:
                // A table header: its key must start right (after spaces), and it closes on its line.
                i += 1
                if at(i, UInt8(ascii: "[")) { i += 1 }
                while at(i, 0x20) || at(i, 0x09) { i += 1 }
                guard i < b.count, isBare(b[i]) || b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else {
                    return (line, header)
                }
                while i < b.count && b[i] != UInt8(ascii: "]") {
                    if b[i] == 0x0A { return (line, header) }
                    if b[i] >= 0x80 {
                        return (line, "a non-ASCII character outside a quoted string (quote keys like \"售后单号\")")
                    }
                    if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") { skipString() } else { i += 1 }
                }
                atLineStart = false
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                stack.append(c)
                expect = c == UInt8(ascii: "[") ? 1 : 2
                atLineStart = false
                i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                if !stack.isEmpty { stack.removeLast() }
                atLineStart = false
                i += 1
            case UInt8(ascii: "="):
                expect = 1
                atLineStart = false
                i += 1
            case UInt8(ascii: ","):
                if let top = stack.last { expect = top == UInt8(ascii: "[") ? 1 : 2 }
                atLineStart = false
                i += 1
            default:
                if c >= 0x80 {
                    return (line, "a non-ASCII character outside a quoted string (quote keys like \"售后单号\")")
                }
                atLineStart = false
                i += 1
            }
        }
        return nil
    }
}
