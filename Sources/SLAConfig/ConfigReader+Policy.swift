import SLAIngest
import SLAModel
import TOMLKit

/// A policy as read, before its target is turned into seconds: a `bd` target needs the calendar,
/// which may come later in the file.
struct PendingPolicy {
    var policy: Policy
    var target: DurationParser.Duration
    /// Where `target` was written; nil for the built-in policies.
    var targetPath: ConfigPath?

    init(policy: Policy, target: DurationParser.Duration, targetPath: ConfigPath?) {
        self.policy = policy
        self.target = target
        self.targetPath = targetPath
    }

    /// A default policy, re-timed against the loaded calendar (its `3bd` follows the file's hours).
    init(builtIn p: Policy) {
        guard case .success(let d) = DurationParser.parse(p.targetText) else {
            preconditionFailure("built-in policy \(p.name) has an unreadable target \(p.targetText)")
        }
        self.init(policy: p, target: d, targetPath: nil)
    }
}

/// `[[policy]]` blocks (SPEC 4).
extension ConfigReader {
    static let policyKeys = [
        "name", "label", "table", "when", "unless", "start", "stop", "target", "due", "clock", "goal",
    ]
    /// Every policy is a column of weeks.csv and agents.csv and a row of every page and agent
    /// entry: a handbook has a dozen promises, and ten thousand of them made a run take minutes
    /// and gigabytes for reports nobody can read.
    static let maxPolicies = 100

