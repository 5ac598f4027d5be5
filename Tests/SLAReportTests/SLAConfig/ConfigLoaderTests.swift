import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite("Config loader") struct ConfigLoaderTests {
    @Test func templateParsesToDefaults() throws {
        var parsed = try ConfigLoader.parse(text: ConfigTemplate.defaultText, source: "slareport.toml")
        #expect(parsed.source == "slareport.toml")
        parsed.source = Config.defaults.source
        #expect(parsed.policies == Config.defaults.policies)
        #expect(parsed == Config.defaults)
        #expect(parsed.canonicalDescription == Config.defaults.canonicalDescription)
        #expect(ConfigTemplate.defaultText.hasSuffix("\n") && !ConfigTemplate.defaultText.hasSuffix("\n\n"))
    }

    /// Every key the loader knows appears in the template (uncommented), so `init` documents all.
    @Test func templateWritesEveryKey() {
        let lines = ConfigTemplate.defaultText.split(separator: "\n").map(String.init)
        func written(_ key: String) -> Bool { lines.contains { $0.hasPrefix(key + " = ") } }
        // Keys no default uses are shown in commented examples.
        func example(_ key: String) -> Bool { lines.contains { $0.hasPrefix("# " + key + " = ") } }
        for key in ConfigReader.topKeys
        where !["calendar", "alerts", "aliases", "policy", "tables", "agents", "breakdowns"].contains(key) {
            #expect(written(key), "\(key)")
        }
        #expect(lines.contains("[breakdowns]"))
        for key in ConfigReader.calendarKeys + ConfigReader.alertKeys + ConfigReader.agentKeys
            + ConfigReader.breakdownKeys
            + ConfigReader.policyKeys where key != "when"
        {
            #expect(written(key) || (["unless", "due", "goal"].contains(key) && example(key)), "\(key)")
        }
        for key in ConfigReader.tableKeys where !["columns", "extra", "defaults"].contains(key) {
            #expect(example(key), "\(key)")
        }
        for table in [
            "# [tables.orders]", "# [tables.orders.columns]", "# [tables.orders.extra]", "# [tables.tickets.defaults]",
        ] {
            #expect(lines.contains { $0.hasPrefix(table) }, "\(table)")
        }
        #expect(lines.contains { $0.hasPrefix("when = { type = [") })
        #expect(lines.contains("[aliases]") && lines.contains("# \"售后单号\" = \"ticket_id\""))
        #expect(lines.filter { $0 == "[[policy]]" }.count == 11)
    }

    /// `carrier` is a cut like the others (opt-in: not in the default list), and asking for it
    /// makes the reader keep tracking events' carrier.
    @Test func carrierCutIsOptIn() throws {
        #expect(!Config.defaults.breakdowns.by.contains(.carrier))
        #expect(!LoadOptions(config: Config.defaults, zone: .utc).keepCarrier)
        let c = try ConfigLoader.parse(
            text: "[breakdowns]\nby = [\"Carrier \", \"channel\", \"carrier\"]\n", source: "x.toml")
        #expect(c.breakdowns.by == [.carrier, .channel])
        #expect(LoadOptions(config: c, zone: .utc).keepCarrier)
    }

    @Test func emptyFileKeepsDefaults() throws {
        var parsed = try ConfigLoader.parse(text: "# nothing\n", source: "x.toml")
        parsed.source = "built-in"
        #expect(parsed == Config.defaults)
    }

    @Test func everyTopLevelKey() throws {
        let c = try ConfigLoader.parse(
            text: """
                timezone = "Asia/Shanghai"
                lang = "zh"
                input = "dumps"
                out = "weekly"
                max_reject_rate = 0
                encoding = "gb18030"
                csv_bom = false
                top_n = 5
                complaint_types = ["complaint", "退款", "Repair", "complaint"]
                stall_hours = 36       # an integer where a float is expected
                repeat_window = " 36h "
                [agents]
                low_score_flag = 5
                [alerts]
                product_complaints = 5
                merchant_complaint_rate = 0.1
                merchant_min_orders = 0
                category_spike_ratio = 3   # integer again
                category_spike_min = 4
                [aliases]
                " 售后单号 " = "ticket_id"
                "Order No." = " ORDER_ID"
                """, source: "x.toml")
        #expect(c.timezone == "Asia/Shanghai")
        #expect(c.lang == .zh)
        #expect(c.input == "dumps" && c.out == "weekly")
        #expect(c.maxRejectRate == 0)
        #expect(c.encoding == .gb18030)
        #expect(c.csvBOM == false)
        #expect(c.topN == 5)
        #expect(c.complaintTypes == [.complaint, .refund, .repair])
        #expect(c.stallHours == 36)
        #expect(c.repeatWindowSeconds == 36 * 3600 && c.repeatWindowText == "36h")
        #expect(c.agentLowScoreFlag == 5)
        #expect(c.alerts.productComplaints == 5 && c.alerts.merchantComplaintRate == 0.1)
        #expect(c.alerts.merchantMinOrders == 0 && c.alerts.categorySpikeRatio == 3 && c.alerts.categorySpikeMin == 4)
        #expect(c.aliases == ["售后单号": "ticket_id", "order no.": "order_id"])
        #expect(c.policies == Config.defaultPolicies)
    }

    @Test func extraPolicyReplacesDefaults() throws {
        let c = try ConfigLoader.parse(
            text: """
                [[policy]]
                name = "vip_response"
                when = { channel = ["VIP"], type = ["inquiry", "投诉"], priority = ["URGENT", "重大"] }
                start = "created_at"
                stop = "first_response_at"
                target = "30m"
                """, source: "x.toml")
        #expect(
            c.policies == [
                Policy(
                    name: "vip_response", label: "vip_response", types: [.inquiry, .complaint],
                    priorities: [.urgent, .major],
                    channels: ["VIP"], start: .createdAt, stop: .firstResponseAt, targetText: "30m",
                    targetSeconds: 30 * 60,
                    clock: .wallClock)
            ])
    }

    @Test func defaultsPlusOnePolicy() throws {
        let text =
            ConfigTemplate.defaultText + """

                [[policy]]
                name = "vip_response"
                label = "VIP 30 min"
                when = { channel = ["VIP"] }
                start = "created_at"
                stop = "first_response_at"
                target = "30m"
                """
        let c = try ConfigLoader.parse(text: text, source: "x.toml")
        #expect(c.policies.count == 12)
        #expect(Array(c.policies.prefix(11)) == Config.defaultPolicies)
        let vip = try #require(c.policies.last)
        #expect(vip.name == "vip_response" && vip.label == "VIP 30 min" && vip.channels == ["VIP"])
        #expect(vip.types == nil && vip.priorities == nil && vip.targetSeconds == 1800 && vip.clock == .wallClock)
    }

    /// The same policy written as an inline array, with a [policy.when] sub-table, and with
    /// dotted keys: all three read the same.
    @Test(arguments: [
        """
        policy = [{ name = "r", when = { type = "repair", priority = ["urgent"] }, start = "created_at", stop = "resolved_at", target = "2d" }]
        """,
        """
        [[policy]]
        name = "r"
        start = "created_at"
        stop = "resolved_at"
        target = "2d"
        [policy.when]
        type = ["Repair"]
        priority = "urgent"
        """,
        "[[policy]]\r\nname = \"r\"\r\nwhen.type = [\"维修\"]\r\nwhen.priority = [\"紧急\"]\r\nstart = \"created_at\"\r\nstop = \"resolved_at\"\r\ntarget = \"48h\"\r\n",
    ])
    func policySpellings(text: String) throws {
        let c = try ConfigLoader.parse(text: text, source: "x.toml")
        #expect(c.policies.count == 1)
        let p = try #require(c.policies.first)
        #expect(
            p.name == "r" && p.label == "r" && p.types == [.repair] && p.priorities == [.urgent] && p.channels == nil)
        #expect(
            p.start == "created_at" && p.stop == "resolved_at" && p.targetSeconds == 172_800 && p.clock == .wallClock)
    }

    /// Arrays whose lines start with "[" are values, not table headers, for the pre-check that
    /// keeps TOMLKit's parser from aborting on a bad header.
    @Test func multiLineArraysPassThePrecheck() throws {
        let c = try ConfigLoader.parse(
            text: """
                [calendar]
                holidays = [
                  "2026-10-01",
                ]
                business_hours = [
                  "09:00-12:00", "13:30-18:00"
                ]
                """, source: "x.toml")
        #expect(c.calendar.businessHours.count == 2)
        #expect(TOMLPrecheck.check("x = [\n  [\n    1\n  ],\n  [ 2 ]\n]") == nil)
        #expect(TOMLPrecheck.check("[a]\n[\"b c\"]\n[[d]]\n[ e ]\ny = { z = [1] }\n[f]") == nil)
        #expect(TOMLPrecheck.check("s = \"\"\"\n[not a header\n\"\"\"\n[g]") == nil)
        #expect(TOMLPrecheck.check("[a]\n[.b]")?.line == 2)
        #expect(TOMLPrecheck.check("[a]\n[\ntables.b]")?.line == 2)  // a header does not span lines
    }

    @Test func lunchBreakCalendar() throws {
        let c = try ConfigLoader.parse(
            text: """
                [[policy]]                     # the calendar comes after the policy that needs it
                name = "resolution"
                start = "created_at"
                stop = "resolved_at"
                target = "2bd"
                clock = "business"

                [[policy]]
                name = "quick"
                start = "created_at"
                stop = "first_response_at"
                target = "1.5h"
                clock = "business"

                [calendar]
                business_hours = ["13:30-18:00", "09:00-12:00"]
                """, source: "x.toml")
        // Sorted by start; one business day = 3 h + 4.5 h = 7.5 h = 27000 s.
        #expect(
            c.calendar.businessHours == [
                .init(startMinute: 540, endMinute: 720), .init(startMinute: 810, endMinute: 1080),
            ])
        #expect(c.calendar.businessDaySeconds == 27_000)
        #expect(c.policies[0].targetSeconds == 54_000)  // 2 × 27000
        #expect(c.policies[0].targetText == "2bd" && c.policies[0].clock == .business)
        #expect(c.policies[1].targetSeconds == 5400)  // business hours, not business days
    }

    /// The default `resolution_3bd` follows a changed calendar when no policies are written.
    @Test func defaultPoliciesFollowTheCalendar() throws {
        let c = try ConfigLoader.parse(text: "[calendar]\nbusiness_hours = \"09:00-22:00\"", source: "x.toml")
        let p = try #require(c.policies.first { $0.name == "resolution_3bd" })
        #expect(p.targetSeconds == 3 * 13 * 3600)
        #expect(
            c.policies.filter { $0.name != "resolution_3bd" }
                == Config.defaultPolicies.filter { $0.name != "resolution_3bd" })
    }

    @Test func workdaysHolidaysAndMakeUpDays() throws {
        let c = try ConfigLoader.parse(
            text: """
                [calendar]
                business_hours = "00:00-24:00"
                workdays = ["mon", "TUE", "Wednesday", "thu", "Fri", "sat", "周日"]
                holidays = ["2026-10-01", 2026-10-02, "2026-1-5"]
                extra_workdays = [2026-09-27]
                """, source: "x.toml")
        #expect(c.calendar.workdays == [1, 2, 3, 4, 5, 6, 7])
        #expect(c.calendar.businessDaySeconds == 86_400)
        // 2026-10-01: 56 years since 1970 with 14 leap days = 20454 days to 2026-01-01, + 273 days.
        #expect(c.calendar.holidays == [20_727, 20_728, CivilDate.days(year: 2026, month: 1, day: 5)])
        #expect(c.calendar.holidays.contains(CivilDate.parse("2026-10-01")!))
        #expect(c.calendar.extraWorkdays == [CivilDate.days(year: 2026, month: 9, day: 27)])
        #expect(CivilDate.weekday(CivilDate.days(year: 2026, month: 9, day: 27)) == 7)  // a Sunday make-up day
    }

    @Test(
        arguments: [
            ("72h", 259_200), ("30m", 1800), ("1d", 86_400), ("1.5h", 5400), ("0.1h", 360), (" 72 H ", 259_200),
            ("2bd", 64_800), ("0.5bd", 16_200),
        ] as [(String, Int64)])
    func durations(text: String, seconds: Int64) throws {
        guard case .success(let d) = DurationParser.parse(text) else {
            Issue.record("\(text) unreadable")
            return
        }
        #expect(d.seconds(businessDaySeconds: 9 * 3600) == seconds)
    }

    @Test(arguments: [
        ("72x", DurationParser.Failure.unreadable), ("", .unreadable), ("h", .unreadable), ("1.h", .unreadable),
        (".5h", .unreadable), ("1e3h", .unreadable), ("0h", .notPositive), ("0.0m", .notPositive),
        ("-4h", .notPositive),
        ("+4h", .unreadable), ("4hh", .unreadable),
    ])
    func badDurations(text: String, failure: DurationParser.Failure) {
        #expect(DurationParser.parse(text) == .failure(failure))
    }

    @Test func lookupOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("slareport-config-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // Nothing there: the built-in defaults.
        let builtIn = try ConfigLoader.load(explicitPath: nil, workingDirectory: dir)
        #expect(builtIn == Config.defaults && builtIn.source == "built-in")

        // ./slareport.toml when present.
        try "top_n = 7\n".write(toFile: dir + "/slareport.toml", atomically: true, encoding: .utf8)
        let local = try ConfigLoader.load(explicitPath: nil, workingDirectory: dir)
        #expect(local.topN == 7 && local.source == "slareport.toml")

        // --config wins over ./slareport.toml; relative paths are taken from the working directory.
        try FileManager.default.createDirectory(atPath: dir + "/conf", withIntermediateDirectories: true)
        try "\u{FEFF}top_n = 9\n".write(toFile: dir + "/conf/prod.toml", atomically: true, encoding: .utf8)
        let explicit = try ConfigLoader.load(explicitPath: "conf/prod.toml", workingDirectory: dir)
        #expect(explicit.topN == 9 && explicit.source == "conf/prod.toml")
        let absolute = try ConfigLoader.load(explicitPath: dir + "/conf/prod.toml", workingDirectory: "/")
        #expect(absolute.topN == 9 && absolute.source == dir + "/conf/prod.toml")

        // A named file that does not exist is an error, even with ./slareport.toml present.
        let missing = try #require(throws: ConfigError.self) {
            try ConfigLoader.load(explicitPath: "nope.toml", workingDirectory: dir)
        }
        #expect(missing == ConfigError(file: "nope.toml", message: "config file not found"))
        #expect(throws: ConfigError.self) { try ConfigLoader.load(explicitPath: "conf", workingDirectory: dir) }

        // Errors in ./slareport.toml name it as the user knows it.
        try "top_n = 0\n".write(toFile: dir + "/slareport.toml", atomically: true, encoding: .utf8)
        let bad = try #require(throws: ConfigError.self) {
            try ConfigLoader.load(explicitPath: nil, workingDirectory: dir)
        }
        #expect(bad.description == "slareport.toml:1: key 'top_n': must be at least 1, got 0")
    }

    @Test func canonicalDescriptionIsStableAndSensitive() throws {
        let a = try ConfigLoader.parse(text: "[calendar]\nworkdays = [\"Fri\", \"Mon\"]\n", source: "a.toml")
        let b = try ConfigLoader.parse(
            text: "# same settings\n[calendar]\nworkdays = [\"monday\", \"FRIDAY\", \"Mon\"]\n", source: "b.toml")
        #expect(a.canonicalDescription == b.canonicalDescription)
        let c = try ConfigLoader.parse(text: "[calendar]\nworkdays = [\"Fri\", \"Mon\", \"Tue\"]\n", source: "a.toml")
        #expect(a.canonicalDescription != c.canonicalDescription)

        let text = Config.defaults.canonicalDescription
        let keys = text.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(text.contains("calendar.business_hours = [09:00-18:00]\n"))
        #expect(text.contains("policy.009.target_seconds = 97200\n"))
        #expect(text.contains("timezone = \"UTC\"\n"))
        #expect(!text.contains("built-in"))
    }
}

