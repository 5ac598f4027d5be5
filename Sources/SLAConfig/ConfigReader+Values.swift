import SLAIngest
import SLAModel
import TOMLKit

/// Typed access to TOML values with errors that name the key and line.
extension ConfigReader {
    /// An error at `path` (or at element `element`, 0-based, of the array there, for the line).
    func error(_ path: ConfigPath, _ message: String, element: Int? = nil) -> ConfigError {
        let linePath = element.map { path.index($0 + 1) } ?? path
        return ConfigError(file: source, line: index.line(of: linePath), key: path.rendered, message: message)
    }

    /// The keys of `table` in file order, so the first problem in the file is the one reported.
    func keys(of table: TOMLTable, at path: ConfigPath) -> [String] {
        table.keys.sorted {
            let a = index.line(of: path.key($0)) ?? Int.max
            let b = index.line(of: path.key($1)) ?? Int.max
            return a != b ? a < b : $0 < $1
        }
    }

    /// "unknown key", with the nearest allowed key or the list of them.
    func unknownKey(_ key: String, at path: ConfigPath, allowed: [String]) -> ConfigError {
        if let guess = Self.closest(to: key, in: allowed) {
            return error(path.key(key), "unknown key (did you mean '\(guess)'?)")
        }
        return error(path.key(key), "unknown key (known keys here: \(allowed.joined(separator: ", ")))")
    }

    func string(_ v: TOMLValueConvertible, at path: ConfigPath, element: Int? = nil) throws -> String {
        guard let s = v.string else { throw typeError(v, expected: "a string", at: path, element: element) }
        return s
    }

    func nonEmptyString(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> String {
        let s = try string(v, at: path)
        guard !s.configTrimmed().isEmpty else { throw error(path, "must not be empty") }
        return s
    }

    func bool(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> Bool {
        guard let b = v.bool else { throw typeError(v, expected: "true or false", at: path) }
        return b
    }

    func int(_ v: TOMLValueConvertible, at path: ConfigPath, min: Int) throws -> Int {
        guard let n = v.int else { throw typeError(v, expected: "a whole number", at: path) }
        guard n >= min else { throw error(path, "must be at least \(min), got \(n)") }
        return n
    }

    /// A float; integers are accepted too (`stall_hours = 24`).
    func number(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> Double {
        if let d = v.double {
            guard d.isFinite else { throw error(path, "must be a finite number") }
            return d
        }
        if let n = v.int { return Double(n) }
        throw typeError(v, expected: "a number", at: path)
    }

    /// A share between 0 and 1 inclusive.
    func rate(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> Double {
        let r = try number(v, at: path)
        guard r >= 0 && r <= 1 else { throw error(path, "must be a rate between 0 and 1, got \(Self.show(r))") }
        return r
    }

    func table(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> TOMLTable {
        guard v.type == .table, let t = v.table else { throw typeError(v, expected: "a table", at: path) }
        return t
    }

    func array(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [TOMLValueConvertible] {
        guard v.type == .array, let a = v.array else { throw typeError(v, expected: "an array", at: path) }
        return Array(a)
    }

    func stringArray(_ v: TOMLValueConvertible, at path: ConfigPath) throws -> [String] {
        try array(v, at: path).enumerated().map { try string($1, at: path, element: $0) }
    }

    func typeError(_ v: TOMLValueConvertible, expected: String, at path: ConfigPath, element: Int? = nil) -> ConfigError
    {
        let what = element.map { "element \($0 + 1) " } ?? ""
        return error(path, "\(what)should be \(expected), found \(Self.describe(v))", element: element)
    }

    static func describe(_ v: TOMLValueConvertible) -> String {
        switch v.type {
        case .string: return "the string \"\(v.string ?? "")\""
        case .int: return "the integer \(v.int.map(String.init) ?? "")"
        case .double: return "the number \(v.double.map { String($0) } ?? "")"
        case .bool: return v.bool == true ? "true" : "false"
        case .table: return "a table"
        case .array: return "an array"
        case .date: return "a date"
        case .time: return "a time"
        case .dateTime: return "a date-time"
        }
    }

    /// Shortest text for a number: 24 rather than 24.0.
    static func show(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// The allowed key nearest to a misspelt one (edit distance ≤ 2), for "did you mean".
    static func closest(to key: String, in allowed: [String]) -> String? {
        let k = Array(key.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in allowed {
            let d = editDistance(k, Array(candidate.unicodeScalars))
            if d <= 2 && d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

/// Canonical column names of all three tables (SPEC 2.3): the targets `[aliases]` may map to.
enum CanonicalColumns {
    static let orders = [
        "order_id", "ordered_at", "paid_at", "shipped_at", "signed_at", "customer_id", "merchant_id", "product_id",
        "category", "amount", "updated_at",
    ]
    static let logistics = ["tracking_no", "order_id", "carrier", "event", "event_at", "exception"]
    static let tickets = [
        "ticket_id", "order_id", "product_id", "merchant_id", "created_at", "channel", "agent", "type", "category",
        "priority", "first_response_at", "fault_confirmed_at", "repair_plan_at", "plan_rejected_at", "escalated_at",
        "resolved_at", "satisfaction", "surveyed_at", "responsibility", "updated_at",
    ]
    static let all: Set<String> = Set(orders + logistics + tickets)
}
