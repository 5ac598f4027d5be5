import SLAFast
import SLAMetrics
import SLAModel

/// Renders the whole output tree (SPEC 6) as relative paths and bytes. Writing them atomically is
/// the caller's job; this type never touches the file system, the clock or the locale, so the
/// same inputs give byte-identical files (run.json's `timings` aside).
public struct ReportSet {
    public let config: Config
    public let zone: ZoneRules
    public let run: RunInfo
    /// A period with more agents than this writes summary.json and agents.csv through the
    /// `stream` of `folders` (when given) instead of holding them whole: a million agents make a
    /// summary.json of over a gigabyte.
    public var streamAgentsAbove = 20_000
    /// The same for sla_breaches.csv of a period with more breaches than this.
    public var streamBreachesAbove = 100_000

    public init(config: Config, zone: ZoneRules, run: RunInfo) {
        self.config = config
        self.zone = zone
        self.run = run
    }

    /// Every file of the output tree, relative paths ("index.html", "weeks.csv", "run.json",
    /// "rejects.csv", "2026-W47/summary.json", …), deterministic bytes.
    /// `weeks` are all reported weeks in order (previous-week values come from the list); `written`
    /// selects which week folders to emit (--from/--to); index.html and weeks.csv cover the same
    /// weeks, so every link in them resolves.
    /// `openItems` (every clock open at as_of) default to none.
    public func render(
        weeks: [WeeklySummary], written: Range<Int>? = nil, rejects: [Reject],
        existing: Set<String> = [], months: [WeeklySummary]? = nil, monthsWritten: Range<Int>? = nil,
        openItems: [OpenItem]? = nil
    )
        -> [(path: String, bytes: [UInt8])]
    {
        let range = (written ?? weeks.indices).clamped(to: weeks.indices)
        var out = folders(weeks, range, kind: .week)
        var monthRange = 0..<0
        if let months {
            monthRange = (monthsWritten ?? months.indices).clamped(to: months.indices)
            out += folders(months, monthRange, kind: .month)
        }
        var top = topFiles(
            weeks: weeks, written: range, rejects: rejects, existing: existing, months: months,
            monthsWritten: monthRange, openItems: openItems ?? [])
        // run.json before rejects.csv, as in the run's order.
        top.insert(
            ("run.json", runJSON(run, weeks: weeks, written: range, months: months, monthsWritten: monthRange)),
            at: top.count - 1)
        return out + top
    }

    /// index.html, weeks.csv, months.csv (with months), open_items.csv (with `openItems`) and
    /// rejects.csv; run.json apart (`runJSON`), as a run renders it last. The index and
    /// weeks.csv cover every reported week (the whole time series, also after a --from/--to
    /// rerun); the index links the periods that have a folder: written now, or by an earlier run
    /// (`existing`).
    /// With `rejects` nil, rejects.csv is left out (the run assembles it from the spills).
    public func topFiles(
        weeks: [WeeklySummary], written range: Range<Int>, rejects: [Reject]?, existing: Set<String>,
        months: [WeeklySummary]?, monthsWritten monthRange: Range<Int>, openItems: [OpenItem]? = nil
    )
        -> [(path: String, bytes: [UInt8])]
    {
        let ctx = context(.week)
        let csv = csvReports
        var out: [(path: String, bytes: [UInt8])] = []
        let linked = Set(weeks[range].map(\.week)).union(months.map { Set($0[monthRange].map(\.week)) } ?? []).union(
            existing)
        out.append(
            ("index.html", Array(IndexRenderer(c: ctx).render(weeks: weeks, linked: linked, months: months ?? []).utf8))
        )
        out.append(("weeks.csv", csv.weeks(weeks)))
        if let months { out.append(("months.csv", csv.weeks(months, kind: .month))) }
        if let openItems { out.append(("open_items.csv", csv.openItems(openItems))) }
        if let rejects { out.append(("rejects.csv", csv.rejects(rejects))) }
        return out
    }

