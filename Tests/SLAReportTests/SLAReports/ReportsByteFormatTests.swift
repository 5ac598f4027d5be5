import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// The byte-level writers (`OutputBuffer`, `CSVWriter` cells, `JSONWriter.quote`) and the escape
/// fast paths must give exactly the text of the `String` formatters they replaced; these compare
/// them on edge cases.
@Suite struct ReportsByteFormatTests {
    static let decimals: [Double] = [
        0, -0.0, 1, -1, 0.5, -0.5, 0.1 + 0.2, 1.0 / 3.0, -2.0 / 3.0, 24, 24.00004, 24.00005, -24.00005,
        0.00005, -0.00005, 0.00004999, 0.0001, 0.001, 0.01, 0.10001, 9.99995, 99.99995, -99.99995,
        123_456.78915, 1e12 + 0.25, -1e12 - 0.25, 9.2e14, 9.1e18 / 1e4, 1e15 + 0.5, 1e20, -1e20, 1e300,
        .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
        Double(Int64.max), Double(Int64.min), 2.5e-5, 0.045, 1.005, 2.675, 108.8889, 3600.0 / 7,
    ]

    @Test func decimalsMatchNumberFormat() {
        var xs = Self.decimals
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            xs.append(Double.random(in: -1e6...1e6, using: &rng))
            xs.append(Double(Int.random(in: -100_000...100_000, using: &rng)) / 10_000)
        }
        for x in xs {
            for places in [-1, 0, 1, 2, 4, 6, 7] {
                var b = OutputBuffer()
                b.append(decimal: x, places: places)
                #expect(
                    String(decoding: b.bytes, as: UTF8.self) == NumberFormat.decimal(x, places: places),
                    "\(x) at \(places) places")
            }
        }
    }

    @Test(arguments: [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -987_654_321, Int.max, Int.min, Int(Int32.max) + 1])
    func integersMatchString(n: Int) {
        var b = OutputBuffer()
        b.append(int: n)
        #expect(String(decoding: b.bytes, as: UTF8.self) == String(n))
    }

    @Test func localTimesMatchLocalString() throws {
        let shanghai = try #require(ZoneRules(identifier: "Asia/Shanghai"))
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let newYork = try #require(ZoneRules(identifier: "America/New_York"))
        let times: [Int64] = [
            0, -1, 1, 86_399, 86_400, -86_400, -86_401, 1_795_000_000, 1_792_890_000, 1_792_893_600,
            // 0000-01-01, 9999-12-31 23:59:59, and beyond on both sides (the String fallback).
            -62_167_219_200, 253_402_300_799, 253_402_300_800, -62_167_219_201, -100_000_000_000, 400_000_000_000,
        ]
        for zone in [ZoneRules.utc, shanghai, berlin, newYork] {
            for t in times + (0..<500).map({ _ in Int64.random(in: -3_000_000_000...5_000_000_000) }) {
                var b: [UInt8] = []
                zone.appendLocalString(t, to: &b)
                #expect(String(decoding: b, as: UTF8.self) == zone.localString(t), "\(t) in \(zone.identifier)")
            }
        }
    }

    @Test(arguments: [
        "", " ", "a", " a", "a ", "a b", "=1+1", "+86", "-5", "@x", "\tx", "\rx", "x\r", "a,b", "say \"hi\"", "\"",
        "two\nlines", "质量问题", "'quoted'", "- leading dash and space ", "=\"a,b\"", "\u{1F600}", "e\u{301}",
    ])
    func csvCellsMatchFieldRules(raw: String) {
        var w = CSVWriter(bom: false)
        w.input(raw)
        w.text(raw)
        w.endRow()
        #expect(w.text == CSVWriter.field(CSVWriter.neutralised(raw)) + "," + CSVWriter.field(raw) + "\r\n")
    }

    @Test func csvTimesNumbersAndMissing() {
        var w = CSVWriter(bom: true)
        w.time(.missing, zone: .utc)
        w.time(0, zone: .utc)
        w.number(nil)
        w.number(-0.00001)
        w.number(.nan)
        w.int(-3)
        w.endRow()
        #expect(w.bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
        #expect(w.text == ",1970-01-01T00:00:00+00:00,,0,,-3\r\n")
    }

    /// The `String` quoting the byte writer replaced, scalar by scalar.
    static func referenceQuote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    @Test(arguments: [
        "", "plain", "a\"b\\c\n\t\u{01}\u{7F}中文", "\u{08}\u{0C}\r\u{1F}\u{00}", "line\u{2028}sep\u{2029}end",
        "\u{2027}\u{202A}\u{2013}–—…", "“quotes”", "\u{1F600} emoji", "e\u{301}", "\\", "\"", "tail\u{7F}",
    ])
    func jsonQuotingMatchesReference(s: String) {
        var b = OutputBuffer()
        JSONWriter.quote(s, into: &b)
        #expect(String(decoding: b.bytes, as: UTF8.self) == Self.referenceQuote(s))
    }

    @Test func jsonWriterMatchesTreeLayout() {
        var j = JSONWriter()
        j.beginObject()
        j.object("empty") { _ in }
        j.array("none") { _ in }
        j.array("list") { j in
            j.item()
            j.int(1)
            j.item()
            j.beginObject()
            j.number("x", nil)
            j.endObject()
        }
        j.number("n", 0.1 + 0.2)
        j.endObject()
        let tree = JSONValue.object([
            ("empty", .object([])), ("none", .array([])),
            ("list", .array([.int(1), .object([("x", .null)])])), ("n", .number(0.1 + 0.2)),
        ])
        let text = String(decoding: j.finish(), as: UTF8.self)
        #expect(text == tree.text())
        #expect(
            text
                == "{\n  \"empty\": {},\n  \"none\": [],\n  \"list\": [\n    1,\n    {\n      \"x\": null\n    }\n  ],\n  \"n\": 0.3\n}\n"
        )
    }

    /// The escapers' slow paths, written out: the fast paths must agree with them.
    static func referenceHTML(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\r": out += "\n"  // a CR line break inside a field shows as a line break
            default:
                if c.value < 0x20 && c != "\t" && c != "\n" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    static func referenceMarkdown(_ s: String) -> String {
        var out = ""
        if let f = s.unicodeScalars.first, "-+.=".unicodeScalars.contains(f) { out += "\\" }
        for ch in s.unicodeScalars {
            switch ch {
            case "\\", "|", "*", "_", "`", "<", ">", "[", "]", "#", "~", "!", "&":
                out += "\\"
                out.unicodeScalars.append(ch)
            case "\n", "\r", "\t": out += " "
            default:
                if ch.value < 0x20 { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    @Test(arguments: [
        "", "plain text", "A07", "质量问题", "a&b", "<b>", "\"q\" 'a'", "tab\there", "new\nline", "cr\rx", "\u{01}",
        "-5", "+1", ".x", "=y", "a|b*c_d`e", "[x](y)", "#1 ~ !", "back\\slash", "e\u{301}", "–dash", "93.5%",
    ])
    func escapeFastPathsMatchReference(s: String) {
        #expect(HTML.escape(s) == Self.referenceHTML(s))
        #expect(MarkdownRenderer.escape(s) == Self.referenceMarkdown(s))
    }
}
