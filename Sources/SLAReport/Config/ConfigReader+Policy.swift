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
    static let policyKeys = ["name", "label", "when", "start", "stop", "target", "clock"]
    static let whenKeys = ["type", "priority", "channel"]

    func pendingPolicies(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [PendingPolicy] {
        guard v.type == .array, let blocks = v.array else {
            throw typeError(v, expected: "[[policy]] tables", at: path)
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
                throw error(p.key("name"), "duplicate policy name '\(name)' (also used by policy[\(earlier + 1)]\(where_))")
            }
            seen[name] = i
            result.append(pending)
        }
        return result
    }

    func policy(_ t: TOMLTable, at path: ConfigPath) throws -> PendingPolicy {
        var name: String?
        var label: String?
        var types: [TicketType]?
        var priorities: [Priority]?
        var channels: [String]?
        var start: TicketTime?
        var stop: TicketTime?
        var target: (text: String, duration: DurationParser.Duration)?
        var clock = Clock.wallClock
        for key in keys(of: t, at: path) {
            let v = t[key]!
            let p = path.key(key)
            switch key {
            case "name":
                let n = try string(v, at: p).configTrimmed()
                guard !n.isEmpty else { throw error(p, "a policy name cannot be empty") }
                name = n
            case "label": label = try nonEmptyString(v, at: p)
            case "when":
                let w = try table(v, at: p)
                for wkey in keys(of: w, at: p) {
                    let wp = p.key(wkey)
                    guard Self.whenKeys.contains(wkey) else { throw unknownKey(wkey, at: p, allowed: Self.whenKeys) }
                    let names = try filterList(w[wkey]!, at: wp)
                    switch wkey {
                    case "type":
                        types = try names.enumerated().map { i, s in
                            guard let t = Self.ticketType(s) else { throw error(wp, Self.unknownType(s), element: i) }
                            return t
                        }
                    case "priority":
                        priorities = try names.enumerated().map { i, s in
                            guard let pr = Self.priority(s) else {
                                throw error(wp, "unknown priority '\(s)' (use normal, urgent or major)", element: i)
                            }
                            return pr
                        }
                    default:
                        channels = try names.enumerated().map { i, s in
                            let c = s.configTrimmed()
                            guard !c.isEmpty else { throw error(wp, "a channel name cannot be empty", element: i) }
                            return c
                        }
                    }
                }
            case "start", "stop":
                let column = try string(v, at: p)
                guard let time = TicketTime(column: column.configTrimmed().lowercased()) else {
                    let known = TicketTime.allCases.map(\.column).joined(separator: ", ")
                    throw error(p, "'\(column)' is not a ticket timestamp column (use one of: \(known))")
                }
                if key == "start" { start = time } else { stop = time }
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
            default: throw unknownKey(key, at: path, allowed: Self.policyKeys)
            }
        }
        guard let name else { throw error(path, "missing key 'name' in this [[policy]] block") }
        guard let start else { throw error(path, "missing key 'start' in policy '\(name)' (e.g. start = \"created_at\")") }
        guard let stop else { throw error(path, "missing key 'stop' in policy '\(name)'") }
        guard let target else { throw error(path, "missing key 'target' in policy '\(name)' (e.g. target = \"24h\")") }
        guard start != stop else { throw error(path.key("stop"), "stop is the same column as start ('\(stop.column)')") }
        if target.duration.unit == .businessDays && clock != .business {
            throw error(path.key("target"), "'\(target.text)' counts business days, which needs clock = \"business\"")
        }
        let policy = Policy(
            name: name, label: label ?? name, types: types, priorities: priorities, channels: channels, start: start,
            stop: stop, targetText: target.text, targetSeconds: 0, clock: clock)
        return PendingPolicy(policy: policy, target: target.duration, targetPath: path.key("target"))
    }

    /// A `when` filter: an array of strings (a single string is read as a list of one).
    func filterList(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [String] {
        if let s = v.string { return [s] }
        let list = try stringArray(v, at: path)
        guard !list.isEmpty else { throw error(path, "an empty list matches no ticket; leave the key out to match all") }
        return list
    }

    /// Sets `targetSeconds` now that the calendar is known.
    func resolve(_ pending: PendingPolicy, calendar: CalendarConfig) throws -> Policy {
        var p = pending.policy
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
