import SLAIngest
import SLAModel

/// A key path inside the config, rendered for messages and line lookup: `calendar.workdays`,
/// `policy[2].when.type` (array elements 1-based), `aliases."售后单号"` (non-bare keys quoted).
struct ConfigPath: Hashable, CustomStringConvertible {
    var segments: [String]

    init(_ segments: [String] = []) { self.segments = segments }

    /// A child key.
    func key(_ k: String) -> ConfigPath { ConfigPath(segments + [Self.render(key: k)]) }

    /// Element `n` (1-based) of the array at this path.
    func index(_ n: Int) -> ConfigPath {
        var s = segments
        if s.isEmpty { s = ["[\(n)]"] } else { s[s.count - 1] += "[\(n)]" }
        return ConfigPath(s)
    }

    /// A-Z a-z 0-9 _ - (TOML bare keys).
    static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    var rendered: String { segments.joined(separator: ".") }
    var description: String { rendered }

    /// Bare keys as written, anything else in double quotes.
    static func render(key: String) -> String {
        if !key.isEmpty && key.utf8.allSatisfy(isBareKeyByte) { return key }
        var s = "\""
        for ch in key.unicodeScalars {
            switch ch {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\t": s += "\\t"
            default:
                if ch.value < 0x20 {
                    s += "\\u" + String(ch.value, radix: 16).leftPadded(4)
                } else {
                    s.unicodeScalars.append(ch)
                }
            }
        }
        return s + "\""
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