@Suite("Config line index") struct ConfigLineIndexTests {
    @Test func findsKeysInEveryForm() {
        let index = TOMLLineIndex(
            text: """
                title = \"\"\"
                multi-line [not.a.table]
                x = 1
                \"\"\"
                a.b = 'lit#eral'   # comment [x]
                [calendar]
                holidays = [
                  "2026-10-01",   # first
                  2026-10-02,
                ]
                [[policy]]
                name = "one"
                [[policy]]
                when = { type = ["repair"],
                         priority = ["major"] }
                [policy.when]
                channel = ["VIP"]
                [aliases]
                "售后单号" = "ticket_id"
                'Order No.' = "order_id"
                """)
        let expected: [(String, Int)] = [
            ("title", 1), ("a", 5), ("a.b", 5), ("calendar", 6), ("calendar.holidays", 7),
            ("calendar.holidays[1]", 8), ("calendar.holidays[2]", 9), ("policy[1]", 11), ("policy[1].name", 12),
            ("policy[2]", 13), ("policy[2].when", 14), ("policy[2].when.type", 14), ("policy[2].when.type[1]", 14),
            ("policy[2].when.priority", 15), ("policy[2].when.channel", 17), ("aliases.\"售后单号\"", 19),
            ("aliases.\"Order No.\"", 20),
        ]
        for (path, line) in expected {
            #expect(index.lines[path] == line, "\(path)")
        }
        #expect(index.lines["x"] == nil)
        #expect(index.line(of: ConfigPath(["policy[1]", "stop"])) == 11)
    }
}
