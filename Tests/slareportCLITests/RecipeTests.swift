import Foundation
import Testing

/// The worked mappings of `docs/recipes/`: each folder under `Tests/Fixtures/recipes/` holds a tiny
/// export with the vendor's own header names and value shapes, and the `slareport.toml` the recipe
/// explains. The built binary reads the folder as it is (no preprocessing), and the week's
/// summary.json must hold the numbers worked out by hand from the rows, with the arithmetic beside
/// each expectation.
@Suite("Recipes", .serialized)
struct RecipeTests {
    static let fixtures = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/recipes")

    /// Runs `slareport run` on a recipe folder with its own config, into `<scratch>/out`.
    private func run(_ recipe: String, config: URL? = nil, asOf: String? = nil, in dir: URL) throws -> CLI.Result {
        let folder = Self.fixtures.appendingPathComponent(recipe)
        var args = [
            "run", "--input", folder.path,
            "--config", (config ?? folder.appendingPathComponent("slareport.toml")).path, "--out", "out",
        ]
        if let asOf { args += ["--as-of", asOf] }
        return try CLI.run(args, cwd: dir)
    }

    private func summary(_ dir: URL, _ week: String) throws -> [String: Any] {
        try SummaryReading.object(dir, "out/\(week)/summary.json")
    }
    private func sla(_ s: [String: Any], _ policy: String) throws -> [String: Any] { try SummaryReading.sla(s, policy) }
    private func counts(_ e: [String: Any]) -> [Int?] { SummaryReading.counts(e) }

    private func number(_ o: [String: Any], _ keys: String...) -> Double? {
        var cur: Any = o
        for k in keys {
            guard let d = cur as? [String: Any], let v = d[k] else { return nil }
            cur = v
        }
        return (cur as? NSNumber)?.doubleValue
    }

    private func isNull(_ v: Any?) -> Bool { v is NSNull }

