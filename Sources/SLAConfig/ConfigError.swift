import SLAIngest
import SLAModel

/// A problem with the configuration file: where it is (file, 1-based line, key path) and what is
/// wrong. The CLI turns it into one line on stderr and exit code 78 (EX_CONFIG).
///
/// Key paths name tables and array elements the way a reader finds them in the file:
/// `calendar.business_hours`, `policy[2].when.type` (the second `[[policy]]` block; indices are
/// 1-based), `aliases."售后单号"` (keys that are not bare TOML keys are quoted).
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// The file as the user named it ("slareport.toml", "conf/prod.toml"), or "built-in".
    public var file: String
    /// 1-based line of the offending key or value; nil when the problem is the whole file.
    public var line: Int?
    /// Key path of the offending setting; nil for file-level problems (missing file, syntax).
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `slareport.toml:12: key 'policy[2].target': cannot read '72x' as a duration (use m, h, d or bd)`
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let key { s += "key '\(key)': " }
        return s + message
    }
}
