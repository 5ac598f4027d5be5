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

@Suite struct ReportsNumberTests {
    @Test(arguments: [
        // (value, text)
        (1.0 / 3.0, "0.3333"),
        (2.0 / 3.0, "0.6667"),
        (0.1 + 0.2, "0.3"),
        (24.0, "24"),
        (0.5, "0.5"),
        (-0.00001, "0"),
        (-2.5, "-2.5"),
        (0.00005, "0.0001"),  // half away from zero
        (1e12 + 0.25, "1000000000000.25"),
        (1e20, "100000000000000000000"),
    ])
    func decimal(x: Double, expected: String) {
        #expect(NumberFormat.decimal(x) == expected)
    }

    @Test func jsonNumbersAndIntegers() {
        let v = JSONValue.object([
            ("a", .number(0.1 + 0.2)), ("b", SummaryJSON.quantity(24.0)), ("c", SummaryJSON.quantity(0.5)),
            ("d", .number(nil)), ("e", .number(.nan)),
        ])
        #expect(v.text() == "{\n  \"a\": 0.3,\n  \"b\": 24,\n  \"c\": 0.5,\n  \"d\": null,\n  \"e\": null\n}\n")
    }

    @Test func jsonStringEscaping() {
        var out = ""
        JSONValue.quote("a\"b\\c\n\t\u{01}\u{7F}中文", into: &out)
        #expect(out == "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f中文\"")
    }

    @Test func groupingAndChanges() {
        #expect(NumberFormat.grouped(1_234_567) == "1,234,567")
        #expect(NumberFormat.grouped(-1000) == "-1,000")
        #expect(NumberFormat.countChange(5, 8) == "−3")
        #expect(NumberFormat.pointsChange(0.95, 0.9) == "+5")
        #expect(NumberFormat.pointsChange(0.9, 0.95) == "−5")
        #expect(NumberFormat.percent(2.0 / 3.0) == "66.7%")
    }
}
