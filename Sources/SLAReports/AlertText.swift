import SLAFast
import SLAMetrics
import SLAModel

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
