import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// open_items.csv and the pages' open lists on the hand-checked fixture (MetricsFixture; the
/// outcome of every ticket and policy is worked out in MetricsFixtureTests). as_of = Wed Nov 25
/// 12:00 UTC; resolution_3bd counts 27 business hours, 09:00–18:00 Mon–Fri.
@Suite("Metrics: open items")
struct OpenItemsTests {
    let f = MetricsFixture()

    func records() -> (summaries: [WeeklySummary], records: PeriodRecords) {
        f.engine().computeDeferred(orders: f.orders, tickets: f.tickets, logistics: f.logistics)
    }

    /// Every clock still open at as_of, in open_items.csv order (due, policy name, id), with its
    /// deadline as worked out by hand.
    @Test func everyOpenClockWithItsDeadline() {
        func nov(_ d: Int, _ h: Int) -> Int64 { MetricsFixture.nov(d, h) }
        let want: [(String, String, String, Int64)] = [
            // T03 Fri 13 20:00 and T05 Sun 15 23:00: 27 business hours = Mon 16, Tue 17, Wed 18 → Wed 18 18:00
            ("T03", "resolution_3bd", "breached_open", nov(18, 18)),
            ("T05", "resolution_3bd", "breached_open", nov(18, 18)),
            ("T08", "first_response", "breached_open", nov(19, 12)),  // Wed 18 12:00 + 24 h
            ("T10", "complaint_normal", "breached_open", nov(21, 11)),  // Sat 21 10:00 + 1 h
            ("T10", "first_response", "breached_open", nov(22, 10)),  // + 24 h
            ("T08", "resolution_3bd", "breached_open", nov(23, 12)),  // Wed 6 + Thu 9 + Fri 9 + Mon 3
            ("T09", "resolution_3bd", "breached_open", nov(23, 18)),  // Thu 9 + Fri 9 + Mon 9
            ("T11", "escalation", "breached_open", nov(23, 22)),  // plan rejected Sun 22 22:00 + 24 h
            ("T13", "complaint_normal", "breached_open", nov(25, 11)),  // Wed 25 10:00 + 1 h
            ("T10", "resolution_3bd", "pending", nov(25, 18)),  // Mon 9 + Tue 9 + Wed 9
            ("T12", "resolution_3bd", "pending", nov(25, 18)),  // Mon 23 09:00: Mon, Tue, Wed
            ("T13", "first_response", "pending", nov(26, 10)),  // Wed 25 10:00 + 24 h
            ("T13", "resolution_3bd", "pending", nov(30, 10)),  // Wed 8 + Thu 9 + Fri 9 + Mon 1
            ("T14", "resolution_3bd", "pending", nov(30, 11)),  // Wed 7 + Thu 9 + Fri 9 + Mon 2
        ]
        let got = records().records.openItems()
        #expect(got.map(\.id) == want.map(\.0))
        #expect(got.map(\.policy) == want.map(\.1))
        #expect(got.map(\.state) == want.map(\.2))
        #expect(got.map(\.due) == want.map(\.3))
        // hours_left = due − as_of: T03 162 h overdue (Wed 18 18:00 → Wed 25 12:00), T13's first
        // response 22 h to go.
        #expect(got.first?.hoursLeft == -162)
        #expect(got.first { $0.id == "T13" && $0.policy == "first_response" }?.hoursLeft == 22)
        #expect(got.allSatisfy { $0.table == .tickets && $0.status.isEmpty })
        #expect(
            got.first { $0.id == "T08" }.map { ($0.agent, $0.type, $0.priority) } ?? ("", "", "") == (
                "A1", "complaint", "major"
            ))
    }

    /// The contract of open_items.csv: its pending rows are the pending counts summed over every
    /// week, and its breached_open rows the open breaches of every week, policy by policy.
    @Test func pendingAndOpenBreachesAddUpOverTheWeeks() {
        let (summaries, records) = records()
        let open = records.openItems()
        var pending: [String: Int] = [:]
        var openBreaches: [String: Int] = [:]
        for var w in summaries {
            records.fill(&w)
            for r in w.sla { pending[r.policy, default: 0] += r.pending }
            for b in w.breaches where b.state == "breached_open" { openBreaches[b.policy, default: 0] += 1 }
        }
        func byPolicy(_ state: String) -> [String: Int] {
            var m: [String: Int] = [:]
            for i in open where i.state == state { m[i.policy, default: 0] += 1 }
            return m
        }
        #expect(byPolicy("pending") == pending.filter { $0.value > 0 })
        #expect(byPolicy("breached_open") == openBreaches)
        // By hand: pending W47 1 (T10) + W48 4 (T12, T13 ×2, T14) = 5; open breaches 9.
        #expect(pending.values.reduce(0, +) == 5 && openBreaches.values.reduce(0, +) == 9)
    }

    /// An earlier week's page lists the clocks that started in it; the newest week lists all.
    @Test func pagesListTheirOwnClocksAndTheNewestAll() {
        let (summaries, records) = records()
        var pages = summaries
        for i in pages.indices { records.fill(&pages[i]) }
        #expect(pages.map(\.week) == ["2026-W46", "2026-W47", "2026-W48"])
        func listed(_ w: Int) -> [String] {
            records.sla.openItems(weeks: w..<(w + 1), context: records.context).map(\.id)
        }
        let w46 = ISOWeek(name: "2026-W46")!.index
        #expect(listed(w46) == ["T03", "T05"])
        #expect(listed(w46 + 1) == ["T08", "T10", "T10", "T08", "T09", "T11", "T10"])
        #expect(
            pages[0].openItems
                == OpenItemsDigest(records.sla.openItems(weeks: w46..<(w46 + 1), context: records.context)))
        #expect(pages[0].openItems.open == 2)
        #expect(pages[1].openItems.open == 7)
        #expect(pages[2].openItems == OpenItemsDigest(records.openItems()))
        // compute() fills the same lists as fill().
        #expect(f.compute().map(\.openItems) == pages.map(\.openItems))
    }

    /// The summary block's figures for the newest week: 9 overdue; due within 24 h of as_of: T10
    /// and T12 (6 h) and T13's first response (22 h); by age (as_of − start, lower edges
    /// inclusive): < 1 d T13 ×3, T14; 1–3 d T11 (escalation from Sun 22 22:00, 2.6 d), T12;
    /// 3–7 d T09 (6.1 d), T10 ×3 (4.1 d); ≥ 7 d T03, T05, T08 ×2 (exactly 7 d).
    @Test func actNowFigures() {
        let (summaries, records) = records()
        var w = summaries[2]
        records.fill(&w)
        let a = ActNow(w, previous: nil)
        #expect(a.open == 14)
        #expect(a.overdue.count == 9)
        #expect(a.overdue.first?.id == "T03")
        #expect(a.dueSoon == 3)
        #expect(a.aging.map(\.total) == [4, 2, 4, 4])
        #expect(a.aging.map(\.overdue) == [1, 1, 3, 4])
    }
}
