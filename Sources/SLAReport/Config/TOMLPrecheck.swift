/// Checks made before the text reaches TOMLKit. Its C++ parser (toml++) stops the process on an
/// assertion for some inputs that are plain syntax errors — a non-ASCII character where a key
/// should be, as in `[·[policy]]` — so those are refused here with the line, as the TOML
/// syntax errors they are. TOML keys outside quotes are ASCII; non-ASCII text is only valid
/// inside strings and comments.
enum TOMLPrecheck {
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
