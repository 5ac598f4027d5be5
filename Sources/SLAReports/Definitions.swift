import SLAFast
import SLAMetrics
import SLAModel

/// The definitions footnote, shared by HTML and Markdown.
enum Definitions {
    static func lines(_ c: ReportContext) -> [String] {
        let l = c.l
        let cal = c.calendarText()
        var out = [
            l.format("def.zone", c.zone.identifier), l["def.week"],
            l.format(
                "def.business", cal.hours, cal.days, String(c.config.calendar.holidays.count),
                String(c.config.calendar.extraWorkdays.count),
                NumberFormat.decimal(Double(c.config.calendar.businessDaySeconds) / 3600, places: 2)),
        ]
        for p in c.config.policies {
            let r = SLAResult(p, goal: c.config.goal(of: p))
            if p.due != nil {
                out.append(l.format("def.policy_due", c.label(r), l.column(p.start), l.column(p.stop), c.target(r)))
            } else {
                out.append(
                    l.format(
                        "def.policy", c.label(r), l.column(p.start), l.column(p.stop), c.target(r),
                        l["clock.\(p.clock.rawValue)"]))
            }
        }
        out += [
            l.format("def.attainment", c.goalText), l["def.csat"], l["def.cohort"],
            l.format("def.repeat", c.hours(Double(c.config.repeatWindowSeconds) / 3600)), l["def.pause"], l["def.dash"],
        ]
        return out
    }
}
