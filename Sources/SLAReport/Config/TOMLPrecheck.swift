/// Checks made before the text reaches TOMLKit. Its C++ parser (toml++) stops the process on an
/// assertion for some inputs that are plain syntax errors — a character that cannot start a key
/// where a table header's key should be, as in `[*tables]` or `[·[policy]]` (found by the config
/// fuzzer) — so those are refused here with the line, as the TOML syntax errors they are.
enum TOMLPrecheck {
    /// The first problem found: its 1-based line and what it is; nil when none.
    static func check(_ text: String) -> (line: Int, message: String)? {
        if let line = nonASCIIOutsideStrings(text) {
            return (line, "a non-ASCII character outside a quoted string (quote keys like \"售后单号\")")
        }
        if let line = badHeaderKey(text) { return (line, "a table header must start with a key (letters, digits, _ or -, or a quoted key)") }
        return nil
    }

    /// The line of the first `[table]` or `[[array]]` header whose key does not start with a
    /// bare-key character or a quote.
    static func badHeaderKey(_ text: String) -> Int? {
        var line = 1
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            var u = Substring(l).utf8[...]
            while let f = u.first, f == 0x20 || f == 0x09 { u = u.dropFirst() }
            guard u.first == UInt8(ascii: "[") else { continue }
            u = u.dropFirst()
            if u.first == UInt8(ascii: "[") { u = u.dropFirst() }
            while let f = u.first, f == 0x20 || f == 0x09 { u = u.dropFirst() }
            guard let c = u.first else { continue }  // "[" alone: an array value going on below
            let bare = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
            // A line starting with "[" may also continue a multi-line array value ("[1, 2]",
            // "[ \"a\" ]", "[]"): only values that cannot be a key are refused.
            if !bare && c != UInt8(ascii: "\"") && c != UInt8(ascii: "'") && c != UInt8(ascii: "]") && c != UInt8(ascii: "[")
                && c != UInt8(ascii: "{") && c != UInt8(ascii: "+") && c != UInt8(ascii: "#") && c != 0x0D
            {
                return line
            }
        }
        return nil
    }

    /// The 1-based line of the first non-ASCII byte outside strings and comments, if any.
    static func nonASCIIOutsideStrings(_ text: String) -> Int? {
        let b = Array(text.utf8)
        var i = 0
        var line = 1
        @inline(__always) func at(_ k: Int, _ c: UInt8) -> Bool { k < b.count && b[k] == c }
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x0A:
                line += 1
                i += 1
            case UInt8(ascii: "#"):
                while i < b.count && b[i] != 0x0A { i += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let multi = at(i + 1, c) && at(i + 2, c)
                i += multi ? 3 : 1
                while i < b.count {
                    if b[i] == 0x0A {
                        if !multi { break }  // an unterminated one-line string: TOMLKit reports it
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
                        // A multi-line string may end with up to two more quotes.
                        while multi && at(i, c) { i += 1 }
                        break
                    }
                    i += 1
                }
            default:
                if c >= 0x80 { return line }
                i += 1
            }
        }
        return nil
    }
}
