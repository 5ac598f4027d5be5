import SLAFast
import SLAModel
import SLAMetrics

/// Alert value, previous value, change and threshold as text: counts as integers, rates as percentages, ratios as "×2".
enum AlertText {
    static func value(_ a: Alert) -> String {
        if a.valueIsCount { return NumberFormat.grouped(Int(a.value.rounded())) }
        // A rate with one decimal, as every other percentage in the reports (it printed two,
        // "16.26%" under "17.7%"); the threshold stays as configured.
        if a.kind == "merchant_complaint_rate" { return NumberFormat.percent(a.value) ?? "" }
        return NumberFormat.decimal(a.value)
    }

    /// The previous period's value in the same form as `value`; "—" when there is none.
    static func previous(_ a: Alert) -> String {
        guard let p = a.previous else { return HTML.dash }
        var before = a
        before.value = p
        return value(before)
    }

    /// The rise since the previous period: "+3" for counts, "+1.2 pp" for a rate (no previous
    /// value counts as 0, so a new subject shows its whole value).
    static func change(_ a: Alert, _ l: Localization) -> String {
        if a.kind == "merchant_complaint_rate" {
            let d = NumberFormat.pointsChange(a.value, a.previous ?? 0) ?? ""
            return l.format("unit.pp", d)
        }
        return NumberFormat.countChange(Int(a.value.rounded()), Int((a.previous ?? 0).rounded()))
    }

    static func threshold(_ a: Alert) -> String {
        if a.thresholdIsCount { return "≥ " + NumberFormat.grouped(Int(a.threshold.rounded())) }
        switch a.kind {
        case "merchant_complaint_rate": return "≥ " + NumberFormat.decimal(a.threshold * 100, places: 2) + "%"
        case "category_spike": return "≥ ×" + NumberFormat.decimal(a.threshold)
        default: return "≥ " + NumberFormat.decimal(a.threshold)
        }
    }
}

/// The definitions footnote, shared by HTML and Markdown.
enum Definitions {
    static func lines(_ c: ReportContext) -> [String] {
        let l = c.l
        let cal = c.calendarText()
        var out = [l.format("def.zone", c.zone.identifier), l["def.week"],
                   l.format("def.business", cal.hours, cal.days, String(c.config.calendar.holidays.count),
                            String(c.config.calendar.extraWorkdays.count),
                            NumberFormat.decimal(Double(c.config.calendar.businessDaySeconds) / 3600, places: 2))]
        for p in c.config.policies {
            let r = SLAResult(p, goal: c.config.goal(of: p))
            if p.due != nil {
                out.append(l.format("def.policy_due", c.label(r), l.column(p.start), l.column(p.stop), c.target(r)))
            } else {
                out.append(l.format("def.policy", c.label(r), l.column(p.start), l.column(p.stop), c.target(r),
                                    l["clock.\(p.clock.rawValue)"]))
            }
        }
        out += [l.format("def.attainment", c.goalText), l["def.csat"], l["def.cohort"],
                l.format("def.repeat", c.hours(Double(c.config.repeatWindowSeconds) / 3600)), l["def.pause"], l["def.dash"]]
        return out
    }
}

/// Status marks for report.md, where colour does not survive chat or mail: the same two in both
/// languages. report.html colours the cell instead (emoji fonts are not on every machine that
/// prints it).
enum StatusMark {
    static let ok = "✅"
    static let bad = "❌"

    /// The mark for a share against its goal; "" when there is no share.
    static func of(_ share: Double?, goal: Double) -> String {
        guard let share else { return "" }
        return share >= goal ? ok : bad
    }
}

/// The arrival pattern in words: the busiest weekday-hour cells, for the report's line and
/// report.md.
enum ArrivalText {
    /// The `n` cells with the most tickets (more first; ties in week order), none when empty.
    static func busiest(_ arrivals: [Int], _ n: Int = 3) -> [(cell: Int, count: Int)] {
        let cells = arrivals.enumerated().filter { $0.element > 0 }
        return cells.sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            .prefix(n).map { ($0.offset, $0.element) }
    }

    /// "00:00" … "24:00".
    static func clock(_ hour: Int) -> String { CivilDate.pad(hour, 2) + ":00" }

    /// "Tue 10:00–11:00 (13)", joined by the list separator.
    static func busiestLine(_ arrivals: [Int], _ l: Localization) -> String? {
        let top = busiest(arrivals)
        guard !top.isEmpty else { return nil }
        let slots = top.map { t in
            l.format("arrivals.slot", l[Localization.weekdayIDs[t.cell / 24 + 1]], clock(t.cell % 24), clock(t.cell % 24 + 1),
                     NumberFormat.grouped(t.count))
        }
        return l.format("arrivals.busiest", l.list(slots))
    }
}

/// The month's flagged agents in words (more low scores than `[agents] low_score_flag`): the
/// first ten by count, the rest counted; nil in week reports.
enum FlaggedText {
    static let maxShown = 10

    static func line(_ table: AgentTable, _ l: Localization) -> String? {
        guard let f = table.lowScoreFlag else { return nil }
        let flagged = table.flagged()
        guard !flagged.isEmpty else { return l.format("agents.flagged_none", String(f)) }
        var names = flagged.prefix(maxShown).map { a in
            (a.name == AgentTable.unassigned ? l["value.unassigned"] : a.name) + l.paren(NumberFormat.grouped(a.lowScores))
        }
        if flagged.count > maxShown { names.append(l.format("agents.flagged_more", NumberFormat.grouped(flagged.count - maxShown))) }
        return l.format("agents.flagged_line", String(f), l.list(names))
    }
}
