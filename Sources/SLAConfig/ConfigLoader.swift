import Foundation
import SLAIngest
import SLAModel
import TOMLKit

/// Finds, reads and checks `slareport.toml` (SPEC 4).
///
/// Every problem is a `ConfigError` naming the file, the 1-based line and the key; the first one
/// in file order is reported. Keys left out keep the values of `Config.defaults`; `[[policy]]`
/// tables, when present, replace the default policy list.
public enum ConfigLoader {
    /// The file looked for in the working directory when no `--config` is given.
    public static let fileName = "slareport.toml"

    /// Lookup order: `explicitPath` (`--config FILE`; relative paths are taken from
    /// `workingDirectory`; a missing file is an error), else `slareport.toml` in
    /// `workingDirectory` when present, else `Config.defaults` with source "built-in".
    public static func load(explicitPath: String?, workingDirectory: String) throws -> Config {
        if let path = explicitPath {
            return try parse(text: readText(resolve(path, in: workingDirectory), shownAs: path), source: path)
        }
        let local = resolve(fileName, in: workingDirectory)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), !isDirectory.boolValue {
            return try parse(text: readText(local, shownAs: fileName), source: fileName)
        }
        return Config.defaults
    }

    /// Parses and checks a config document; `source` names it in errors and becomes `Config.source`.
    public static func parse(text: String, source: String) throws -> Config {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // A NUL or other control byte would silently end the file for the TOML parser (the keys
        // after it ignored), or stop it on an assertion: refuse it with its line.
        var line = 1
        for b in body.utf8 {
            if b == 0x0A {
                line += 1
                continue
            }
            if (b < 0x20 && b != 0x09 && b != 0x0D) || b == 0x7F {
                throw ConfigError(
                    file: source, line: line,
                    message: "control byte 0x\(String(b, radix: 16, uppercase: true)) in the config file (not text)")
            }
        }
        if let problem = TOMLPrecheck.check(body) {
            throw ConfigError(file: source, line: problem.line, message: "TOML syntax error: " + problem.message)
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: body)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw ConfigError(
                file: source, line: line > 0 ? line : nil, message: "TOML syntax error: \(error.description)")
        }
        let reader = ConfigReader(source: source, index: TOMLLineIndex(text: body))
        var config = try reader.read(root)
        config.source = source
        return config
    }

    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    static func readText(_ path: String, shownAs shown: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: shown, message: "config file not found")
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(file: shown, message: "is a directory, not a config file")
        }
        // Read as a stream, so /dev/stdin and process substitution work as well as a file.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError(file: shown, message: "cannot open the config file: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch {
            throw ConfigError(file: shown, message: "cannot read the config file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: shown, message: "the config file is not UTF-8 text")
        }
        return text
    }
}

/// Walks a parsed document and builds a `Config`, checking every key and value on the way.
struct ConfigReader {
    let source: String
    let index: TOMLLineIndex

    static let topKeys = [
        "timezone", "lang", "input", "out", "max_reject_rate", "encoding", "csv_bom", "top_n", "complaint_types",
        "stall_hours", "calendar", "alerts", "aliases", "policy", "delimiter", "attainment_goal", "tables",
        "valid_from", "periods",
        "export_items", "repeat_window", "agents",
        "breakdowns",
    ]
    static let agentKeys = ["low_score_flag"]
    static let alertKeys = [
        "product_complaints", "product_rate_ratio", "merchant_rate_ratio", "merchant_complaint_rate",
        "merchant_min_orders", "category_spike_ratio", "category_spike_min",
    ]

