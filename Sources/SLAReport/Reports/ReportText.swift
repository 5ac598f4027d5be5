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

/// The early warnings as the reports show them: grouped by kind, the biggest rise first in each
/// group, each group cut to `maxShown` (alerts.csv has every one).
///
/// Groups go from the broadest to the narrowest subject — category spikes, then merchants, then
/// products — so a category that doubled is never pushed down by dozens of single products.
/// Within a group: rise since the previous period (value − previous, a missing previous counting
/// as 0) descending, then value descending, then subject.
enum AlertGroups {
    static let kindOrder = ["category_spike", "merchant_complaint_rate", "product_complaints"]
    static let maxShown = 5

    struct Group {
        var kind: String
        /// Every alert of the kind, in the order shown.
        var alerts: [Alert]
        var shown: ArraySlice<Alert> { alerts.prefix(AlertGroups.maxShown) }
        var hidden: Int { max(0, alerts.count - AlertGroups.maxShown) }
    }

    static func rise(_ a: Alert) -> Double { a.value - (a.previous ?? 0) }

    static func groups(_ alerts: [Alert]) -> [Group] {
        var kinds = kindOrder
        for a in alerts where !kinds.contains(a.kind) { kinds.append(a.kind) }
        return kinds.compactMap { kind in
            let list = alerts.filter { $0.kind == kind }.sorted { x, y in
                let rx = rise(x), ry = rise(y)
                if rx != ry { return rx > ry }
                if x.value != y.value { return x.value > y.value }
                return x.subject < y.subject
            }
            return list.isEmpty ? nil : Group(kind: kind, alerts: list)
        }
    }
}

/// The low-score callback list (差评回访) as the reports show it: each response is due a call
/// back `dueHours` after it came in (the survey's answer time, else the ticket's resolution);
/// earliest deadline first, then the lower score, then ticket and survey id. `maxShown` rows;
/// low_scores.csv has every one.
enum Callbacks {
    static let dueHours: Int64 = 24
    static let maxShown = 10
    /// Comments are cut to this many characters in the reports (the CSV keeps them whole).
    static let commentLength = 60

    static func due(_ r: LowScoreRecord) -> Timestamp {
        let at = r.surveyedAt != .missing ? r.surveyedAt : r.resolvedAt
        return at == .missing ? .missing : at + dueHours * 3600
    }

    static func ordered(_ rows: [LowScoreRecord]) -> [(record: LowScoreRecord, due: Timestamp)] {
        rows.map { ($0, due($0)) }.sorted { x, y in
            // A missing deadline (no time at all) goes last.
            if x.due != y.due { return y.due == .missing || (x.due != .missing && x.due < y.due) }
            if x.record.score != y.record.score { return x.record.score < y.record.score }
            if x.record.ticketID != y.record.ticketID { return x.record.ticketID < y.record.ticketID }
            return x.record.surveyID < y.record.surveyID
        }
    }

    static func comment(_ text: String) -> String {
        let folded = text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : String($0) }.joined()
        guard folded.count > commentLength else { return folded }
        return String(folded.prefix(commentLength - 1)) + "…"
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