    private func table(_ dir: URL, _ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("out/run.json"))
        let run = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return ((run["tables"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
    }

    // MARK: - Olist orders: a marketplace order report with promised delivery dates

    @Test func olistOrders() throws {
        let dir = try CLI.scratch()
        let r = try run("olist-orders", asOf: "2018-03-25 12:00:00", in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try table(dir, "orders")["rejected"] as? Int == 0)
        // Week 2018-W10 = Mon 5 – Sun 11 March 2018, São Paulo time; as_of 25 March 12:00.
        let s = try summary(dir, "2018-W10")
        #expect(s["schema_version"] as? Int == 2)
        // Orders placed in W10: every row but the one bought on Fri 2 March (W09) = 11 − 1 = 10,
        // canceled and unavailable ones included (placed is a volume, not a promise).
        #expect(number(s, "orders", "placed") == 10)

        // delivered_as_promised, start = purchase in W10, canceled/unavailable left out:
        // 8 orders (f847…, 86bd…, d42f…, 9932…, ebf1…, bd1a…, da2f…, 2020…).
        //   met      f847 delivered 12 Mar ≤ due 26 Mar; 86bd 14 Mar ≤ 28 Mar             = 2
        //   breached d42f 21 Mar 16:05 > 20 Mar 00:00; 9932 19 Mar 15:30 > 19 Mar 00:00
        //            (delivered on the estimated day, after its midnight); bd1a not
        //            delivered and as_of 25 Mar > due 23 Mar                               = 3
        //   pending  ebf1 (due 2 Apr), da2f (4 Apr), 2020 (status created, 5 Apr):
        //            not delivered, as_of ≤ due                                            = 3
        // attainment = 2 / (2 + 3) = 0.4
        let d = try sla(s, "delivered_as_promised")
        #expect(counts(d) == [2, 3, 3, 8])
        #expect(number(d, "attainment") == 0.4)
        #expect(d["table"] as? String == "orders")
        #expect(d["due"] as? String == "promised_delivery_at")
        #expect(isNull(d["target_hours"]) && isNull(d["clock"]))
        #expect(number(d, "goal") == 0.9)

        // ship_24h, start = order_approved_at in W10 (2020… has none: not eligible), canceled and
        // unavailable left out, stop = order_delivered_carrier_date:
        //   met      86bd 22:05:19 → 13:21:00 = 15.26 h; d42f 10:15:40 → 09:48:00 = 23.54 h;
        //            9932 02:51:27 → 17:10:00 = 14.31 h; bd1a 08:20:44 → 19:02:00 = 10.69 h  = 4
        //   breached f847 5 Mar 09:30:11 → 6 Mar 15:02:00 = 29.53 h; ebf1 28.83 h;
        //            da2f approved Sun 11 Mar 09:14:36, not handed over by as_of (> 24 h)    = 3
        //   pending  none (every open clock started two weeks before as_of)               = 0
        // attainment = 4 / 7 = 0.5714; goal = attainment_goal's default 0.95.
        let ship = try sla(s, "ship_24h")
        #expect(counts(ship) == [4, 3, 0, 7])
        #expect(number(ship, "attainment") == 0.5714)
        #expect(number(ship, "target_hours") == 24)
        #expect(ship["clock"] as? String == "24x7")
        #expect(isNull(ship["due"]))
        #expect(number(ship, "goal") == 0.95)
        #expect(number(s, "data_quality", "missing_due") == 0)
    }

    // MARK: - Zendesk: a help desk's ticket CSV export

    @Test func zendeskTickets() throws {
        let dir = try CLI.scratch()
        let r = try run("zendesk-tickets", asOf: "2025-11-24 09:00:00", in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        // "Priority" holds Low and High, which are no priority of ours: bound to an extra text
        // column, it must not be read as the enum (that would reject rows).
        #expect(try table(dir, "tickets")["rejected"] as? Int == 0)
        // Week 2025-W47 = Mon 17 – Sun 23 November 2025, Berlin time; as_of Mon 24 Nov 09:00.
        let s = try summary(dir, "2025-W47")
        // Created in W47: 4101–4108 = 8 (4098 was created on 14 Nov, W46). Solved in W47:
        // 4098 (17 Nov), 4101, 4102, 4103, 4104 = 5. Every ticket gets the default type inquiry.
        #expect(number(s, "tickets", "created") == 8)
        #expect(number(s, "tickets", "resolved") == 5)
        #expect(number(s, "tickets", "by_type", "inquiry") == 8)
        // Via: Mail 4101, 4104, 4106; Web form 4102, 4105, 4107; Chat 4103, 4108.
        #expect(number(s, "tickets", "by_channel", "Mail") == 3)
        #expect(number(s, "tickets", "by_channel", "Web form") == 3)
        #expect(number(s, "tickets", "by_channel", "Chat") == 2)

        // assigned_1h: Created at → Initially assigned at, 1 h, all 8 tickets.
        //   met      4101 25 min, 4103 13 min, 4104 21 min, 4105 22 min, 4106 38 min,
        //            4108 13 min                                                          = 6
        //   breached 4102 1 h 36 min; 4107 never assigned, created Sun 20:47:51, as_of is
        //            12.2 h later                                                         = 2
        // attainment = 6 / 8 = 0.75
        let assigned = try sla(s, "assigned_1h")
        #expect(counts(assigned) == [6, 2, 0, 8])
        #expect(number(assigned, "attainment") == 0.75)
        #expect(assigned["table"] as? String == "tickets")

        // solved_48h: Created at → Solved at, 48 h, unless Status is Pending (4106) = 7 tickets.
        //   met      4101 29.1 h, 4103 2.8 h, 4104 16.8 h                                  = 3
        //   breached 4102 70.7 h; 4105 open since Fri 21 Nov 14:10:27, 66.8 h at as_of       = 2
        //   pending  4107 open 12.2 h, 4108 open since Sun 10:05:40, 22.9 h                 = 2
        // attainment = 3 / 5 = 0.6
        let solved = try sla(s, "solved_48h")
        #expect(counts(solved) == [3, 2, 2, 7])
        #expect(number(solved, "attainment") == 0.6)

        // urgent_solved_4h: Priority Urgent = 4103, 4104, 4105.
        //   met 4103 2.8 h; breached 4104 16.8 h, 4105 open 66.8 h. attainment = 1/3 = 0.3333
        let urgent = try sla(s, "urgent_solved_4h")
        #expect(counts(urgent) == [1, 2, 0, 3])
        #expect(number(urgent, "attainment") == 0.3333)

        // The same export with the built-in policies (the recipe's config without its
        // [[policy]] blocks): Zendesk's CSV has no first-reply timestamp, so first_response is
        // skipped, not shown as every ticket breached; resolution_3bd has its columns.
        let text = try String(
            contentsOf: Self.fixtures.appendingPathComponent("zendesk-tickets/slareport.toml"),
            encoding: .utf8)
        let tablesOnly = try #require(text.components(separatedBy: "\n[[policy]]").first)
        let config = dir.appendingPathComponent("builtin-policies.toml")
        try CLI.write(tablesOnly, to: config)
        let dir2 = try CLI.scratch()
        let r2 = try run("zendesk-tickets", config: config, asOf: "2025-11-24 09:00:00", in: dir2)
        try #require(r2.status == 0, "\(r2.stderr)")
        let s2 = try summary(dir2, "2025-W47")
        let first = try sla(s2, "first_response")
        #expect(first["skipped"] as? String == "first_response_at")
        #expect(number(first, "eligible") == 0)
        let resolution = try sla(s2, "resolution_3bd")
        #expect(resolution["skipped"] == nil)
        #expect(number(resolution, "eligible") == 8)
    }

    // MARK: - Olist reviews: a review export with comments, as the surveys table

    @Test func olistReviews() throws {
        let dir = try CLI.scratch()
        let r = try run("olist-reviews", in: dir)
        try #require(r.status == 0, "\(r.stderr)")
        // 10 rows; review 7f16… is on two rows (two orders, one review): merged into one survey.
        let surveys = try table(dir, "surveys")
        #expect(surveys["rows_read"] as? Int == 10)
        #expect(surveys["rejected"] as? Int == 0)
        #expect(surveys["unique"] as? Int == 9)
        // Week 2018-W10 = Mon 5 – Sun 11 March 2018. A response falls in the week of its answer.
        //   answered in W10: c004 4 (sent 2 Mar, W09), 61d9 5, 9567 4, 6300 1, 3b78 5, fe19 2,
        //                    7f16 5 (once)                                         = 7 responses
        //   not in W10: dc12 answered 2 Mar (W09), 655b answered Mon 12 Mar (W11)
        // mean = (4 + 5 + 4 + 1 + 5 + 2 + 5) / 7 = 26 / 7 = 3.7143
        // csat = scores 4–5: c004, 61d9, 9567, 3b78, 7f16 = 5 / 7 = 0.7143
        // low scores (1–2): 6300 (1), fe19 (2) = 2
        // response_rate = sent in W10 (5–10 Mar: 61d9, 9567, 6300, 3b78, 655b, fe19, 7f16 = 7),
        //                 all answered = 7 / 7 = 1 (Olist's file holds answered reviews only)
        let s = try summary(dir, "2018-W10")
        #expect(number(s, "satisfaction", "responses") == 7)
        #expect(number(s, "satisfaction", "mean") == 3.7143)
        #expect(number(s, "satisfaction", "csat") == 0.7143)
        #expect(number(s, "satisfaction", "low_scores") == 2)
        #expect(number(s, "satisfaction", "response_rate") == 1)
        for (score, n) in [("1", 1), ("2", 1), ("3", 0), ("4", 2), ("5", 3)] {
            #expect(number(s, "satisfaction", "distribution", score) == Double(n), "score \(score)")
        }
        #expect(number(s, "data_quality", "invalid_scores") == 0)
        // The callback list carries the review's id and comment; its time is the answer's.
        let low = try String(contentsOf: dir.appendingPathComponent("out/2018-W10/low_scores.csv"), encoding: .utf8)
        #expect(low.contains("survey_id,comment"))
        #expect(low.contains("6300db4aae1da402dc5798c84de51807"))
        #expect(low.contains("Comprei dois produtos e só recebi um."))
        #expect(low.contains("2018-03-08T09:14:02-03:00"))
        // W11 holds the late answer of 655b: one response, score 3.
        let w11 = try summary(dir, "2018-W11")
        #expect(number(w11, "satisfaction", "responses") == 1)
        #expect(number(w11, "satisfaction", "mean") == 3)
    }
}
