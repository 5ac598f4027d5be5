import SLAFast
import SLAMetrics
import SLAModel

/// What the orchestrator knows about the run as a whole, for `run.json`, the data-quality box and
/// the report footers.
public struct RunInfo: Sendable {
    /// The as-of instant (UTC epoch seconds).
    public var asOf: Int64
    public var toolVersion: String
    /// "built-in" or the config file's path.
    public var configSource: String
    /// SHA-256 (hex) of the config file's bytes, or of the built-in defaults' text.
    public var configHash: String
    public var files: [FileStats]
    public var tables: [TableStats]
    public var rejectCount: Int
    /// Stage name → seconds. The only non-deterministic part of the output.
    public var timings: [(String, Double)]
    /// Accepted timestamps: from `valid_from` (local midnight) to the cutoff (the run's wall
    /// clock plus two days). The cutoff, like the timings, changes from run to run.
    public var validFrom: Int64? = nil
    public var timestampCutoff: Int64? = nil
    /// Policies not computed, with the column no file of their table has.
    public var skippedPolicies: [SkippedPolicies.Entry] = []

    public init(
        asOf: Int64, toolVersion: String, configSource: String, configHash: String,
        files: [FileStats] = [], tables: [TableStats] = [], rejectCount: Int = 0,
        timings: [(String, Double)] = []
    ) {
        self.asOf = asOf
        self.toolVersion = toolVersion
        self.configSource = configSource
        self.configHash = configHash
        self.files = files
        self.tables = tables
        self.rejectCount = rejectCount
        self.timings = timings
    }

    /// The statistics of a table, zero when it had no file.
    func table(_ t: Table) -> TableStats { tables.first { $0.table == t } ?? TableStats(table: t) }
}

/// `run.json`: inputs, config, as_of, version, totals and timings.
package enum RunJSON {
    package static func text(
        _ run: RunInfo, zone: ZoneRules, weeks: [WeeklySummary], written: Range<Int>,
        months: [WeeklySummary]? = nil, monthsWritten: Range<Int> = 0..<0
    ) -> String {
        let kinds = Self.kinds
        let files: [JSONValue] = run.files.map(Self.input)
        let tables: [(String, JSONValue)] = Table.allCases.map { t in
            let s = run.table(t)
            return (
                t.rawValue,
                .object([
                    ("files", .int(s.files)),
                    ("rows_read", .int(s.rowsRead)),
                    ("accepted", .int(s.accepted)),
                    ("rejected", .int(s.rejected)),
                    ("rejected_by_kind", kinds(s.rejectedByKind)),
                    ("duplicates_merged", .int(s.duplicatesMerged)),
                    ("unique", .int(s.unique)),
                ])
            )
        }
        let weekNames = weeks.map { JSONValue.string($0.week) }
        let root: JSONValue = .object([
            ("tool", .string("slareport")),
            ("tool_version", .string(run.toolVersion)),
            ("as_of", .string(zone.iso8601(run.asOf))),
            ("timezone", .string(zone.identifier)),
            ("valid_from", run.validFrom.map { .string(zone.iso8601($0)) } ?? .null),
            ("timestamp_cutoff", run.timestampCutoff.map { .string(zone.iso8601($0)) } ?? .null),
            ("config", .object([("source", .string(run.configSource)), ("sha256", .string(run.configHash))])),
            ("inputs", .array(files)),
            ("tables", .object(tables)),
            ("rejects", .int(run.rejectCount)),
            (
                "skipped_policies",
                .array(
                    run.skippedPolicies.map { e in
                        .object([("policy", .string(e.policy)), ("column", .string(e.column))])
                    })
            ),
            (
                "weeks",
                .object([
                    ("reported", .array(weekNames)),
                    ("written", .array(Array(weekNames[written]))),
                ])
            ),
            (
                "months",
                months.map { m -> JSONValue in
                    let names = m.map { JSONValue.string($0.week) }
                    return .object([("reported", .array(names)), ("written", .array(Array(names[monthsWritten])))])
                } ?? .null
            ),
            ("timings", .object(run.timings.map { ($0.0, .number($0.1)) })),
        ])
        return root.text()
    }

    /// One input file's entry of run.json's "inputs", as a JSON document of its own
    /// (`slareport map`'s stats.json).
    package static func inputText(_ f: FileStats) -> String { input(f).text() }

    /// One input file's entry of run.json's "inputs".
    static func input(_ f: FileStats) -> JSONValue {
        .object([
            ("path", .string(f.path)),
            ("table", .string(f.table.rawValue)),
            ("bytes", .int(f.bytes)),
            ("sha256", .string(f.sha256)),
            ("gzip", .bool(f.gzip)),
            ("encoding", .string(f.encoding)),
            ("rows_read", .int(f.rowsRead)),
            ("accepted", .int(f.accepted)),
            ("rejected", .int(f.rejected)),
            ("rejected_by_kind", kinds(f.rejectedByKind)),
            ("invalid_amounts", .int(f.invalidAmounts)),
            ("invalid_numbers", .int(f.invalidNumbers)),
        ])
    }

    /// Rejected rows by kind, the kinds with none left out.
    static func kinds(_ m: [RejectKind: Int]) -> JSONValue {
        .object(RejectKind.allCases.compactMap { k in (m[k] ?? 0) > 0 ? (k.rawValue, .int(m[k]!)) : nil })
    }
}
