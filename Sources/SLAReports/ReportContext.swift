import SLAFast
import SLAMetrics
import SLAModel

/// What the human-readable renderers (HTML, Markdown, index) share: the language, the config's
/// policies and calendar, and small helpers for labels and week-over-week comparisons.
struct ReportContext {
    let config: Config
    let zone: ZoneRules
    let run: RunInfo
    let l: Localization
    /// Attainment goal drawn as the target line and used for green/red. The config has no key for
    /// it yet, so it is a renderer setting.
    let goal: Double
    let goalText: String
    /// The definitions footnote (the same for every week of a run).
    private(set) var definitions: [String] = []
    /// Per policy name: the config label and target hours these were made from, the label shown
    /// (`label`) and the target text (`target`). Every week asks for them, so they are made once.
    private var policyTexts: [String: (label: String, targetHours: Double?, shown: String, target: String)] = [:]

    init(config: Config, zone: ZoneRules, run: RunInfo, lang: ReportLanguage, goal: Double, period: PeriodKind = .week)
    {
        self.config = config
        self.zone = zone
        self.run = run
        self.l = Localization(lang, period: period)
        self.goal = goal
        self.goalText = NumberFormat.percent(goal)!
        for p in config.policies where policyTexts[p.name] == nil {
            let r = SLAResult(p, goal: config.goal(of: p))
            policyTexts[p.name] = (p.label, p.targetHours, makeLabel(r), makeTarget(r))
        }
        definitions = Definitions.lines(self)
    }

    func policy(_ name: String) -> Policy? { config.policies.first { $0.name == name } }

    func label(_ s: SLAResult) -> String {
        if let t = policyTexts[s.policy], t.label == s.label { return t.shown }
        return makeLabel(s)
    }

    /// The config label for the language; without one, the promise in words from its columns
    /// ("Shipped within 24 h of payment") rather than its bare name.
    private func makeLabel(_ s: SLAResult) -> String {
        if s.label.trimmingSpaces.isEmpty, let p = policy(s.policy),
            let words = l.autoLabel(start: p.start, stop: p.stop, target: makeTarget(s), due: p.due != nil)
        {
            return words
        }
        return l.policyLabel(s.label, name: s.policy)
    }

    /// "72 h", "3 business days", "30 min" from the target as written in the config.
    func target(_ s: SLAResult) -> String {
        if let t = policyTexts[s.policy], t.targetHours == s.targetHours { return t.target }
        return makeTarget(s)
    }

    private func makeTarget(_ s: SLAResult) -> String {
        if let due = s.due {
            let what = l.has("due.\(due)") ? l["due.\(due)"] : due
            return l.format("target.due", what)
        }
        let text = policy(s.policy)?.targetText ?? ""
        for (suffix, id) in [("bd", "target.bd"), ("m", "target.m"), ("h", "target.h"), ("d", "target.d")]
        where text.hasSuffix(suffix) {
            let num = String(text.dropLast(suffix.count)).trimmingSpaces
            if !num.isEmpty, num.allSatisfy({ $0.isNumber || $0 == "." }) { return l.format(id, num) }
        }
        return l.format("target.h", NumberFormat.decimal(s.targetHours ?? 0, places: 2))
    }

    /// The policies drawn in the trend chart: the department's headline promises when present,
    /// else the first three.
    func mainPolicies(_ sla: [SLAResult]) -> [String] {
        let preferred = ["first_response", "repair_plan", "resolution_3bd"].filter { p in
            sla.contains { $0.policy == p }
        }
        return preferred.isEmpty ? Array(sla.prefix(3).map(\.policy)) : preferred
    }

    /// Whether a week holds any data at all (then its numbers are shown as "—", not zeros).
    static func isEmpty(_ w: WeeklySummary) -> Bool {
        w.ordersPlaced == 0 && w.ticketsCreated == 0 && w.ticketsResolved == 0 && w.logistics.shipments == 0
            && w.satisfaction.responses == 0 && w.sla.allSatisfy { $0.eligible == 0 }
            && w.logistics.exceptions.isEmpty
    }

    /// The week before `index` in the list, if it exists and holds data.
    static func previous(_ weeks: [WeeklySummary], _ index: Int) -> WeeklySummary? {
        guard index > 0, index - 1 < weeks.count, !isEmpty(weeks[index - 1]) else { return nil }
        return weeks[index - 1]
    }

    /// Week-over-week change of a share in percentage points with the language's unit.
    func pp(_ now: Double?, _ before: Double?) -> String? {
        NumberFormat.pointsChange(now, before).map { l.format("unit.pp", $0) }
    }

    func pct(_ x: Double?) -> String { NumberFormat.percent(x) ?? HTML.dash }
    /// A duration in words ("6 d 2 h"); the CSV and JSON files keep the hours as numbers.
    func hours(_ x: Double?) -> String { l.duration(hours: x) }
    /// The ticket types counted as after-sales cases, in words: "return, exchange, …".
    var caseTypes: String { l.list(config.complaintTypes.map { l.value("type", $0.name) }) }

    /// The run's as-of time in local words with the zone's offset.
    var asOfText: String { l.moment(run.asOf, zone: zone) }
    func num(_ x: Double?, places: Int = 2) -> String {
        x.map { NumberFormat.decimal($0, places: places) } ?? HTML.dash
    }

    /// Labels for WeeklySummary.responseBuckets: "< 1 h", "1–4 h", …, "≥ 48 h", "no response yet".
    func bucketLabels() -> [String] {
        let e = WeeklySummary.responseBucketEdgesHours.map { NumberFormat.decimal($0, places: 2) }
        var out = [l.format("bucket.lt", e[0])]
        for i in 1..<e.count { out.append(l.format("bucket.range", e[i - 1], e[i])) }
        out.append(l.format("bucket.ge", e[e.count - 1]))
        out.append(l["bucket.none"])
        return out
    }

    /// Short week name for chart axes: "W47" (with the year when it changes: "2027-W01").
    static func shortWeek(_ weeks: [WeeklySummary], _ i: Int) -> String {
        let name = weeks[i].week
        guard let dash = name.firstIndex(of: "-") else { return name }
        if i == 0 || weeks[i - 1].week.prefix(4) != name.prefix(4) { return name }
        return String(name[name.index(after: dash)...])
    }

    /// "Mon–Fri" style workday text and "09:00–18:00" business hours.
    func calendarText() -> (hours: String, days: String) {
        func hm(_ m: Int) -> String { CivilDate.pad(m / 60, 2) + ":" + CivilDate.pad(m % 60, 2) }
        let hours = config.calendar.businessHours.map { hm($0.startMinute) + "–" + hm($0.endMinute) }.joined(
            separator: ", ")
        let days = config.calendar.workdays.sorted().map { l[Localization.weekdayIDs[$0]] }.joined(
            separator: l.lang == .zh ? "、" : ", ")
        return (hours, days)
    }
}