    func read(_ root: TOMLTable) throws -> Config {
        var config = Config()
        var policies: [PendingPolicy]?
        var policiesPath: ConfigPath?
        let top = ConfigPath()
        for key in keys(of: root, at: top) {
            let value = root[key]!
            let path = top.key(key)
            switch key {
            case "timezone":
                let name = try string(value, at: path)
                guard ZoneRules(identifier: name) != nil else {
                    throw error(
                        path, "unknown time zone '\(name)' (use an IANA name such as \"Asia/Shanghai\" or \"UTC\")")
                }
                config.timezone = name
            case "lang":
                let text = try string(value, at: path)
                guard let lang = ReportLanguage(rawValue: text.lowercased()) else {
                    throw error(path, "'\(text)' is not a report language (use \"en\" or \"zh\")")
                }
                config.lang = lang
            case "input": config.input = try nonEmptyString(value, at: path)
            case "out": config.out = try nonEmptyString(value, at: path)
            case "max_reject_rate": config.maxRejectRate = try rate(value, at: path)
            case "encoding": config.encoding = try encoding(value, at: path)
            case "delimiter": config.delimiter = try delimiter(value, at: path)
            case "attainment_goal": config.attainmentGoal = try rate(value, at: path)
            case "periods":
                var kinds: [PeriodKind] = []
                for (i, name) in try stringArray(value, at: path).enumerated() {
                    guard let k = PeriodKind(rawValue: name.configTrimmed().lowercased()) else {
                        throw error(path, "unknown period '\(name)' (use \"week\" and/or \"month\")", element: i)
                    }
                    if !kinds.contains(k) { kinds.append(k) }
                }
                guard !kinds.isEmpty else { throw error(path, "name at least one period (\"week\", \"month\")") }
                config.periods = PeriodKind.allCases.filter(kinds.contains)
            case "valid_from":
                let text = try string(value, at: path)
                guard let day = CivilDate.parse(text.configTrimmed()) else {
                    throw error(path, "cannot read '\(text)' as a date (use YYYY-MM-DD)")
                }
                config.validFrom = day
            case "tables": config.tables = try tables(try table(value, at: path), at: path, lines: &config.keyLines)
            case "csv_bom": config.csvBOM = try bool(value, at: path)
            case "export_items": config.exportItems = try bool(value, at: path)
            case "top_n": config.topN = try int(value, at: path, min: 1)
            case "complaint_types":
                var types: [TicketType] = []
                for (i, name) in try stringArray(value, at: path).enumerated() {
                    guard let t = Self.ticketType(name) else { throw error(path, Self.unknownType(name), element: i) }
                    if !types.contains(t) { types.append(t) }
                }
                config.complaintTypes = types
            case "stall_hours":
                let hours = try number(value, at: path)
                guard hours > 0 else { throw error(path, "must be greater than 0, got \(Self.show(hours))") }
                config.stallHours = hours
            case "repeat_window":
                let text = try string(value, at: path)
                switch DurationParser.parse(text) {
                case .success(let d) where d.unit != .businessDays:
                    guard let seconds = d.seconds(businessDaySeconds: 0), seconds > 0 else {
                        throw error(path, "the window must be at least one second, got '\(text)'")
                    }
                    config.repeatWindowSeconds = seconds
                    config.repeatWindowText = text.configTrimmed()
                case .success:
                    throw error(path, "the repeat window is wall-clock time: use m, h or d, not bd (got '\(text)')")
                case .failure(.notPositive): throw error(path, "the window must be longer than zero, got '\(text)'")
                case .failure(.unreadable):
                    throw error(path, "cannot read '\(text)' as a duration (use m, h or d, e.g. \"7d\")")
                }
            case "agents":
                let t = try table(value, at: path)
                for key in keys(of: t, at: path) {
                    let p = path.key(key)
                    switch key {
                    case "low_score_flag": config.agentLowScoreFlag = try int(t[key]!, at: p, min: 0)
                    default: throw unknownKey(key, at: path, allowed: Self.agentKeys)
                    }
                }
            case "breakdowns": config.breakdowns = try breakdowns(try table(value, at: path), at: path)
            case "calendar": config.calendar = try calendar(try table(value, at: path), at: path)
            case "alerts": config.alerts = try alerts(try table(value, at: path), at: path)
            case "aliases": config.aliases = try aliases(try table(value, at: path), at: path)
            case "policy":
                policies = try pendingPolicies(value, at: path)
                policiesPath = path
            default: throw unknownKey(key, at: top, allowed: Self.topKeys)
            }
        }
        // Business days are known only once the whole file is read (the calendar may come last).
        let pending = policies ?? Config.defaultPolicies.map(PendingPolicy.init(builtIn:))
        config.policies = try pending.map { try resolve($0, calendar: config.calendar) }
        // Policy columns are checked once `[tables.*]` (which may come later) declared its extras.
        if let at = policiesPath {
            for (i, p) in config.policies.enumerated() {
                config.policies[i] = try checkColumns(p, tables: config.tables, at: at.index(i + 1))
            }
        }
        return config
    }

