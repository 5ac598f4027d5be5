import Foundation

/// A JSON value decoded without loss of kind (JSONSerialization turns `true` into 1 on some
/// platforms), for the schema check.
indirect enum JSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSON].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSON].self))
        }
    }

    static func parse(_ data: Data) throws -> JSON { try JSONDecoder().decode(JSON.self, from: data) }
    static func parse(_ text: String) throws -> JSON { try parse(Data(text.utf8)) }

    subscript(_ key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

/// The part of JSON Schema 2020-12 that docs/summary.schema.json uses: boolean schemas, `type`
/// (a name or a list), `const`, `enum`, `properties`, `required`, `additionalProperties`,
/// `propertyNames`, `items`, `minItems`, `maxItems`, `minimum`, `maximum`, `minLength`, `pattern`,
/// `if`/`then`/`else`
/// and `$ref` to `#/$defs/…`. Annotations (`description`, `title`, `$id`, …) are ignored; any
/// other keyword is reported, so the schema cannot silently use one this does not check.
struct SchemaValidator {
    let root: JSON
    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    static let checked: Set<String> = [
        "type", "const", "enum", "properties", "required", "additionalProperties", "propertyNames", "items", "minimum",
        "maximum", "minLength", "pattern", "if", "then", "else", "$ref", "minItems", "maxItems",
    ]

    /// Problems of `value`, each as "JSON pointer: what is wrong"; empty when it is valid.
    func errors(_ value: JSON) -> [String] {
        var out: [String] = []
        check(value, root, at: "", into: &out)
        return out
    }

    private func check(_ v: JSON, _ schema: JSON, at path: String, into out: inout [String]) {
        if case .bool(let ok) = schema {
            if !ok { out.append("\(path): not allowed here") }
            return
        }
        guard case .object(let s) = schema else { return out.append("\(path): schema is not an object") }
        for k in s.keys where !Self.checked.contains(k) && !Self.annotations.contains(k) {
            out.append("\(path): schema keyword '\(k)' is not supported by this validator")
        }
        if case .string(let ref)? = s["$ref"] {
            let prefix = "#/$defs/"
            if ref.hasPrefix(prefix), let target = root["$defs"]?[String(ref.dropFirst(prefix.count))] {
                check(v, target, at: path, into: &out)
            } else {
                out.append("\(path): unresolved $ref \(ref)")
            }
        }
        if let t = s["type"] {
            let names: [String]
            switch t {
            case .string(let n): names = [n]
            case .array(let a): names = a.compactMap { if case .string(let n) = $0 { return n } else { return nil } }
            default: names = []
            }
            if !names.contains(where: { Self.isType(v, $0) }) {
                out.append("\(path): \(Self.kind(v)) is not \(names.joined(separator: " or "))")
            }
        }
        if let c = s["const"], c != v { out.append("\(path): must be \(c)") }
        if case .array(let options)? = s["enum"], !options.contains(v) {
            out.append("\(path): \(v) is not one of \(options)")
        }
        if case .number(let x) = v {
            if case .number(let m)? = s["minimum"], x < m { out.append("\(path): \(x) < minimum \(m)") }
            if case .number(let m)? = s["maximum"], x > m { out.append("\(path): \(x) > maximum \(m)") }
        }
        if case .string(let text) = v {
            if case .number(let m)? = s["minLength"], Double(text.count) < m {
                out.append("\(path): shorter than \(Int(m))")
            }
            if case .string(let p)? = s["pattern"], text.range(of: p, options: .regularExpression) == nil {
                out.append("\(path): '\(text)' does not match \(p)")
            }
        }
        if case .object(let members) = v {
            if case .array(let req)? = s["required"] {
                for case .string(let k) in req where members[k] == nil {
                    out.append("\(path): missing required '\(k)'")
                }
            }
            let props: [String: JSON]
            if case .object(let p)? = s["properties"] { props = p } else { props = [:] }
            for (k, m) in members.sorted(by: { $0.key < $1.key }) {
                let at = path + "/" + k
                if let ps = props[k] {
                    check(m, ps, at: at, into: &out)
                } else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) {
                        out.append("\(path): unexpected property '\(k)'")
                    } else {
                        check(m, extra, at: at, into: &out)
                    }
                }
                if let names = s["propertyNames"] { check(.string(k), names, at: at + " (name)", into: &out) }
            }
        }
        if case .array(let elements) = v {
            if let item = s["items"] {
                for (i, e) in elements.enumerated() { check(e, item, at: path + "/\(i)", into: &out) }
            }
            if case .number(let m)? = s["minItems"], Double(elements.count) < m {
                out.append("\(path): fewer than \(Int(m)) items")
            }
            if case .number(let m)? = s["maxItems"], Double(elements.count) > m {
                out.append("\(path): more than \(Int(m)) items")
            }
        }
        if let cond = s["if"] {
            var probe: [String] = []
            check(v, cond, at: path, into: &probe)
            if let branch = probe.isEmpty ? s["then"] : s["else"] { check(v, branch, at: path, into: &out) }
        }
    }

    static func isType(_ v: JSON, _ name: String) -> Bool {
        switch (v, name) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"),
            (.number, "number"):
            return true
        case (.number(let x), "integer"): return x == x.rounded()
        default: return false
        }
    }

    static func kind(_ v: JSON) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let x): return x == x.rounded() ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
