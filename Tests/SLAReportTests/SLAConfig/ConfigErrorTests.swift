import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// One bad config: the text, and the line, key and message fragment the error must carry.
struct ConfigErrorCase: Sendable, CustomTestStringConvertible {
    let toml: String
    let line: Int?
    let key: String?
    let message: String
    init(_ toml: String, line: Int?, key: String?, _ message: String) {
        self.toml = toml
        self.line = line
        self.key = key
        self.message = message
    }
    var testDescription: String { "\(key ?? "-"): \(message)" }
}

/// A valid policy block, 6 lines, for prefixing and suffixing the broken ones.
private func ok(_ name: String = "ok") -> String {
    "[[policy]]\nname = \"\(name)\"\nstart = \"created_at\"\nstop = \"first_response_at\"\ntarget = \"1h\"\nclock = \"24x7\""
}
private let okPolicy = ok()

/// `[[policy]]` with `extra` lines after name/start/stop (lines 1–4); extra begins on line 5.
private func policy(_ extra: String, name: String = "p") -> String {
    "[[policy]]\nname = \"\(name)\"\nstart = \"created_at\"\nstop = \"resolved_at\"\n" + extra
}

@Suite("Config errors") struct ConfigErrorTests {
    static let cases: [ConfigErrorCase] = [
        // Syntax (line from the TOML parser)
        .init("timezone = \"UTC\"\ntop_n = = 3", line: 2, key: nil, "TOML syntax error"),
        .init("lang = \"en\"\n\n[calendar\n", line: 3, key: nil, "TOML syntax error"),
        .init("top_n = 1\n# again\ntop_n = 2", line: 3, key: nil, "TOML syntax error"),
        // Found by the config fuzzer: TOMLKit's parser aborted the process on a non-ASCII
        // character where a key goes; it is a syntax error, refused before parsing.
        .init(
            "lang = \"zh\" # 中文\n\n[\u{FFFD}[policy]]\nname = \"p\"", line: 3, key: nil,
            "a table header must be one line starting with a key"),
        .init("label = \"\"\"多行\n说明\"\"\"\n售后 = 1", line: 3, key: nil, "non-ASCII character outside a quoted string"),
        .init(
            "lang = \"en\"\n[*tables.orders]\nfiles = []", line: 2, key: nil,
            "a table header must be one line starting with a key"),
        .init(
            "lang = \"en\"\n[\ntables.orders]\nfiles = []", line: 2, key: nil,
            "a table header must be one line starting with a key"),
        .init("[calendar]\nholidays = [\"2001\", }", line: 2, key: nil, "a value is missing"),
        .init("lang =\ntop_n = 3", line: 1, key: nil, "a value is missing"),
        .init("[[policy]]\nwhen = { type = [\"repair\"], }", line: 2, key: nil, "dangling comma"),
        .init("[[policy]]\nwhen = { , type = [\"repair\"] }", line: 2, key: nil, "a key is missing in an inline table"),
        .init("[calendar]\r\nworkdays = [\"Mon\"]\r\n[calendar]\r\n", line: 3, key: nil, "TOML syntax error"),
        // Unknown keys at every level
        .init("lang = \"en\"\ntopn = 3", line: 2, key: "topn", "unknown key (did you mean 'top_n'?)"),
        .init("colour = \"red\"", line: 1, key: "colour", "unknown key (known keys here: timezone"),
        .init(
            "[calendar]\nbusiness_hours = \"09:00-18:00\"\nweekdays = [\"Mon\"]", line: 3, key: "calendar.weekdays",
            "did you mean 'workdays'?"),
        .init(
            "[alerts]\n\nproduct_complaint = 3", line: 3, key: "alerts.product_complaint",
            "did you mean 'product_complaints'?"),
        .init(
            okPolicy + "\n" + policy("target = \"1h\"\ncolour = \"red\""), line: 12, key: "policy[2].colour",
            "unknown key"),
        .init(
            policy("target = \"1h\"\nwhen = { type = [\"repair\"], colour = [\"x\"] }"), line: 6,
            key: "policy[1].when.colour", "unknown text column 'colour' of tickets"),
        .init(
            policy("target = \"1h\"\n[policy.when]\ntype = [\"repair\"]\nchanel = [\"x\"]"), line: 8,
            key: "policy[1].when.chanel", "did you mean 'channel'?"),
        .init("calendar.opening = \"09:00\"", line: 1, key: "calendar.opening", "unknown key"),
        // Repeat window and the agents' low-score flag
        .init(
            "lang = \"en\"\nrepeat_window = \"3bd\"", line: 2, key: "repeat_window",
            "wall-clock time: use m, h or d, not bd"),
        .init("repeat_window = \"0d\"", line: 1, key: "repeat_window", "the window must be longer than zero"),
        .init("repeat_window = \"a week\"", line: 1, key: "repeat_window", "cannot read 'a week' as a duration"),
        .init("repeat_window = 7", line: 1, key: "repeat_window", "should be a string"),
        .init("[agents]\nlow_score_flag = -1", line: 2, key: "agents.low_score_flag", "must be at least 0, got -1"),
        .init(
            "[agents]\n\nlow_scores_flag = 3", line: 3, key: "agents.low_scores_flag", "did you mean 'low_score_flag'?"),
        // [breakdowns]
        .init("lang = \"en\"\n[breakdowns]\ntop_n = 0", line: 3, key: "breakdowns.top_n", "must be at least 1, got 0"),
        .init("[breakdowns]\ntopn = 5", line: 2, key: "breakdowns.topn", "did you mean 'top_n'?"),
        .init(
            "[breakdowns]\nby = [\"channel\",\n  \"shop\"]", line: 3, key: "breakdowns.by",
            "unknown breakdown 'shop' (use any of: channel, type"),
        .init("[breakdowns]\nby = \"channel\"", line: 2, key: "breakdowns.by", "should be an array"),
        .init("breakdowns = 3", line: 1, key: "breakdowns", "should be a table"),
        // Wrong types
        .init("top_n = \"3\"", line: 1, key: "top_n", "should be a whole number, found the string \"3\""),
        .init("top_n = 2.5", line: 1, key: "top_n", "should be a whole number, found the number 2.5"),
        .init("top_n = 3.0", line: 1, key: "top_n", "should be a whole number, found the number 3.0"),
        .init("csv_bom = \"yes\"", line: 1, key: "csv_bom", "should be true or false"),
        .init("max_reject_rate = \"5%\"", line: 1, key: "max_reject_rate", "should be a number"),
        .init("timezone = 8", line: 1, key: "timezone", "should be a string, found the integer 8"),
        .init("calendar = 3", line: 1, key: "calendar", "should be a table"),
        .init("complaint_types = \"return\"", line: 1, key: "complaint_types", "should be an array"),
        .init("complaint_types = [\"return\", 3]", line: 1, key: "complaint_types", "element 2 should be a string"),
        .init("[aliases]\n\"单号\" = 1", line: 2, key: "aliases.\"单号\"", "should be a string"),
        .init("policy = \"first_response\"", line: 1, key: "policy", "should be [[policy]] tables"),
        .init(policy("target = 24"), line: 5, key: "policy[1].target", "should be a string, found the integer 24"),
        // Bad values: top level
        .init("timezone = \"Mars/Olympus\"", line: 1, key: "timezone", "unknown time zone 'Mars/Olympus'"),
        .init("lang = \"fr\"", line: 1, key: "lang", "'fr' is not a report language (use \"en\" or \"zh\")"),
        .init("encoding = \"latin1\"", line: 1, key: "encoding", "'latin1' is not a supported encoding"),
        .init("max_reject_rate = -0.1", line: 1, key: "max_reject_rate", "between 0 and 1, got -0.1"),
        .init("max_reject_rate = 1.5", line: 1, key: "max_reject_rate", "between 0 and 1, got 1.5"),
        .init("max_reject_rate = 2", line: 1, key: "max_reject_rate", "between 0 and 1, got 2"),
        .init(
            "[alerts]\nmerchant_complaint_rate = 1.01", line: 2, key: "alerts.merchant_complaint_rate",
            "between 0 and 1"),
        .init(
            "[alerts]\nmerchant_complaint_rate = -1", line: 2, key: "alerts.merchant_complaint_rate", "between 0 and 1"),
        .init("[alerts]\nproduct_complaints = 0", line: 2, key: "alerts.product_complaints", "at least 1, got 0"),
        .init("[alerts]\nmerchant_min_orders = -5", line: 2, key: "alerts.merchant_min_orders", "at least 0, got -5"),
        .init("[alerts]\ncategory_spike_ratio = 0.5", line: 2, key: "alerts.category_spike_ratio", "at least 1"),
        .init("top_n = 0", line: 1, key: "top_n", "must be at least 1, got 0"),
        .init("stall_hours = 0", line: 1, key: "stall_hours", "greater than 0"),
        .init("input = \"\"", line: 1, key: "input", "must not be empty"),
        .init(
            "complaint_types = [\"return\",\n  \"grumble\"]", line: 2, key: "complaint_types",
            "unknown ticket type 'grumble'"),
        // Calendar
        .init(
            "[calendar]\nbusiness_hours = \"25:00-26:00\"", line: 2, key: "calendar.business_hours",
            "'25:00' is not a time of day"),
        .init(
            "[calendar]\nbusiness_hours = \"9-18\"", line: 2, key: "calendar.business_hours", "'9' is not a time of day"
        ),
        .init(
            "[calendar]\nbusiness_hours = \"09:00\"", line: 2, key: "calendar.business_hours",
            "cannot read '09:00' as business hours"),
        .init(
            "[calendar]\nbusiness_hours = \"22:00-02:00\"", line: 2, key: "calendar.business_hours",
            "cannot cross midnight"),
        .init(
            "[calendar]\nbusiness_hours = \"09:00-09:00\"", line: 2, key: "calendar.business_hours",
            "must end after it starts"),
        .init(
            "[calendar]\nbusiness_hours = [\"09:00-13:00\", \"12:00-18:00\"]", line: 2, key: "calendar.business_hours",
            "'12:00-18:00' overlaps '09:00-13:00'"),
        .init(
            "[calendar]\nbusiness_hours = [\n  \"13:00-18:00\",\n  \"09:00-13:30\",\n]", line: 3,
            key: "calendar.business_hours", "'13:00-18:00' overlaps '09:00-13:30'"),
        .init("[calendar]\nbusiness_hours = []", line: 2, key: "calendar.business_hours", "at least one interval"),
        .init(
            "[calendar]\r\n\r\nworkdays = [\"Mon\", \"Fun\"]\r\n", line: 3, key: "calendar.workdays",
            "unknown weekday 'Fun'"),
        .init("[calendar]\nworkdays = [\"Mon\", \"Fun\"]", line: 2, key: "calendar.workdays", "unknown weekday 'Fun'"),
        .init("[calendar]\nworkdays = []", line: 2, key: "calendar.workdays", "at least one workday"),
        .init(
            "[calendar]\nholidays = [\"2026-02-30\"]", line: 2, key: "calendar.holidays",
            "cannot read '2026-02-30' as a date"),
        .init(
            "[calendar]\nholidays = [\n  \"2026-10-01\",\n  \"2026-13-01\",\n]", line: 4, key: "calendar.holidays",
            "cannot read '2026-13-01'"),
        .init(
            "[calendar]\nextra_workdays = [\"10/10/2026\"]", line: 2, key: "calendar.extra_workdays",
            "use \"YYYY-MM-DD\""),
        .init("[calendar]\nholidays = [20261001]", line: 2, key: "calendar.holidays", "should be a date such as"),
        .init(
            "[calendar]\nholidays = [2026-10-10]\nextra_workdays = [\"2026-10-10\"]", line: 3,
            key: "calendar.extra_workdays", "2026-10-10 is also listed as a holiday"),
        // Policies
        .init(
            policy("target = \"72x\""), line: 5, key: "policy[1].target",
            "cannot read '72x' as a duration (use m, h, d or bd)"),
        .init(policy("target = \"h\""), line: 5, key: "policy[1].target", "cannot read 'h' as a duration"),
        .init(policy("target = \"72\""), line: 5, key: "policy[1].target", "cannot read '72' as a duration"),
        .init(policy("target = \"0h\""), line: 5, key: "policy[1].target", "must be longer than zero, got '0h'"),
        .init(policy("target = \"0.001m\""), line: 5, key: "policy[1].target", "shorter than one second"),
        .init(policy("target = \"999999999999999999d\""), line: 5, key: "policy[1].target", "cannot read"),
        .init(policy("target = \"-4h\""), line: 5, key: "policy[1].target", "must be longer than zero, got '-4h'"),
        .init(
            policy("target = \"3bd\""), line: 5, key: "policy[1].target",
            "'3bd' counts business days, which needs clock = \"business\""),
        .init(
            policy("target = \"3bd\"\nclock = \"24x7\""), line: 5, key: "policy[1].target", "needs clock = \"business\""
        ),
        .init(
            policy("target = \"1h\"\nclock = \"weekdays\""), line: 6, key: "policy[1].clock", "unknown clock 'weekdays'"
        ),
        .init(
            "[[policy]]\nname = \"p\"\nstart = \"closed_at\"\nstop = \"resolved_at\"\ntarget = \"1h\"", line: 3,
            key: "policy[1].start", "'closed_at' is not a timestamp column of tickets"),
        .init(
            "[[policy]]\nname = \"p\"\nstart = \"created_at\"\nstop = \"done\"\ntarget = \"1h\"", line: 4,
            key: "policy[1].stop", "'done' is not a timestamp column of tickets"),
        .init(
            "[[policy]]\nname = \"p\"\nstart = \"created_at\"\nstop = \"created_at\"\ntarget = \"1h\"", line: 4,
            key: "policy[1].stop", "same column as start"),
        .init(
            policy("target = \"1h\"\nwhen = { type = [\"repair\", \"grumble\"] }"), line: 6, key: "policy[1].when.type",
            "unknown ticket type 'grumble'"),
        .init(
            policy("target = \"1h\"\nwhen = { priority = [\"p1\"] }"), line: 6, key: "policy[1].when.priority",
            "unknown priority 'p1'"),
        .init(
            policy("target = \"1h\"\nwhen = { type = [] }"), line: 6, key: "policy[1].when.type",
            "empty list matches no row"),
        .init(
            policy("target = \"1h\"\nwhen = { agnet = [\"A1\"] }"), line: 6, key: "policy[1].when.agnet",
            "did you mean 'agent'?"),
        .init(policy("target = \"1h\"\nwhen = \"repair\""), line: 6, key: "policy[1].when", "should be a table"),
        .init(
            okPolicy + "\n\n" + okPolicy, line: 9, key: "policy[2].name",
            "duplicate policy name 'ok' (also used by policy[1] on line 2)"),
        .init(
            okPolicy + "\n" + policy("target = \"1h\"", name: " "), line: 8, key: "policy[2].name",
            "a policy name cannot be empty"),
        .init(
            okPolicy + "\n" + ok("b") + "\n\n[[policy]]\nname = \"c\"\nstart = \"created_at\"\ntarget = \"1h\"",
            line: 14, key: "policy[3]", "missing key 'stop' in policy 'c'"),
        .init(
            "[[policy]]\nstart = \"created_at\"\nstop = \"resolved_at\"\ntarget = \"1h\"", line: 1, key: "policy[1]",
            "missing key 'name'"),
        .init(
            "[[policy]]\nname = \"p\"\nstop = \"resolved_at\"\ntarget = \"1h\"", line: 1, key: "policy[1]",
            "missing key 'start'"),
        .init(policy(""), line: 1, key: "policy[1]", "missing key 'target'"),
        .init(
            "[[policy]]\nname = \"p\"\nlabel = \"\"\nstart = \"created_at\"\nstop = \"resolved_at\"\ntarget = \"1h\"",
            line: 3, key: "policy[1].label", "must not be empty"),
        // The calendar comes after the policies: a bd target still needs the business clock.
        .init(
            policy("target = \"2bd\"") + "\n[calendar]\nbusiness_hours = \"10:00-16:00\"", line: 5,
            key: "policy[1].target", "needs clock"),
        // v2 policy keys: table, due, unless, goal, and columns checked against the policy's table.
        .init(
            policy("target = \"1h\"\ndue = \"due_at\""), line: 6, key: "policy[1].due", "has both 'target' and 'due'"),
        .init(
            policy("due = \"due_at\"\nclock = \"business\""), line: 6, key: "policy[1].clock",
            "'clock' goes with 'target'"),
        .init(
            policy("table = \"logistics\"\ntarget = \"1h\""), line: 5, key: "policy[1].table",
            "not a table a policy can measure"),
        .init(policy("target = \"1h\"\ngoal = 1.5"), line: 6, key: "policy[1].goal", "between 0 and 1"),
        .init(
            "[[policy]]\nname = \"p\"\ntable = \"orders\"\nstart = \"created_at\"\nstop = \"shipped_at\"\ntarget = \"1h\"",
            line: 4, key: "policy[1].start",
            "'created_at' is not a timestamp column of orders (it is a column of tickets; set table = \"tickets\")"),
        .init(
            "[[policy]]\nname = \"p\"\ntable = \"orders\"\nstart = \"paid_at\"\nstop = \"shipped_at\"\ndue = \"due_at\"",
            line: 6, key: "policy[1].due", "'due_at' is not a timestamp column of orders"),
        .init(
            policy("target = \"1h\"\nunless = { region = [\"north\"] }"), line: 6, key: "policy[1].unless.region",
            "unknown text column 'region' of tickets"),
        .init(
            policy("target = \"1h\"\nwhen = { resolved_at = [\"x\"] }"), line: 6, key: "policy[1].when.resolved_at",
            "unknown text column 'resolved_at'"),
        .init(
            policy("target = \"1h\"\nwhen = { region = [\"north\"] }") + "\n[tables.tickets.extra]\nregion = \"int\"",
            line: 6, key: "policy[1].when.region", "unknown text column 'region'"),
        // [tables.*]
        .init("[tables.invoices]\nfiles = [\"inv*\"]", line: 1, key: "tables.invoices", "unknown table 'invoices'"),
        .init("[tables.orders]\nfiles = [\"o*\"]\ncolour = 1", line: 3, key: "tables.orders.colour", "unknown key"),
        .init(
            "[tables.orders.columns]\nordered_at = \"created\"\nticket_id = \"id\"", line: 3,
            key: "tables.orders.columns.ticket_id",
            "'ticket_id' is not a column of orders"),
        .init(
            "[tables.tickets.columns]\ncreated_at = \"Created\"\nresolved_at = \" created \"", line: 3,
            key: "tables.tickets.columns.resolved_at", "header ' created ' is already bound to 'created_at' on line 2"),
        .init(
            "[tables.tickets.extra]\nregion = \"text\"", line: 2, key: "tables.tickets.extra.region",
            "unknown type 'text'"),
        .init(
            "[tables.tickets.extra]\nagent = \"string\"", line: 2, key: "tables.tickets.extra.agent",
            "already a column of tickets"),
        .init(
            "[tables.tickets.defaults]\ntype = \"question\"", line: 2, key: "tables.tickets.defaults.type",
            "'question' is not a valid type for tickets (expected inquiry, return"),
        .init(
            "[tables.tickets.defaults]\ncreated_at = \"yesterday\"", line: 2, key: "tables.tickets.defaults.created_at",
            "expected a timestamp"),
        .init(
            "[tables.surveys.defaults]\nscore = \"6\"", line: 2, key: "tables.surveys.defaults.score",
            "expected a score 1–5"),
        .init(
            "[tables.orders.defaults]\nregion = \"x\"", line: 2, key: "tables.orders.defaults.region",
            "not a column of orders"),
        .init(
            "[tables.orders]\ndelimiter = \":\"", line: 2, key: "tables.orders.delimiter", "not a supported delimiter"),
        .init(
            "[tables.orders]\nencoding = \"latin1\"", line: 2, key: "tables.orders.encoding", "not a supported encoding"
        ),
        .init("valid_from = \"2000-13-01\"", line: 1, key: "valid_from", "cannot read '2000-13-01' as a date"),
        .init("attainment_goal = 95", line: 1, key: "attainment_goal", "between 0 and 1"),
        // Aliases
        .init(
            "[aliases]\n\"售后单号\" = \"ticket_number\"", line: 2, key: "aliases.\"售后单号\"",
            "'ticket_number' is not a column name"),
        .init(
            "[aliases]\n\"order_id\" = \"ticket_id\"", line: 2, key: "aliases.order_id",
            "'order_id' is already a column name"),
        .init(
            "[aliases]\n\"Order No\" = \"order_id\"\n\"order no \" = \"ticket_id\"", line: 3,
            key: "aliases.\"order no \"", "already mapped to 'order_id' by \"Order No\""),
        .init("[aliases]\n\" \" = \"order_id\"", line: 2, key: "aliases.\" \"", "needs a header name"),
        // Ten thousand policies made a run take minutes and gigabytes: refused at the first
        // block past the limit (6 lines each, so block 101 starts on line 601).
        .init(
            (1...10_000).map { ok("p\($0)") }.joined(separator: "\n"), line: 601, key: "policy[101]",
            "at most 100 policies, got 10000"),
    ]

