import SLAFast
import SLAMetrics
import SLAModel

/// What the top of a period's page says first, made once for both renderers: the open clocks
/// ("act now": most overdue first, backlog aging) and the "this week, first" summary (promises
/// below their goal, open items overdue or due soon, callbacks waiting, the top alerts).
struct ActNow {
    /// Open items listed on a page; the rest are counted and linked to open_items.csv.
    static let maxListed = OpenItemsDigest.listed
    /// Alerts named in the summary block (the largest of each kind first).
    static let maxAlerts = 3
    static let ageEdgesDays = OpenItemsDigest.ageEdgesDays

    /// The page's most overdue open items (at most `maxListed`), most overdue first.
    let overdue: [OpenItem]
    /// All of the page's open items past their deadline.
    let overdueCount: Int
    /// Pending items due within 24 h of as_of.
    let dueSoon: Int
    /// All open items of the page.
    let open: Int
    /// Open items by age since their start (as_of − start): counts and, of them, overdue.
    let aging: [OpenItemsDigest.AgeBucket]
    /// Promises below their goal, worst first (largest shortfall), with the previous period's
    /// attainment when it had one.
    let belowGoal: [(result: SLAResult, previous: Double?)]
    /// Whether any promise had a decided result (met or breached) this period.
    let anyDecided: Bool
    /// The alerts the summary names: the first (largest) of each kind, in kind order, at most
    /// `maxAlerts`.
    let topAlerts: [Alert]

    init(_ w: WeeklySummary, previous p: WeeklySummary?) {
        overdue = w.openItems.mostOverdue
        overdueCount = w.openItems.overdueCount
        dueSoon = w.openItems.dueSoon
        open = w.openItems.open
        aging = w.openItems.aging
        belowGoal = w.sla.compactMap { r -> (SLAResult, Double?)? in
            guard r.skipped == nil, let a = r.attainment, a < r.goal else { return nil }
            return (r, p?.sla.first { $0.policy == r.policy }?.attainment)
        }.enumerated().sorted { x, y in
            let (a, b) = (x.element.0, y.element.0)
            let (ga, gb) = (a.goal - a.attainment!, b.goal - b.attainment!)
            return ga != gb ? ga > gb : x.offset < y.offset
        }.map { (result: $0.element.0, previous: $0.element.1) }
        anyDecided = w.sla.contains { $0.attainment != nil }
        var seen: Set<String> = []
        topAlerts = Array(w.alerts.filter { seen.insert($0.kind).inserted }.prefix(ActNow.maxAlerts))
    }

    /// Labels of the backlog age buckets.
    static func ageLabels(_ l: Localization) -> [String] {
        let e = ageEdgesDays.map(String.init)
        var out = [l.format("age.lt", e[0])]
        for i in 1..<e.count { out.append(l.format("age.range", e[i - 1], e[i])) }
        out.append(l.format("age.ge", e[e.count - 1]))
        return out
    }

    /// The row's name on a page: ticket or survey id, else the order.
    static func itemName(_ item: OpenItem) -> String {
        item.id.isEmpty ? (item.orderID.isEmpty ? HTML.dash : item.orderID) : item.id
    }
}
