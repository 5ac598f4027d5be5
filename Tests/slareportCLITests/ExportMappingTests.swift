import Foundation
import Testing

/// The features that read exports as they are, each on a few hand-made rows run through the
/// built binary: due policies around as_of, an order policy, `unless`, an extra timestamp as a
/// start, defaults filling a required column, a per-table binding beating an alias, survey
/// dedup and response rate, skipped policies, out-of-range timestamps, and the errors of a
/// mapping that does not fit the file. Every expected number is worked out in a comment.
@Suite("CLI.exports", .serialized)
struct ExportMappingTests {
    private func run(_ dir: URL, _ files: [String: String], config: String, _ extra: [String] = []) throws -> CLI.Result
    {
        for (name, text) in files { try CLI.write(text, to: dir.appendingPathComponent("in/" + name)) }
        try CLI.write(config, to: dir.appendingPathComponent("slareport.toml"))
        return try CLI.run(["run", "--input", "in", "--out", "out"] + extra, cwd: dir)
    }

    private func json(_ dir: URL, _ path: String) throws -> [String: Any] {
        try SummaryReading.object(dir, "out/" + path)
    }
    private func sla(_ s: [String: Any], _ policy: String) throws -> [String: Any] { try SummaryReading.sla(s, policy) }
    private func counts(_ e: [String: Any]) -> [Int?] { SummaryReading.counts(e) }

    private func int(_ o: [String: Any], _ a: String, _ b: String) -> Int? {
        ((o[a] as? [String: Any])?[b] as? NSNumber)?.intValue
    }

    private func csv(_ dir: URL, _ path: String) throws -> [String] {
        let text = try String(contentsOf: dir.appendingPathComponent("out/" + path), encoding: .utf8)
        return text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").map(String.init)
    }

    /// A ticket with no merchant or product of its own takes its order's before policy filters
    /// look at it (as the alerts and breakdowns do): T1 (no merchant, order O1 of M9) and T2 (its
    /// own M9) are eligible for a policy on merchant M9; T3 (its own M1, order of M9) is not; T4
    /// (product from order O2) for the one on product P7.
    @Test func policyFiltersSeeTheMerchantAndProductOfTheOrder() throws {
        let dir = try CLI.scratch()
        let orders = """
            order_id,ordered_at,merchant_id,product_id
            O1,2026-11-16 09:00,M9,P1
            O2,2026-11-16 09:00,M1,P7

            """
        let tickets = """
            ticket_id,order_id,created_at,type,merchant_id,product_id,first_response_at
            T1,O1,2026-11-16 10:00,inquiry,,,2026-11-16 11:00
            T2,,2026-11-16 10:00,inquiry,M9,,2026-11-16 11:00
            T3,O1,2026-11-16 10:00,inquiry,M1,,2026-11-16 11:00
            T4,O2,2026-11-16 10:00,inquiry,,,2026-11-17 11:00

            """
        let config = """
            timezone = "UTC"
            [[policy]]
            name = "m9"
            when = { merchant_id = ["M9"] }
            start = "created_at"
            stop = "first_response_at"
            target = "24h"
            [[policy]]
            name = "p7"
            when = { product_id = ["P7"] }
            start = "created_at"
            stop = "first_response_at"
            target = "24h"

            """
        let r = try run(dir, ["orders.csv": orders, "tickets.csv": tickets], config: config)
        #expect(r.status == 0, "\(r.stderr)")
        let s = try json(dir, "2026-W47/summary.json")
        #expect(counts(try sla(s, "m9")) == [2, 0, 0, 2])
        // T4: 25 h, breached.
        #expect(counts(try sla(s, "p7")) == [0, 1, 0, 1])
    }