    func alerts(_ t: TOMLTable, at path: ConfigPath) throws -> AlertConfig {
        var a = AlertConfig()
        for key in keys(of: t, at: path) {
            let v = t[key]!
            let p = path.key(key)
            switch key {
            case "product_complaints": a.productComplaints = try int(v, at: p, min: 1)
            case "merchant_complaint_rate": a.merchantComplaintRate = try rate(v, at: p)
            case "product_rate_ratio", "merchant_rate_ratio":
                let ratio = try number(v, at: p)
                guard ratio >= 0 else { throw error(p, "must be 0 or more, got \(Self.show(ratio))") }
                if key == "product_rate_ratio" { a.productRateRatio = ratio } else { a.merchantRateRatio = ratio }
            case "merchant_min_orders": a.merchantMinOrders = try int(v, at: p, min: 0)
            case "category_spike_ratio":
                let ratio = try number(v, at: p)
                guard ratio >= 1 else {
                    throw error(p, "must be at least 1 (a spike is a rise), got \(Self.show(ratio))")
                }
                a.categorySpikeRatio = ratio
            case "category_spike_min": a.categorySpikeMin = try int(v, at: p, min: 0)
            default: throw unknownKey(key, at: path, allowed: Self.alertKeys)
            }
        }
        return a
    }

    static let breakdownKeys = ["top_n", "by"]

    func breakdowns(_ t: TOMLTable, at path: ConfigPath) throws -> BreakdownConfig {
        var b = BreakdownConfig()
        for key in keys(of: t, at: path) {
            let v = t[key]!
            let p = path.key(key)
            switch key {
            case "top_n": b.topN = try int(v, at: p, min: 1)
            case "by":
                var dims: [BreakdownDimension] = []
                for (i, name) in try stringArray(v, at: p).enumerated() {
                    guard let d = BreakdownDimension(rawValue: name.configTrimmed().lowercased()) else {
                        let known = BreakdownDimension.allCases.map(\.rawValue).joined(separator: ", ")
                        throw error(p, "unknown breakdown '\(name)' (use any of: \(known))", element: i)
                    }
                    if !dims.contains(d) { dims.append(d) }
                }
                b.by = dims
            default: throw unknownKey(key, at: path, allowed: Self.breakdownKeys)
            }
        }
        return b
    }

    func aliases(_ t: TOMLTable, at path: ConfigPath) throws -> [String: String] {
        var result: [String: String] = [:]
        var firstSpelling: [String: String] = [:]
        for key in keys(of: t, at: path) {
            let p = path.key(key)
            let header = Self.normalise(key)
            guard !header.isEmpty else { throw error(p, "an alias needs a header name") }
            let target = Self.normalise(try string(t[key]!, at: p))
            guard CanonicalColumns.all.contains(target) else {
                throw error(
                    p,
                    "'\(target)' is not a column name (use one of: \(CanonicalColumns.all.sorted().joined(separator: ", ")))"
                )
            }
            if CanonicalColumns.all.contains(header) && header != target {
                throw error(p, "'\(header)' is already a column name and cannot stand for '\(target)'")
            }
            if let earlier = result[header], earlier != target {
                throw error(p, "header '\(header)' is already mapped to '\(earlier)' by \"\(firstSpelling[header]!)\"")
            }
            result[header] = target
            firstSpelling[header] = firstSpelling[header] ?? key
        }
        return result
    }

    static func normalise(_ header: String) -> String { header.configTrimmed().lowercased() }
}
