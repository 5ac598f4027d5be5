import Foundation
import Testing

/// docs/summary.schema.json describes every summary.json slareport writes: the committed
/// reports (English and Chinese, weeks and months) and fresh runs.
@Suite("CLI.schema")
struct SummarySchemaTests {
    static func schema() throws -> SchemaValidator {
        let data = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("docs/summary.schema.json"))
        return SchemaValidator(root: try JSON.parse(data))
    }

    /// Every summary.json under `root`, real files only (a link such as `latest` leads to one
    /// of them), by path.
    static func summaries(under root: URL) -> [URL] {
        let fm = FileManager.default
        guard let e = fm.enumerator(at: root, includingPropertiesForKeys: [.isSymbolicLinkKey]) else { return [] }
        var out: [URL] = []
        for case let u as URL in e where u.lastPathComponent == "summary.json" {
            if (try? u.resourceValues(forKeys: [.isSymbolicLinkKey]).isSymbolicLink) == true { continue }
            out.append(u)
        }
        return out.sorted { $0.path < $1.path }
    }

    static func expectValid(_ files: [URL], _ v: SchemaValidator) throws {
        for f in files {
            let errors = v.errors(try JSON.parse(try Data(contentsOf: f)))
            #expect(errors.isEmpty, "\(f.path): \(errors.prefix(5).joined(separator: "; "))")
        }
    }

    @Test func committedSummariesMatchTheSchema() throws {
        let v = try Self.schema()
        // The published generation (`.current`): after `scripts/slareport run` in a clone the
        // folder also holds the generation before it, which is not what the reports are.
        let en = Self.summaries(
            under: CLI.packageRoot.appendingPathComponent("reports/.current").resolvingSymlinksInPath())
        let zh = Self.summaries(
            under: CLI.packageRoot.appendingPathComponent("reports/zh/.current").resolvingSymlinksInPath())
        // 8 weeks and 3 months in English, 1 week and 1 month in Chinese.
        #expect(en.count == 11 && zh.count == 2, "\(en.count) + \(zh.count) summaries")
        #expect(
            en.contains { $0.path.hasSuffix("/2026-11/summary.json") }
                && zh.contains { $0.path.hasSuffix("/2026-11/summary.json") })
        try Self.expectValid(en + zh, v)
    }

    @Test func freshRunsMatchTheSchema() throws {
        let v = try Self.schema()
        let dir = try CLI.scratch()
        // The sample, and the small fixture (tickets without most stop columns: skipped
        // policies) with an order deadline policy and a policy that measures nothing.
        let sample = dir.appendingPathComponent("sample")
        let r = try CLI.run(["run", "--quiet", "--out", sample.path], cwd: CLI.packageRoot)
        #expect(r.status == 0, "\(r.stderr)")
        let input = try Fixture.make(in: dir)
        try CLI.write(
            """
            timezone = "Asia/Shanghai"
            [[policy]]
            name = "first_response"
            label = "First response"
            start = "created_at"
            stop = "first_response_at"
            target = "4h"
            [[policy]]
            name = "refund"
            label = "Refund"
            when = { type = ["refund"] }
            start = "created_at"
            stop = "resolved_at"
            target = "1bd"
            clock = "business"
            [[policy]]
            name = "plan"
            label = "Plan"
            start = "created_at"
            stop = "repair_plan_at"
            target = "72h"
            [[policy]]
            name = "delivered"
            label = "Delivered as promised"
            table = "orders"
            start = "ordered_at"
            stop = "signed_at"
            due = "promised_delivery_at"
            goal = 0.9

            """, to: dir.appendingPathComponent("s.toml"))
        let small = dir.appendingPathComponent("small")
        let s = try CLI.run(
            ["run", "--quiet", "--config", "s.toml", "--input", input.path, "--out", small.path], cwd: dir)
        #expect(s.status == 0, "\(s.stderr)")
        // The crosscheck's v2 fixture: order and survey policies, surveys as the source of
        // satisfaction, deadline columns, a skipped policy.
        let v2 = dir.appendingPathComponent("v2")
        let f = try CLI.run(
            [
                "run", "--quiet", "--config", "slareport.toml", "--input", ".", "--max-reject-rate", "1",
                "--out", v2.path,
            ], cwd: CLI.packageRoot.appendingPathComponent("scripts/slacheck/fixtures/v2"))
        #expect(f.status == 0, "\(f.stderr)")
        let files = Self.summaries(under: sample) + Self.summaries(under: small) + Self.summaries(under: v2)
        #expect(files.count == 11 + 2 + 5)  // sample 8 + 3, fixture 1 + 1, v2 3 + 2
        try Self.expectValid(files, v)
        // The fixture's run exercises the nullable and optional fields the sample lacks.
        let week = try JSON.parse(try Data(contentsOf: small.appendingPathComponent("2026-W47/summary.json")))
        guard case .array(let sla)? = week["sla"] else { throw Failure("no sla") }
        #expect(sla.contains { $0["skipped"] == .string("repair_plan_at") })
        #expect(
            sla.contains {
                $0["due"] == .string("promised_delivery_at") && $0["clock"] == .null && $0["target_hours"] == .null
            })
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    // MARK: The validator itself

    static let tiny = """
        { "type": "object", "required": ["a", "k"], "additionalProperties": false,
          "properties": {
            "a": { "$ref": "#/$defs/count" },
            "b": { "type": ["string", "null"], "pattern": "^x" },
            "k": { "enum": ["week", "month"] },
            "m": { "type": "object", "additionalProperties": { "type": "integer" }, "propertyNames": { "enum": ["p", "q"] } },
            "l": { "type": "array", "items": { "const": 1 }, "minItems": 1, "maxItems": 3 },
            "w": { "type": "string" } },
          "if": { "properties": { "k": { "const": "week" } } }, "then": { "required": ["w"] },
          "else": { "properties": { "w": false } },
          "$defs": { "count": { "type": "integer", "minimum": 0 } } }
        """

    @Test(arguments: [
        (#"{"a": 1, "k": "month"}"#, ""),
        (#"{"a": 1, "k": "week", "w": "x", "b": null, "m": {"p": 2}, "l": [1, 1]}"#, ""),
        (#"{"a": 1.5, "k": "month"}"#, "/a: number is not integer"),  // a wrong type
        (#"{"a": true, "k": "month"}"#, "/a: boolean is not integer"),
        (#"{"a": -1, "k": "month"}"#, "/a: -1.0 < minimum 0.0"),
        (#"{"k": "month"}"#, ": missing required 'a'"),  // a missing required member
        (#"{"a": 1, "k": "month", "z": 0}"#, ": unexpected property 'z'"),  // an extra member
        (#"{"a": 1, "k": "day"}"#, "/k: string(\"day\") is not one of"),
        (#"{"a": 1, "k": "month", "b": "y"}"#, "/b: 'y' does not match ^x"),
        (#"{"a": 1, "k": "month", "m": {"p": "1"}}"#, "/m/p: string is not integer"),
        (#"{"a": 1, "k": "month", "m": {"r": 1}}"#, "/m/r (name): string(\"r\") is not one of"),
        (#"{"a": 1, "k": "month", "l": [1, 2]}"#, "/l/1: must be number(1.0)"),
        (#"{"a": 1, "k": "month", "l": []}"#, "/l: fewer than 1 items"),
        (#"{"a": 1, "k": "month", "l": [1, 1, 1, 1]}"#, "/l: more than 3 items"),
        (#"{"a": 1, "k": "week"}"#, ": missing required 'w'"),  // if/then
        (#"{"a": 1, "k": "month", "w": "x"}"#, "/w: not allowed here"),  // if/else
    ])
    func validatorReports(_ doc: String, _ expected: String) throws {
        let v = SchemaValidator(root: try JSON.parse(Self.tiny))
        let errors = v.errors(try JSON.parse(doc))
        if expected.isEmpty {
            #expect(errors.isEmpty, "\(errors)")
        } else {
            #expect(errors.count == 1 && errors[0].hasPrefix(expected), "\(errors)")
        }
    }

    @Test func validatorRejectsKeywordsItDoesNotCheck() throws {
        let v = SchemaValidator(root: try JSON.parse(#"{"type": "object", "minProperties": 1}"#))
        #expect(
            v.errors(try JSON.parse("{}")) == [": schema keyword 'minProperties' is not supported by this validator"])
    }
}