    /// The built-in ship_24h leaves canceled and unavailable orders out: they are never shipped,
    /// and were open, ever more overdue items. as_of 2026-11-20 12:00 (UTC).
    @Test func builtInShipPolicyLeavesCanceledOrdersOut() throws {
        let dir = try CLI.scratch()
        let orders = """
            order_id,ordered_at,paid_at,shipped_at,status
            S1,2026-11-16 09:00,2026-11-16 10:00,2026-11-16 20:00,delivered
            S2,2026-11-16 09:00,2026-11-16 10:00,,canceled
            S3,2026-11-16 09:00,2026-11-16 10:00,,unavailable
            S4,2026-11-16 09:00,2026-11-16 10:00,,paid
            S5,2026-11-20 09:00,2026-11-20 10:00,,已付款

            """
        let r = try run(
            dir, ["orders.csv": orders], config: "timezone = \"UTC\"\n", ["--as-of", "2026-11-20T12:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        // S1 10 h met; S2, S3 left out; S4 open 98 h: breached (open); S5 open 2 h: pending.
        #expect(counts(try sla(try json(dir, "2026-W47/summary.json"), "ship_24h")) == [1, 1, 1, 3])
        let open = try csv(dir, "open_items.csv").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)[1]
        }
        #expect(open == ["S4", "S5"])
    }

