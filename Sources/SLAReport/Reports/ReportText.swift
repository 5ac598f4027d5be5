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
        out += [l.format("def.attainment", c.goalText), l["def.csat"], l["def.cohort"], l["def.pause"], l["def.dash"]]
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
