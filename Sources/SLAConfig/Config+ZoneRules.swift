import SLAModel

extension Config {
    /// The rules of `timezone`; throws the config error `run`, `merge` and `map` report for a
    /// zone the system does not know.
    public func zoneRules() throws -> ZoneRules {
        guard let zone = ZoneRules(identifier: timezone) else {
            throw ConfigError(file: source, line: nil, key: "timezone", message: "unknown time zone '\(timezone)'")
        }
        return zone
    }
}