    /// A marketplace order report with its own header names, found by a files glob, measured
    /// against the promised delivery date (a due policy) and paid → shipped within 24 h, cancelled
    /// orders left out by `unless`. as_of 2026-11-20 12:00 (UTC).
    @Test func orderPoliciesWithDueAndUnless() throws {
        let dir = try CLI.scratch()
        let orders = """
            order_id,order_status,order_purchase_timestamp,order_approved_at,carrier_date,customer_date,estimated_date,region
            A1,delivered,2026-11-16 08:00,2026-11-16 09:00,2026-11-16 20:00,2026-11-18 10:00,2026-11-19,north
            A2,delivered,2026-11-16 09:00,2026-11-16 09:30,2026-11-17 12:00,2026-11-19 15:00,2026-11-19,north
            A3,shipped,2026-11-16 10:00,2026-11-16 10:00,2026-11-17 09:00,,2026-11-19,south
            A4,shipped,2026-11-17 10:00,2026-11-17 10:00,2026-11-17 18:00,,2026-11-22,south
            A5,canceled,2026-11-17 11:00,2026-11-17 11:00,,,2026-11-21,north
            A6,delivered,2026-11-17 12:00,,,2026-11-19 12:00,,north
            A7,delivered,2026-11-18 12:00,2026-11-18 12:30,2026-11-18 13:00,2026-11-19 08:00,0000-00-00,south

            """
        let config = """
            timezone = "UTC"
            [tables.orders]
            files = ["marketplace_*"]
            [tables.orders.columns]
            ordered_at = "order_purchase_timestamp"
            paid_at = "order_approved_at"
            shipped_at = "carrier_date"
            signed_at = "customer_date"
            status = "order_status"
            promised_delivery_at = "estimated_date"
            [tables.orders.extra]
            region = "string"

            [[policy]]
            name = "delivered_as_promised"
            table = "orders"
            unless = { status = ["canceled", "unavailable"] }
            start = "ordered_at"
            stop = "signed_at"
            due = "promised_delivery_at"
            goal = 0.9

            [[policy]]
            name = "ship_24h"
            table = "orders"
            unless = { status = ["canceled"] }
            start = "paid_at"
            stop = "shipped_at"
            target = "24h"

            [[policy]]
            name = "north_ship_24h"
            table = "orders"
            when = { region = ["north"] }
            start = "paid_at"
            stop = "shipped_at"
            target = "24h"
            """
        let r = try run(dir, ["marketplace_orders_2026.csv": orders], config: config, ["--as-of", "2026-11-20 12:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try json(dir, "2026-W47/summary.json")
        #expect(int(s, "orders", "placed") == 7)
        // delivered_as_promised (due = the date, i.e. its 00:00; A5 left out by unless):
        //   A1 signed 11-18 10:00 ≤ 11-19 00:00 → met; A2 signed 11-19 15:00 > 11-19 → breached;
        //   A3 open, as_of 11-20 12:00 > 11-19 → breached (open); A4 open, as_of ≤ 11-22 → pending;
        //   A6 no promise, A7 unreadable promise → missing_due 2 (not eligible).
        let d = try sla(s, "delivered_as_promised")
        #expect(counts(d) == [1, 2, 1, 4])
        #expect(d["table"] as? String == "orders" && d["due"] as? String == "promised_delivery_at")
        #expect(d["target_hours"] is NSNull && d["clock"] is NSNull)
        #expect((d["goal"] as? NSNumber)?.doubleValue == 0.9)
        #expect(int(s, "data_quality", "missing_due") == 2)
        // p50/p90 over met and breached with a stop: A1 50 h, A2 78 h → p50 64, p90 50 + 0.9 × 28 = 75.2.
        #expect((d["p50_hours"] as? NSNumber)?.doubleValue == 64)
        #expect((d["p90_hours"] as? NSNumber)?.doubleValue == 75.2)
        // ship_24h (A5 left out, A6 not paid): A1 11 h met; A2 26.5 h breached; A3 23 h met;
        // A4 8 h met; A7 0.5 h met → 4 met, 1 breached.
        let ship = try sla(s, "ship_24h")
        #expect(counts(ship) == [4, 1, 0, 5])
        #expect((ship["goal"] as? NSNumber)?.doubleValue == 0.95)
        // north (an extra text column as a filter): A1 met, A2 breached, A5 paid 11-17 11:00, never
        // shipped, 73 h at as_of → breached (open); A6 not paid → 1 met, 2 breached.
        #expect(counts(try sla(s, "north_ship_24h")) == [1, 2, 0, 3])
        // as_of is not moved by the deadlines (11-22 would be later than any event).
        #expect(s["as_of"] as? String == "2026-11-20T12:00:00+00:00")
        // The page judges each promise by its own goal and names the deadline.
        let page = try String(contentsOf: dir.appendingPathComponent("out/2026-W47/report.html"), encoding: .utf8)
        #expect(page.contains("goal 90%") && page.contains("by the promised delivery date"))
        // The breaches list the order id in `id`, no ticket id, and the deadline in `due`.
        let breaches = try csv(dir, "2026-W47/sla_breaches.csv")
        #expect(
            breaches[0]
                == "ticket_id,order_id,policy,start,stop,elapsed_hours,target_hours,state,table,id,due,agent,type,priority"
        )
        #expect(
            breaches.contains(
                ",A3,delivered_as_promised,2026-11-16T10:00:00+00:00,,98,,breached_open,orders,A3,2026-11-19T00:00:00+00:00,,,"
            ))
        #expect(
            breaches.contains(
                ",A2,ship_24h,2026-11-16T09:30:00+00:00,2026-11-17T12:00:00+00:00,26.5,24,breached,orders,A2,2026-11-17T09:30:00+00:00,,,"
            ))
    }

    /// A help-desk export: `;`-separated, no `type` column (a default fills the required column),
    /// its own "Priority" scale bound to an extra column (so the built-in priority does not read
    /// "Low"), a reopened time as a policy start, `due_at` as a deadline, a skipped policy.
    @Test func ticketExportWithDefaultsExtrasAndDue() throws {
        let dir = try CLI.scratch()
        let tickets = """
            ID;Created;Priority;Reopened;Solved;Due;Via
            1;2026-11-16 09:00;Low;;2026-11-16 12:00;2026-11-17 09:00;web
            2;2026-11-16 10:00;High;2026-11-17 10:00;2026-11-17 20:00;2026-11-16 18:00;mail
            3;2026-11-17 10:00;High;2026-11-18 09:00;;2026-11-18 09:00;web
            4;2026-11-18 10:00;Low;;;2026-11-21 09:00;web
            5;2026-11-18 11:00;Low;;;;web

            """
        let config = """
            timezone = "UTC"
            [tables.tickets]
            files = ["helpdesk-*"]
            delimiter = ";"
            [tables.tickets.columns]
            ticket_id = "ID"
            created_at = "Created"
            resolved_at = "Solved"
            due_at = "Due"
            channel = "Via"
            [tables.tickets.extra]
            desk_priority = { header = "Priority", type = "string" }
            reopened_at = { header = "Reopened", type = "timestamp" }
            [tables.tickets.defaults]
            type = "inquiry"

            [[policy]]
            name = "solved_by_due"
            start = "created_at"
            stop = "resolved_at"
            due = "due_at"

            [[policy]]
            name = "reopened_solved_12h"
            when = { desk_priority = ["High"] }
            start = "reopened_at"
            stop = "resolved_at"
            target = "12h"

            [[policy]]
            name = "first_response"
            start = "created_at"
            stop = "first_response_at"
            target = "24h"
            """
        let r = try run(dir, ["helpdesk-2026-11.csv": tickets], config: config, ["--as-of", "2026-11-19 12:00"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try json(dir, "2026-W47/summary.json")
        // The default fills `type` for all five rows; "Low"/"High" went to the extra column.
        #expect(int(s, "tickets", "created") == 5)
        #expect(((s["tickets"] as? [String: Any])?["by_type"] as? [String: Any])?["inquiry"] as? Int == 5)
        // solved_by_due: 1 solved 11-16 12:00 ≤ 11-17 09:00 → met; 2 solved 11-17 20:00 > 11-16 18:00
        // → breached; 3 open, as_of 11-19 12:00 > 11-18 09:00 → breached; 4 open, due 11-21 → pending;
        // 5 no due → missing_due.
        #expect(counts(try sla(s, "solved_by_due")) == [1, 2, 1, 4])
        #expect(int(s, "data_quality", "missing_due") == 1)
        // reopened (High only): 2 reopened 11-17 10:00, solved 10 h later → met; 3 reopened 11-18
        // 09:00, open 27 h at as_of → breached. Both start in W47.
        #expect(counts(try sla(s, "reopened_solved_12h")) == [1, 1, 0, 2])
        // No file has first_response_at: the policy is skipped, not shown as all breached.
        let fr = try sla(s, "first_response")
        #expect(fr["skipped"] as? String == "first_response_at")
        #expect(counts(fr) == [0, 0, 0, 0])
        // The page says why there is no number, in the tile and the table.
        let page = try String(contentsOf: dir.appendingPathComponent("out/2026-W47/report.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "no data (first_response_at not in the export)").count == 3)
        let run = try json(dir, "run.json")
        let skipped = try #require(run["skipped_policies"] as? [[String: Any]])
        #expect(
            skipped.count == 1 && skipped[0]["policy"] as? String == "first_response"
                && skipped[0]["column"] as? String == "first_response_at")
        // as_of without --as-of: the latest event (11-18 11:00 created, 11-18 09:00 reopened),
        // not the deadline 11-21 09:00.
        let r2 = try CLI.run(["run", "--input", "in", "--out", "out2"], cwd: dir)
        #expect(r2.status == 0, "\(r2.stderr)")
        let s2 =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("out2/2026-W47/summary.json"))) as? [String: Any]
        #expect(s2?["as_of"] as? String == "2026-11-18T11:00:00+00:00")
    }

    /// A per-table binding beats the built-in aliases: 处理人 and 客服工号 are both aliases of
    /// agent (two columns for one: a bad header), until `agent = "客服工号"` says which one is;
    /// "时间", an alias of logistics' event_at, means answered_at in this surveys export.
    /// Surveys: dedup, agent from the ticket, response rate, scores from the surveys alone.
    @Test func surveysDedupResponseRateAndBinding() throws {
        let dir = try CLI.scratch()
        let tickets = """
            工单号,创建时间,类型,处理人,客服工号,问题分类,完结时间,满意度
            T1,2026-11-16 09:00,投诉,Z9,A1,damaged,2026-11-16 12:00,1
            T2,2026-11-16 10:00,咨询,Z9,A2,billing,2026-11-16 11:00,5
            T3,2026-11-17 10:00,咨询,Z9,A2,billing,2026-11-17 11:00,

            """
        let surveys = """
            问卷ID,工单号,客服,星级,sent_at,时间,评论,updated_at
            S1,T1,,,2026-11-16 13:00,,,2026-11-16 13:00
            S1,T1,,2,2026-11-16 13:00,2026-11-17 08:00,"太慢了, 再也不买",2026-11-17 08:00
            S2,T2,A9,5,2026-11-16 12:00,2026-11-16 18:00,好,2026-11-16 18:00
            ,T3,,,2026-11-17 12:00,,,
            ,T3,,4.5,2026-11-17 12:00,2026-11-18 09:00,,2026-11-18 09:00
            S4,T2,,,,,,

            """
        let unbound = try run(dir, ["tickets.csv": tickets, "surveys-1.csv": surveys], config: "timezone = \"UTC\"")
        #expect(unbound.status == 65)
        #expect(unbound.stderr.contains("columns 4 (处理人) and 5 (客服工号) both map to agent"))
        let config = """
            timezone = "UTC"
            max_reject_rate = 0.2   # S4 is rejected on purpose: 1 of 6 survey rows
            [tables.tickets.columns]
            agent = "客服工号"
            [tables.surveys.columns]
            answered_at = "时间"
            """
        let r = try run(dir, ["tickets.csv": tickets, "surveys-1.csv": surveys], config: config)
        #expect(r.status == 0, "\(r.stderr)")
        let s = try json(dir, "2026-W47/summary.json")
        let sat = try #require(s["satisfaction"] as? [String: Any])
        // Dedup: S1's invitation and its answered copy merge (later updated_at wins); T3's two rows
        // share (ticket, order, sent_at) and merge; S4 has neither time → rejected.
        // Responses (from surveys only; ticket scores ignored): S1 2, S2 5 → 2, mean 3.5.
        #expect(sat["responses"] as? Int == 2)
        #expect((sat["mean"] as? NSNumber)?.doubleValue == 3.5)
        #expect(sat["low_scores"] as? Int == 1)
        // Sent in W47: S1, S2, T3's survey = 3; with a valid score: 2 → 0.6667.
        #expect((sat["response_rate"] as? NSNumber)?.doubleValue == 0.6667)
        // T3's "4.5" is an invalid score in the week it would fall (answered 11-18).
        #expect(int(s, "data_quality", "invalid_scores") == 1)
        let run = try json(dir, "run.json")
        let st = try #require((run["tables"] as? [String: Any])?["surveys"] as? [String: Any])
        #expect(
            st["rows_read"] as? Int == 6 && st["rejected"] as? Int == 1 && st["duplicates_merged"] as? Int == 2
                && st["unique"] as? Int == 3)
        // The callback list: S1, agent A1 from T1, category and resolved_at from T1, the comment.
        let low = try csv(dir, "2026-W47/low_scores.csv")
        #expect(
            low == [
                "ticket_id,order_id,agent,score,category,resolved_at,surveyed_at,survey_id,comment",
                "T1,,A1,2,damaged,2026-11-16T12:00:00+00:00,2026-11-17T08:00:00+00:00,S1,\"太慢了, 再也不买\"",
            ])
        // Agents' responses come from the surveys: A1 one response (2), A9 (S2's own agent) one (5).
        let agents = try #require(s["agents"] as? [[String: Any]])
        let a1 = try #require(agents.first { $0["agent"] as? String == "A1" })
        #expect(a1["responses"] as? Int == 1 && (a1["mean"] as? NSNumber)?.doubleValue == 2)
        #expect(agents.first { $0["agent"] as? String == "A9" }?["responses"] as? Int == 1)
        #expect(!agents.contains { $0["agent"] as? String == "Z9" })
    }

    /// Sentinel dates are rejected as out of range; a sentinel deadline is only missing.
    @Test func outOfRangeTimestamps() throws {
        let dir = try CLI.scratch()
        let tickets = """
            ticket_id,created_at,type,resolved_at,due_at
            T1,2026-11-16 09:00,inquiry,2026-11-16 12:00,1900-01-01
            T2,1900-01-01 00:00,inquiry,,
            T3,2026-11-17 09:00,inquiry,2199-12-31 00:00,
            T4,2026-11-17 10:00,inquiry,,2199-12-31

            """
        let config = """
            timezone = "UTC"
            max_reject_rate = 1
            [[policy]]
            name = "by_due"
            start = "created_at"
            stop = "resolved_at"
            due = "due_at"
            """
        let r = try run(dir, ["tickets.csv": tickets], config: config)
        #expect(r.status == 0, "\(r.stderr)")
        // T2 (1900, before valid_from) and T3 (2199, past the run's clock + 2 days) are rejected;
        // only W47 is reported, and as_of stays at T4's creation.
        let weeks = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path)
            .filter { $0.hasPrefix("1") || $0.hasPrefix("2") }
        #expect(weeks.sorted() == ["2026-11", "2026-W47"])
        let s = try json(dir, "2026-W47/summary.json")
        #expect(s["as_of"] as? String == "2026-11-17T10:00:00+00:00")
        #expect(int(s, "tickets", "created") == 2)
        // T1's 1900 deadline is missing; T4's 2199 deadline is a deadline like any other (pending).
        #expect(int(s, "data_quality", "missing_due") == 1)
        #expect(counts(try sla(s, "by_due")) == [0, 0, 1, 1])
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.components(separatedBy: "timestamp_out_of_range").count == 3)
    }

    /// A mapped required column the file lacks is exit 65 naming the file, the column, the
    /// binding and the headers the file has; a file two tables' globs match is exit 78.
    @Test func mappingErrors() throws {
        let dir = try CLI.scratch()
        let r = try run(
            dir, ["olist_orders.csv": "order_id,purchase_ts\nA1,2026-11-16 08:00\n"],
            config: """
                [tables.orders]
                files = ["olist_*"]
                [tables.orders.columns]
                ordered_at = "order_purchase_timestamp"
                """)
        #expect(r.status == 65)
        #expect(r.stderr.contains("in/olist_orders.csv:1: bad header: missing required column ordered_at"))
        #expect(
            r.stderr.contains("'order_purchase_timestamp'")
                && r.stderr.contains("the file's headers: 'order_id', 'purchase_ts'"))

        let dir2 = try CLI.scratch(#function + "2")
        let r2 = try run(
            dir2, ["olist_orders.csv": "order_id,ordered_at\nA1,2026-11-16 08:00\n"],
            config: """
                [tables.orders]
                files = ["olist_*"]
                [tables.surveys]
                files = ["*orders*"]
                """)
        #expect(r2.status == 78)
        #expect(r2.stderr.contains("slareport.toml:4: key 'tables.surveys.files'"))
        #expect(
            r2.stderr.contains(
                "'olist_orders.csv' is matched by the files globs of both [tables.orders] and [tables.surveys]"))

        let dir3 = try CLI.scratch(#function + "3")
        try CLI.write("x", to: dir3.appendingPathComponent("in/export.xlsx"))
        let r3 = try CLI.run(["run", "--input", "in", "--out", "out"], cwd: dir3)
        #expect(r3.status == 66)
        #expect(r3.stderr.contains("no input files found in in; looked for orders* (.csv, .tsv, .gz)"))
        #expect(r3.stderr.contains("ignored: in/export.xlsx"))
    }
}

/// `validate` finds the same files as `run`: a table's `files` globs included.
@Suite("CLI.validate-mapping")
struct ValidateMappingTests {
    @Test func validateUsesTheFilesGlobs() throws {
        let dir = try CLI.scratch()
        try CLI.write(
            "ticket_id,created_at,type\nT1,2026-11-16 09:00,inquiry\nT2,2026-11-16 10:00,what\n",
            to: dir.appendingPathComponent("in/export_2026.csv"))
        try CLI.write("[tables.tickets]\nfiles = [\"export_*\"]\n", to: dir.appendingPathComponent("slareport.toml"))
        let r = try CLI.run(["validate", "--input", "in", "--max-reject-rate", "1"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // 2 rows read, 1 rejected (unknown type).
        #expect(r.stdout.contains("tickets: 1 file") && r.stdout.contains("rows read          2"))
        #expect(r.stdout.contains("rejected           1"))
    }
}