    @Test(arguments: cases)
    func rejects(_ c: ConfigErrorCase) throws {
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text: c.toml, source: "test.toml") }
        #expect(error.file == "test.toml")
        #expect(error.line == c.line, "\(error)")
        #expect(error.key == c.key, "\(error)")
        #expect(error.message.contains(c.message), "\(error)")
    }

    @Test func descriptionNamesFileLineAndKey() {
        let e = ConfigError(
            file: "slareport.toml", line: 12, key: "policy[2].target",
            message: "cannot read '72x' as a duration (use m, h, d or bd)")
        #expect(
            e.description
                == "slareport.toml:12: key 'policy[2].target': cannot read '72x' as a duration (use m, h, d or bd)")
        #expect(
            ConfigError(file: "x.toml", message: "config file not found").description == "x.toml: config file not found"
        )
    }

    /// With several problems, the first in the file is reported, whatever the key order.
    @Test func firstProblemInFileOrderWins() throws {
        let text = "top_n = 0\nlang = \"fr\"\n[alerts]\nproduct_complaints = 0"
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text: text, source: "t.toml") }
        #expect(error.key == "top_n")
        for (text, key) in [
            ("top_n = 0\ncolour = 1", "top_n"), ("colour = 1\ntop_n = 0", "colour"),
            ("[calendar]\nworkdays = [\"Fun\"]\nopening = 1", "calendar.workdays"),
        ] {
            let e = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text: text, source: "t.toml") }
            #expect(e.key == key)
        }
        let text2 = "zzz = 1\naaa = 2"
        let error2 = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text: text2, source: "t.toml") }
        #expect(error2.key == "zzz" && error2.line == 1)
    }
}
