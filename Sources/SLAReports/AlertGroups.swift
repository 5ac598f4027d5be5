import SLAFast
import SLAMetrics
import SLAModel

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
                let rx = rise(x)
                let ry = rise(y)
                if rx != ry { return rx > ry }
                if x.value != y.value { return x.value > y.value }
                return x.subject < y.subject
            }
            return list.isEmpty ? nil : Group(kind: kind, alerts: list)
        }
    }
}