    /// run.json of `info` (the run's facts with its final timings).
    public func runJSON(
        _ info: RunInfo, weeks: [WeeklySummary], written range: Range<Int>, months: [WeeklySummary]?,
        monthsWritten monthRange: Range<Int>
    ) -> [UInt8] {
        Array(
            RunJSON.text(info, zone: zone, weeks: weeks, written: range, months: months, monthsWritten: monthRange).utf8
        )
    }

    /// The BOM and header of rejects.csv, for assembling it from spills.
    public var rejectsHead: [UInt8] { csvReports.rejectsHead() }

    /// Writes open_items.csv to `sink` from `produce`, which passes every open item in order.
    public func writeOpenItems(to sink: ByteSink, _ produce: ((OpenItem) -> Void) -> Void) {
        _ = csvReports.openItems(sink: sink, produce)
    }

    var csvReports: CSVReports {
        CSVReports(
            zone: zone, policies: config.policies.map(\.name),
            agentPolicies: config.policies.filter { $0.table == .tickets }.map(\.name), bom: config.csvBOM)
    }

    func context(_ kind: PeriodKind) -> ReportContext {
        ReportContext(
            config: config, zone: zone, run: run, lang: config.lang, goal: config.attainmentGoal, period: kind)
    }

    /// The folders of the periods in `range` (a week's or a month's seven files), rendered in
    /// parallel. `fill` completes a summary made without its detail rows first (see
    /// `MetricsEngine.computeDeferred`). `stream`, when given, is asked for a sink for each file
    /// too large to hold (summary.json and agents.csv of a period with more than
    /// `streamAgentsAbove` agents, sla_breaches.csv with more than `streamBreachesAbove` rows);
    /// a file written to a sink is left out of the result, one
    /// `stream` returns nil for is rendered in memory.
    public func folders(
        _ weeks: [WeeklySummary], _ range: Range<Int>, kind: PeriodKind,
        fill: (@Sendable (inout WeeklySummary) -> Void)? = nil,
        stream: (@Sendable (String) -> ByteSink?)? = nil
    ) -> [(path: String, bytes: [UInt8])] {
        let ctx = context(kind)
        let csv = csvReports
        let html = HTMLRenderer(c: ctx)
        let md = MarkdownRenderer(c: ctx)
        // Periods render independently: spread them over the cores, then keep their order.
        let first = range.lowerBound
        let streamAbove = streamAgentsAbove
        let streamBreaches = streamBreachesAbove
        let perPeriod = Workers.map(count: range.count) { k -> [(path: String, bytes: [UInt8])] in
            let i = first + k
            var w = weeks[i]
            fill?(&w)
            let dir = w.week + "/"
            let big = w.agentTable.count > streamAbove
            var files: [(path: String, bytes: [UInt8])] = []
            if big, let sink = stream?(dir + "summary.json") {
                _ = SummaryJSON.bytes(w, sink: sink)
            } else {
                files.append((dir + "summary.json", SummaryJSON.bytes(w)))
            }
            files += [
                (dir + "report.html", Array(html.render(weeks: weeks, index: i, current: w).utf8)),
                (dir + "report.md", Array(md.render(weeks: weeks, index: i, current: w).utf8)),
            ]
            if w.breaches.count > streamBreaches, let sink = stream?(dir + "sla_breaches.csv") {
                _ = csv.breaches(w, sink: sink)
            } else {
                files.append((dir + "sla_breaches.csv", csv.breaches(w)))
            }
            files.append((dir + "low_scores.csv", csv.lowScores(w)))
            if big, let sink = stream?(dir + "agents.csv") {
                _ = csv.agents(w, sink: sink)
            } else {
                files.append((dir + "agents.csv", csv.agents(w)))
            }
            files.append((dir + "alerts.csv", csv.alerts(w)))
            files.append((dir + "repeat_contacts.csv", csv.repeatContacts(w)))
            return files
        }
        return perPeriod.flatMap { $0 }
    }
}
