import Foundation
import Testing

/// The partial stages (docs/spark.md): `map --buckets 3`, `partial --stage tickets` and
/// `--stage groups` per bucket, then `merge --partials`, against `run` on a small folder whose
/// keys fall into different buckets (FNV-1a mod 3: A1 → 1, A2 → 2, T1 → 0, T2 → 2, SF1 → 0,
/// SF2 → 1), with a duplicate in every table but surveys and ticket T2 moving from A2 to A1.
@Suite("CLI.partial", .serialized)
struct PartialStageTests {
    static let config = "timezone = \"UTC\"\n"

    static let files: [String: String] = [
        // A1 unshipped in the first dump, shipped 23 h 55 min after payment in the second.
        "orders-1.csv": """
        order_id,ordered_at,paid_at,shipped_at,merchant_id,updated_at
        A1,2026-11-16 09:00:00,2026-11-16 09:05:00,,M1,2026-11-16 09:05:00
        A2,2026-11-16 10:00:00,2026-11-16 10:05:00,2026-11-16 12:00:00,M2,2026-11-16 12:00:00

        """,
        "orders-2.csv": """
        order_id,ordered_at,paid_at,shipped_at,merchant_id,updated_at
        A1,2026-11-16 09:00:00,2026-11-16 09:05:00,2026-11-17 09:00:00,M1,2026-11-17 09:00:00

        """,
        // T1 resolved at 12:00; T2 created an hour later, first on A2, then (later dump) on A1:
        // a repeat contact of A1 only once the dumps are deduplicated. The agent has a space.
        "tickets-1.csv": """
        ticket_id,order_id,created_at,first_response_at,resolved_at,agent,type,category,updated_at
        T1,A1,2026-11-16 10:00:00,2026-11-16 11:00:00,2026-11-16 12:00:00,Li Wei,complaint,物流 慢,2026-11-16 12:00:00
        T2,A2,2026-11-16 13:00:00,2026-11-16 13:30:00,,Li Wei,inquiry,其他,2026-11-16 13:30:00

        """,
        "tickets-2.csv": """
        ticket_id,order_id,created_at,first_response_at,resolved_at,agent,type,category,updated_at
        T2,A1,2026-11-16 13:00:00,2026-11-16 13:30:00,2026-11-16 15:00:00,Li Wei,inquiry,其他,2026-11-16 15:00:00

        """,
        // SF1 delivered 24 h after pick-up (the delivery again in the second file); SF2 open.
        "logistics-1.csv": """
        tracking_no,order_id,carrier,event,event_at,exception
        SF1,A1,SF Express,picked_up,2026-11-16 13:00:00,
        SF1,A1,SF Express,delivered,2026-11-17 13:00:00,
        SF2,A2,YTO,picked_up,2026-11-17 10:00:00,

        """,
        "logistics-2.csv": """
        tracking_no,order_id,carrier,event,event_at,exception
        SF1,A1,SF Express,delivered,2026-11-17 13:00:00,

        """,
        // A low score for T2, no agent of its own: the ticket's (joined in the merge).
        "surveys-1.csv": """
        survey_id,ticket_id,order_id,agent,score,sent_at,answered_at,comment,updated_at
        S1,T2,A1,,2,2026-11-16 15:10:00,2026-11-16 16:00:00,too slow,2026-11-16 16:00:00

        """,
    ]