    func pendingPolicies(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [PendingPolicy] {
        guard v.type == .array, let blocks = v.array else {
            throw typeError(v, expected: "[[policy]] tables", at: path)
        }
        if blocks.count > Self.maxPolicies {
            throw error(path.index(Self.maxPolicies + 1), "at most \(Self.maxPolicies) policies, got \(blocks.count)")
        }
        var result: [PendingPolicy] = []
        var seen: [String: Int] = [:]
        for (i, block) in blocks.enumerated() {
            let p = path.index(i + 1)
            guard block.type == .table, let t = block.table else {
                throw typeError(block, expected: "a table", at: p)
            }
            let pending = try policy(t, at: p)
            let name = pending.policy.name
            if let earlier = seen[name] {
                let where_ = index.line(of: path.index(earlier + 1).key("name")).map { " on line \($0)" } ?? ""
                throw error(
                    p.key("name"), "duplicate policy name '\(name)' (also used by policy[\(earlier + 1)]\(where_))")
            }
            seen[name] = i
            result.append(pending)
        }
        return result
    }

    func policy(_ t: TOMLTable, at path: ConfigPath) throws -> PendingPolicy {
        var name: String?
        var label: String?
        var table = Table.tickets
        var when: [ColumnFilter] = []
        var unless: [ColumnFilter] = []
        var start: String?
        var stop: String?
        var due: String?
        var target: (text: String, duration: DurationParser.Duration)?
        var clock: Clock?
        var goal: Double?
        for key in keys(of: t, at: path) {
            let v = t[key]!
            let p = path.key(key)
            switch key {
            case "name":
                let n = try string(v, at: p).configTrimmed()
                guard !n.isEmpty else { throw error(p, "a policy name cannot be empty") }
                name = n
            case "label": label = try nonEmptyString(v, at: p)
            case "table":
                let text = try string(v, at: p).configTrimmed().lowercased()
                guard let tb = Table(rawValue: text), tb != .logistics else {
                    throw error(p, "'\(text)' is not a table a policy can measure (use tickets, orders or surveys)")
                }
                table = tb
            case "when", "unless":
                let w = try self.table(v, at: p)
                var filters: [ColumnFilter] = []
                for column in keys(of: w, at: p) {
                    let values = try filterList(w[column]!, at: p.key(column))
                    filters.append(ColumnFilter(column: column.configTrimmed().lowercased(), values: values))
                }
                if key == "when" { when = filters } else { unless = filters }
            case "start", "stop", "due":
                let column = try nonEmptyString(v, at: p).configTrimmed().lowercased()
                if key == "start" { start = column } else if key == "stop" { stop = column } else { due = column }
            case "target":
                let text = try string(v, at: p)
                switch DurationParser.parse(text) {
                case .success(let d): target = (text.configTrimmed(), d)
                case .failure(.notPositive): throw error(p, "the target must be longer than zero, got '\(text)'")
                case .failure(.unreadable): throw error(p, "cannot read '\(text)' as a duration (use m, h, d or bd)")
                }
            case "clock":
                let text = try string(v, at: p)
                guard let c = Clock(rawValue: text.configTrimmed().lowercased()) else {
                    throw error(p, "unknown clock '\(text)' (use \"24x7\" or \"business\")")
                }
                clock = c
            case "goal": goal = try rate(v, at: p)
            default: throw unknownKey(key, at: path, allowed: Self.policyKeys)
            }
        }
        guard let name else { throw error(path, "missing key 'name' in this [[policy]] block") }
        guard let start else {
            throw error(path, "missing key 'start' in policy '\(name)' (e.g. start = \"created_at\")")
        }
        guard let stop else { throw error(path, "missing key 'stop' in policy '\(name)'") }
        if target != nil && due != nil {
            throw error(path.key("due"), "policy '\(name)' has both 'target' and 'due'; give one of them")
        }
        if target == nil && due == nil {
            throw error(
                path,
                "missing key 'target' or 'due' in policy '\(name)' (e.g. target = \"24h\", or due = \"promised_delivery_at\")"
            )
        }
        if due != nil && clock != nil {
            throw error(
                path.key("clock"), "'clock' goes with 'target'; a due policy is measured against its deadline column")
        }
        guard start != stop else { throw error(path.key("stop"), "stop is the same column as start ('\(stop)')") }
        if let target, target.duration.unit == .businessDays && clock != .business {
            throw error(path.key("target"), "'\(target.text)' counts business days, which needs clock = \"business\"")
        }
        let policy = Policy(
            name: name, label: label ?? name, table: table, when: when, unless: unless, start: start, stop: stop,
            due: due, targetText: target?.text ?? "", targetSeconds: 0, clock: clock ?? .wallClock, goal: goal)
        return PendingPolicy(
            policy: policy, target: target?.duration ?? DurationParser.Duration(mantissa: 0, scale: 0, unit: .hours),
            targetPath: path.key("target"))
    }

    /// Checks that a policy's columns belong to its table: start, stop and due are timestamp
    /// columns (canonical or extra), filters name text columns and known enum values (which
    /// are stored by their English names).
    func checkColumns(_ p: Policy, tables: [Table: TableConfig], at path: ConfigPath) throws -> Policy {
        let specs = HeaderMap.columns(of: p.table)
        let extras = tables[p.table]?.extras ?? []
        let timestamps =
            specs.filter { $0.kind == .timestamp }.map(\.name) + extras.filter { $0.type == .timestamp }.map(\.name)
        let texts = specs.filter(\.isText).map(\.name) + extras.filter { $0.type == .string }.map(\.name)
        func otherTable(_ column: String) -> String {
            let others = [Table.tickets, .orders, .surveys].filter {
                $0 != p.table && HeaderMap.columns(of: $0).contains { $0.name == column }
            }
            return others.isEmpty
                ? ""
                : " (it is a column of \(others.map(\.rawValue).joined(separator: ", ")); set table = \"\(others[0].rawValue)\")"
        }
        for (key, column) in [("start", p.start), ("stop", p.stop)] + (p.due.map { [("due", $0)] } ?? [])
        where !timestamps.contains(column) {
            throw error(
                path.key(key),
                "'\(column)' is not a timestamp column of \(p.table.rawValue)\(otherTable(column)) (use one of: \(timestamps.joined(separator: ", ")))"
            )
        }
        var out = p
        for (key, filters) in [("when", p.when), ("unless", p.unless)] {
            var checked: [ColumnFilter] = []
            for f in filters {
                let fp = path.key(key).key(f.column)
                guard texts.contains(f.column) else {
                    if let guess = Self.closest(to: f.column, in: texts) {
                        throw error(
                            fp, "unknown text column '\(f.column)' of \(p.table.rawValue) (did you mean '\(guess)'?)")
                    }
                    throw error(
                        fp,
                        "unknown text column '\(f.column)' of \(p.table.rawValue)\(otherTable(f.column)) (use one of: \(texts.joined(separator: ", ")))"
                    )
                }
                var values = f.values.map { $0.configTrimmed() }
                if let parse = MeasuredColumns.enumValues(p.table, f.column) {
                    values = try values.enumerated().map { i, v in
                        if v.isEmpty { return v }
                        guard let raw = parse(v.lowercased()) else {
                            if f.column == "type" { throw error(fp, Self.unknownType(v), element: i) }
                            throw error(fp, "unknown \(f.column) '\(v)'", element: i)
                        }
                        return Self.enumName(f.column, raw)
                    }
                }
                checked.append(ColumnFilter(column: f.column, values: values))
            }
            checked.sort { $0.column < $1.column }
            if key == "when" { out.when = checked } else { out.unless = checked }
        }
        return out
    }

    static func enumName(_ column: String, _ raw: UInt8) -> String {
        switch column {
        case "type": return TicketType(rawValue: raw)?.name ?? ""
        case "priority": return Priority(rawValue: raw)?.name ?? ""
        default: return Responsibility(rawValue: raw)?.name ?? ""
        }
    }

    /// A `when` filter: an array of strings (a single string is read as a list of one).
    func filterList(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [String] {
        if let s = v.string { return [s] }
        let list = try stringArray(v, at: path)
        guard !list.isEmpty else { throw error(path, "an empty list matches no row; leave the key out to match all") }
        return list
    }

    /// Sets `targetSeconds` now that the calendar is known.
    func resolve(_ pending: PendingPolicy, calendar: CalendarConfig) throws -> Policy {
        var p = pending.policy
        if p.due != nil { return p }
        let at = pending.targetPath ?? ConfigPath(["policy"])
        guard let seconds = pending.target.seconds(businessDaySeconds: calendar.businessDaySeconds) else {
            throw error(at, "the target '\(p.targetText)' is too long")
        }
        guard seconds > 0 else { throw error(at, "the target '\(p.targetText)' is shorter than one second") }
        p.targetSeconds = seconds
        return p
    }

    /// "repair", "REPAIR", "维修" → `.repair`.
    static func ticketType(_ s: String) -> TicketType? {
        let t = s.configTrimmed().lowercased()
        return TicketType.allCases.first { $0.name == t || $0.chinese.contains(t) }
    }

    static func unknownType(_ s: String) -> String {
        "unknown ticket type '\(s)' (use \(TicketType.allCases.map(\.name).joined(separator: ", ")))"
    }

    static func priority(_ s: String) -> Priority? {
        let t = s.configTrimmed().lowercased()
        return Priority.allCases.first { $0.name == t || $0.chinese.contains(t) }
    }
}
