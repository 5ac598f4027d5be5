import SLAConfig
import SLAReport

/// The config loader under the fuzzer: any bytes, as a config file's text, must load or fail
/// with a `ConfigError` (exit 78) — never crash, hang or take time out of proportion to the
/// input. Bytes that are not UTF-8 are decoded with replacement characters first, and NUL or
/// control bytes are given to the same check `ConfigLoader.load` applies to a file.
public enum ConfigFuzzHarness {
    /// Returns a short description of the outcome (for replays).
    @discardableResult
    public static func run(_ data: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: data, as: UTF8.self)
        do {
            let config = try ConfigLoader.parse(text: text, source: "fuzz.toml")
            // The canonical text (the run's config hash) must be computable for any accepted config.
            _ = config.canonicalDescription
            return "ok: \(config.policies.count) policies, \(config.tables.count) tables"
        } catch let e as ConfigError {
            return "78: \(e)"
        } catch {
            return "other error: \(error)"
        }
    }
}