    /// in/ with the files, run into run/, mapped into m/ with 3 buckets, both partial stages per
    /// bucket; merge into merged/ when `merge`.
    func setUp(_ name: String = #function, merge: Bool = true) throws -> URL {
        let dir = try CLI.scratch(name)
        try CLI.write(Self.config, to: dir.appendingPathComponent("slareport.toml"))
        for (f, text) in Self.files { try CLI.write(text, to: dir.appendingPathComponent("in/" + f)) }
        let r = try CLI.run(["run", "--input", "in", "--out", "run"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        for f in Self.files.keys.sorted() {
            let m = try CLI.run(["map", "in/" + f, "--out", "m/map/" + f, "--buckets", "3"], cwd: dir)
            #expect(m.status == 0, "\(m.stderr)")
        }
        for k in 0..<3 {
            let t = try CLI.run(
                [
                    "partial", "--stage", "tickets", "--map", "m", "--bucket", "\(k)", "--buckets", "3", "--out",
                    "m/t/\(k)",
                ],
                cwd: dir)
            #expect(t.status == 0, "\(t.stderr)")
        }
        for k in 0..<3 {
            let g = try CLI.run(
                [
                    "partial", "--stage", "groups", "--map", "m", "--tickets", "m/t", "--bucket", "\(k)", "--buckets",
                    "3",
                    "--out", "m/p/\(k)",
                ], cwd: dir)
            #expect(g.status == 0, "\(g.stderr)")
        }
        if merge {
            let g = try CLI.run(["merge", "--map", "m", "--partials", "m/p", "--out", "merged"], cwd: dir)
            #expect(g.status == 0, "\(g.stderr)")
        }
        return dir
    }

    @Test func bucketsAddUpToRunsTree() throws {
        let dir = try setUp()
        let s = try SummaryReading.object(dir, "merged/2026-W47/summary.json")
        // Orders: both shipped within 24 h of payment (A1's later copy won).
        #expect((s["orders"] as? [String: Any])?["placed"] as? Int == 2)
        #expect(SummaryReading.counts(try SummaryReading.sla(s, "ship_24h")) == [2, 0, 0, 2])
        // T2, moved to A1, was created 1 h after T1 (A1's) was resolved: one repeat contact.
        #expect((s["repeat_contacts"] as? [String: Any])?["count"] as? Int == 1)
        let repeats = try String(
            contentsOf: dir.appendingPathComponent("merged/2026-W47/repeat_contacts.csv"), encoding: .utf8)
        #expect(repeats.contains("T2,A1,") && repeats.contains(",T1,"))
        // Two shipments, SF1 delivered after exactly 24 h.
        let l = try #require(s["logistics"] as? [String: Any])
        #expect(l["shipments"] as? Int == 2)
        #expect(l["delivered"] as? Int == 1)
        #expect(l["p50_delivery_hours"] as? Double == 24)
        // The survey's low score carries T2's agent, whose name has a space.
        let low = try String(contentsOf: dir.appendingPathComponent("merged/2026-W47/low_scores.csv"), encoding: .utf8)
        #expect(low.contains("Li Wei"))
        // Duplicates merged as run counts them: one order, one ticket, one event.
        let info = try SummaryReading.object(dir, "merged/run.json")
        let tables = try #require(info["tables"] as? [String: [String: Any]])
        #expect(tables["orders"]?["duplicates_merged"] as? Int == 1)
        #expect(tables["tickets"]?["duplicates_merged"] as? Int == 1)
        #expect(tables["logistics"]?["duplicates_merged"] as? Int == 1)

        // Every published file is run's.
        try MergeCommandTests.expectSameTree(dir, "run", "merged")
    }

    @Test func aMissingBucketIsNamed() throws {
        let dir = try setUp(merge: false)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("m/p/1"))
        let g = try CLI.run(["merge", "--map", "m", "--partials", "m/p", "--out", "merged"], cwd: dir)
        #expect(g.status == 66)
        #expect(g.stderr.contains("bucket 1 of 3 missing"), "\(g.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("merged/latest").path))
    }

    @Test func anotherAsOfIsRefused() throws {
        let dir = try setUp(merge: false)
        let g = try CLI.run(
            ["merge", "--map", "m", "--partials", "m/p", "--out", "merged", "--as-of", "2026-11-18 00:00:00"], cwd: dir)
        #expect(g.status == 66)
        #expect(g.stderr.contains("give both the same --as-of"), "\(g.stderr)")
    }

    @Test func itemsExportFromBucketsIsRuns() throws {
        let dir = try setUp(merge: false)
        // Partials made without their items: the merge cannot write items.csv.gz.
        let without = try CLI.run(
            ["merge", "--map", "m", "--partials", "m/p", "--out", "x", "--export-items"], cwd: dir)
        #expect(without.status == 66)
        #expect(without.stderr.contains("--export-items"), "\(without.stderr)")
        for k in 0..<3 {
            let g = try CLI.run(
                [
                    "partial", "--stage", "groups", "--map", "m", "--tickets", "m/t", "--bucket", "\(k)", "--buckets",
                    "3",
                    "--out", "m/p/\(k)", "--export-items",
                ], cwd: dir)
            #expect(g.status == 0, "\(g.stderr)")
        }
        let m = try CLI.run(
            ["merge", "--map", "m", "--partials", "m/p", "--out", "merged", "--export-items"], cwd: dir)
        #expect(m.status == 0, "\(m.stderr)")
        let r = try CLI.run(["run", "--input", "in", "--out", "run-items", "--export-items"], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let mine = try Data(contentsOf: dir.appendingPathComponent("merged/items.csv.gz"))
        #expect(!mine.isEmpty)
        #expect(mine == (try Data(contentsOf: dir.appendingPathComponent("run-items/items.csv.gz"))))
    }

    /// Extra columns travel through the map outputs and the buckets: the Zendesk recipe (a string
    /// extra used in a filter, a timestamp extra as a policy's stop). By hand: ticket 4098, created
    /// Fri 2025-11-14 15:30:27 and first assigned 16:02:10 (31 min), is week 46's one ticket
    /// assigned within 1 h.
    @Test func extraColumnsThroughBuckets() throws {
        let dir = try CLI.scratch()
        let fixture = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/recipes/zendesk-tickets")
        try FileManager.default.copyItem(at: fixture, to: dir.appendingPathComponent("in"))
        let cfg = ["--config", "in/slareport.toml"]
        let r = try CLI.run(["run", "--input", "in", "--out", "run"] + cfg, cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let export = "export_2025_11_24_8f3c2a91_1.csv"
        let m = try CLI.run(["map", "in/" + export, "--out", "m/map/" + export, "--buckets", "2"] + cfg, cwd: dir)
        #expect(m.status == 0, "\(m.stderr)")
        for stage in ["tickets", "groups"] {
            for k in 0..<2 {
                let out = stage == "tickets" ? "m/t/\(k)" : "m/p/\(k)"
                let p = try CLI.run(
                    [
                        "partial", "--stage", stage, "--map", "m", "--tickets", "m/t", "--bucket", "\(k)", "--buckets",
                        "2",
                        "--out", out,
                    ] + cfg, cwd: dir)
                #expect(p.status == 0, "\(p.stderr)")
            }
        }
        let g = try CLI.run(["merge", "--map", "m", "--partials", "m/p", "--out", "merged"] + cfg, cwd: dir)
        #expect(g.status == 0, "\(g.stderr)")
        let s = try SummaryReading.object(dir, "merged/2025-W46/summary.json")
        #expect(SummaryReading.counts(try SummaryReading.sla(s, "assigned_1h")) == [1, 0, 0, 1])
        try MergeCommandTests.expectSameTree(dir, "run", "merged")
    }

    @Test func otherBucketCountsAreRefused() throws {
        let dir = try setUp(merge: false)
        let t = try CLI.run(
            ["partial", "--stage", "tickets", "--map", "m", "--bucket", "0", "--buckets", "4", "--out", "m/t4/0"],
            cwd: dir)
        #expect(t.status == 66)
        #expect(t.stderr.contains("mapped into 3 buckets, not 4"), "\(t.stderr)")
    }
}
