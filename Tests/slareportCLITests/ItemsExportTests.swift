import Foundation
import Testing

/// items.csv.gz, the opt-in per-item export: off by default, on by flag or config key, one row
/// per clock that adds up to summary.json.
@Suite("CLI.items")
struct ItemsExportTests {
    /// The rows of a gzip-compressed CSV (through gzip itself, which also checks the CRC and
    /// length), BOM dropped, each split into fields (RFC 4180 quotes).
    static func rows(_ file: URL) throws -> [[String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-dc", file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "gzip -dc \(file.path) failed")
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(separator: "\r\n", omittingEmptySubsequences: true).map(Self.fields)
    }

    static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var cur = ""
        var quoted = false
        var it = line.makeIterator()
        while let ch = it.next() {
            if quoted {
                if ch == "\"" { quoted = false } else { cur.append(ch) }
            } else if ch == "\"" {
                if !cur.isEmpty { cur.append(ch) }  // "" inside quotes: a quote
                quoted = true
            } else if ch == "," {
                out.append(cur)
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        out.append(cur)
        return out
    }

    static let header =
        "table,id,order_id,policy,start,stop,due,elapsed_hours,state,week,month,agent,type,priority,channel,category"

    /// The small fixture with two more tickets, built-in policies, UTC: as_of is T3's survey,
    /// 2026-11-20 11:00 (Friday). Ticket columns absent from every file (fault_confirmed_at,
    /// repair_plan_at, plan_rejected_at) skip their policies, and so does ship_24h (no paid_at).
    @Test func fixtureRowsByHand() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        try CLI.write(
            """
            ticket_id,created_at,type,first_response_at
            T4,2026-11-20 10:00:00,inquiry,
            T5,2026-11-19 10:00:00,refund,2026-11-19 09:00:00

            """, to: input.appendingPathComponent("tickets_2.csv"))
        let out = dir.appendingPathComponent("out")
        let r = try CLI.run(["run", "--quiet", "--export-items", "--input", input.path, "--out", out.path], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let got = try Self.rows(out.appendingPathComponent("items.csv.gz")).map { $0.joined(separator: ",") }
        // "2026-11-16\(h(10))" reads 2026-11-16T10:00:00+00:00.
        func h(_ hour: Int) -> String { "T" + (hour < 10 ? "0" : "") + "\(hour):00:00+00:00" }
        let want = [
            Self.header,
            // T1, complaint (normal), created Mon 10:00, response 10:30, resolved 12:00, surveyed Tue 09:00.
            // resolution_3bd: 27 business hours (3 × 09:00–18:00) from Mon 10:00 = Mon 8 + Tue 9 + Wed 9 + Thu 1 → Thu 10:00.
            "tickets,T1,O1,first_response,2026-11-16\(h(10)),2026-11-16T10:30:00+00:00,2026-11-17\(h(10)),0.5,met,2026-W47,2026-11,A01,complaint,normal,电话,物流延迟",
            "tickets,T1,O1,complaint_normal,2026-11-16\(h(10)),2026-11-16T10:30:00+00:00,2026-11-16\(h(11)),0.5,met,2026-W47,2026-11,A01,complaint,normal,电话,物流延迟",
            "tickets,T1,O1,resolution_3bd,2026-11-16\(h(10)),2026-11-16\(h(12)),2026-11-19\(h(10)),2,met,2026-W47,2026-11,A01,complaint,normal,电话,物流延迟",
            "tickets,T1,O1,survey_followup,2026-11-16\(h(12)),2026-11-17\(h(9)),2026-11-19\(h(12)),21,met,2026-W47,2026-11,A01,complaint,normal,电话,物流延迟",
            // T2, urgent complaint, created Tue 09:00, response 15:00 (6 h > 4 h), never resolved:
            // business time to as_of = Tue 9 + Wed 9 + Thu 9 + Fri 2 = 29 h > 27 → breached_open,
            // due Tue 09:00 + 27 business hours = Thu 18:00.
            "tickets,T2,O2,first_response,2026-11-17\(h(9)),2026-11-17\(h(15)),2026-11-18\(h(9)),6,met,2026-W47,2026-11,A02,complaint,urgent,APP,商品破损",
            "tickets,T2,O2,complaint_urgent,2026-11-17\(h(9)),2026-11-17\(h(15)),2026-11-17\(h(13)),6,breached,2026-W47,2026-11,A02,complaint,urgent,APP,商品破损",
            "tickets,T2,O2,resolution_3bd,2026-11-17\(h(9)),,2026-11-19\(h(18)),29,breached_open,2026-W47,2026-11,A02,complaint,urgent,APP,商品破损",
            // T3, inquiry without category or priority (normal), created Wed 09:00, response Fri
            // 09:00 (48 h), resolved Fri 10:00 (Wed 9 + Thu 9 + Fri 1 = 19 business hours).
            "tickets,T3,O3,first_response,2026-11-18\(h(9)),2026-11-20\(h(9)),2026-11-19\(h(9)),48,breached,2026-W47,2026-11,A01,inquiry,normal,APP,",
            "tickets,T3,O3,resolution_3bd,2026-11-18\(h(9)),2026-11-20\(h(10)),2026-11-20\(h(18)),19,met,2026-W47,2026-11,A01,inquiry,normal,APP,",
            "tickets,T3,O3,survey_followup,2026-11-20\(h(10)),2026-11-20\(h(11)),2026-11-23\(h(10)),1,met,2026-W47,2026-11,A01,inquiry,normal,APP,",
            // T4, created Fri 10:00, no response by as_of (1 h < 24) → pending; resolution due
            // Fri 10:00 + 27 = Fri 8 + Mon 9 + Tue 9 + Wed 1 → Wed 25th 10:00.
            "tickets,T4,,first_response,2026-11-20\(h(10)),,2026-11-21\(h(10)),,pending,2026-W47,2026-11,,inquiry,normal,,",
            "tickets,T4,,resolution_3bd,2026-11-20\(h(10)),,2026-11-25\(h(10)),,pending,2026-W47,2026-11,,inquiry,normal,,",
            // T5, refund created Thu 10:00, "response" an hour before creation → invalid; refund
            // open 25 h > 24 at as_of → breached_open; resolution: Thu 8 + Fri 2 = 10 h → pending,
            // due Thu 8 + Fri 9 + Mon 9 + Tue 1 → Tue 24th 10:00.
            "tickets,T5,,first_response,2026-11-19\(h(10)),,2026-11-20\(h(10)),,invalid,2026-W47,2026-11,,refund,normal,,",
            "tickets,T5,,refund,2026-11-19\(h(10)),,2026-11-20\(h(10)),25,breached_open,2026-W47,2026-11,,refund,normal,,",
            "tickets,T5,,resolution_3bd,2026-11-19\(h(10)),,2026-11-24\(h(10)),,pending,2026-W47,2026-11,,refund,normal,,",
        ]
        #expect(got == want)
        // The invalid clock is the week's data_quality.invalid_durations.
        let week = try SummaryReading.object(out, "2026-W47/summary.json")
        #expect((week["data_quality"] as? [String: Any])?["invalid_durations"] as? Int == 1)
    }

    /// On the sample, the export's met / breached (+ breached_open) / pending per period and
    /// policy are every summary.json's sla counts, weeks and months alike.
    @Test func sampleCountsEqualTheSummaries() throws {
        let dir = try CLI.scratch()
        let out = dir.appendingPathComponent("out")
        let r = try CLI.run(["run", "--quiet", "--export-items", "--out", out.path], cwd: CLI.packageRoot)
        #expect(r.status == 0, "\(r.stderr)")
        let checked = try Self.expectCountsEqualSummaries(out, minimumRows: 10_000)
        #expect(checked == 11 * 11 * 3)  // 8 weeks + 3 months, 11 policies
    }

    /// The same on the crosscheck's v2 fixture: order and survey policies, deadline policies
    /// (with missing deadlines), a skipped policy, invalid durations.
    @Test func v2FixtureCountsEqualTheSummaries() throws {
        let dir = try CLI.scratch()
        let out = dir.appendingPathComponent("out")
        let fixture = CLI.packageRoot.appendingPathComponent("scripts/slacheck/fixtures/v2")
        let r = try CLI.run(
            [
                "run", "--quiet", "--export-items", "--config", "slareport.toml", "--input", ".",
                "--max-reject-rate", "1", "--out", out.path,
            ], cwd: fixture)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.rows(out.appendingPathComponent("items.csv.gz"))
        let states = Set(rows.dropFirst().map { $0[8] })
        #expect(states == ["met", "breached", "breached_open", "pending", "invalid", "missing_due"])
        #expect(Set(rows.dropFirst().map { $0[0] }) == ["orders", "tickets", "surveys"])
        #expect(try Self.expectCountsEqualSummaries(out, minimumRows: 30) > 0)
    }

    /// Checks every period's sla counts, invalid_durations and missing_due against the rows of
    /// `out`'s items.csv.gz; returns how many sla counts were compared.
    static func expectCountsEqualSummaries(_ out: URL, minimumRows: Int) throws -> Int {
        let rows = try Self.rows(out.appendingPathComponent("items.csv.gz"))
        #expect(rows.first?.joined(separator: ",") == Self.header)
        let col = Dictionary(
            uniqueKeysWithValues: Self.header.split(separator: ",").enumerated().map { (String($1), $0) })
        var counts: [String: Int] = [:]
        for row in rows.dropFirst() {
            #expect(row.count == col.count, "\(row)")
            let state = row[col["state"]!] == "breached_open" ? "breached" : row[col["state"]!]
            for p in [row[col["week"]!], row[col["month"]!]] {
                counts[p + "|" + row[col["policy"]!] + "|" + state, default: 0] += 1
            }
        }
        #expect(rows.count > minimumRows)
        let fm = FileManager.default
        let periods = try fm.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix("2026-") }.sorted()
        var checked = 0
        for name in periods {
            let s = try SummaryReading.object(out, name + "/summary.json")
            for e in try #require(s["sla"] as? [[String: Any]]) {
                let policy = try #require(e["policy"] as? String)
                for k in ["met", "breached", "pending"] {
                    #expect(counts[name + "|" + policy + "|" + k, default: 0] == e[k] as? Int, "\(name) \(policy) \(k)")
                    checked += 1
                }
            }
            let dq = try #require(s["data_quality"] as? [String: Any])
            for (state, key) in [("invalid", "invalid_durations"), ("missing_due", "missing_due")] {
                #expect(
                    counts.filter { $0.key.hasPrefix(name + "|") && $0.key.hasSuffix("|" + state) }.values.reduce(0, +)
                        == dq[key] as? Int, "\(name) \(key)")
            }
        }
        return checked
    }

    @Test func offByDefaultAndOnByConfigKey() throws {
        let dir = try CLI.scratch()
        let input = try Fixture.make(in: dir)
        let off = dir.appendingPathComponent("off")
        var r = try CLI.run(["run", "--quiet", "--input", input.path, "--out", off.path], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: off.appendingPathComponent("items.csv.gz").path))
        try CLI.write("export_items = true\n", to: dir.appendingPathComponent("on.toml"))
        let on = dir.appendingPathComponent("on")
        r = try CLI.run(["run", "--quiet", "--config", "on.toml", "--input", input.path, "--out", on.path], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.rows(on.appendingPathComponent("items.csv.gz")).count == 1 + 10)
        // A later run without it drops the file from the published set (no dangling link).
        r = try CLI.run(["run", "--quiet", "--input", input.path, "--out", on.path], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(lstat(on.appendingPathComponent("items.csv.gz").path, &st) != 0)
    }

    @Test func aBadValueNamesFileLineAndKey() throws {
        let dir = try CLI.scratch()
        try CLI.write("timezone = \"UTC\"\nexport_items = \"yes\"\n", to: dir.appendingPathComponent("bad.toml"))
        let r = try CLI.run(["run", "--quiet", "--config", "bad.toml", "--out", "out"], cwd: dir)
        #expect(r.status == 78)
        #expect(
            r.stderr.contains("bad.toml") && r.stderr.contains(":2") && r.stderr.contains("export_items"), "\(r.stderr)"
        )
    }
}
