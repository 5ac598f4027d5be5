import SLAIngest
import SLAModel

/// Policy targets (SPEC 4): a positive number and a unit — `m` minutes, `h` hours, `d` 24 hours,
/// `bd` business days. "72h", "30m", "1.5h", "3bd", "72 h".
///
/// The arithmetic is exact (decimal digits scaled in integers, no floating point), so "0.1h" is
/// exactly 360 s on every platform.
public enum DurationParser {
    public enum Unit: String, Sendable, Equatable {
        case minutes = "m", hours = "h", days = "d", businessDays = "bd"

        /// Seconds per unit; business days depend on the calendar and have none.
        var seconds: Int64? {
            switch self {
            case .minutes: return 60
            case .hours: return 3600
            case .days: return 86_400
            case .businessDays: return nil
            }
        }
    }

    /// A parsed target: `value = mantissa / 10^scale` units.
    public struct Duration: Sendable, Equatable {
        public var mantissa: Int64
        public var scale: Int
        public var unit: Unit

        /// Seconds, given the length of one business day in seconds; nil on overflow.
        public func seconds(businessDaySeconds: Int64) -> Int64? {
            let perUnit = unit.seconds ?? businessDaySeconds
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: perUnit)
            if overflow { return nil }
            var divisor: Int64 = 1
            for _ in 0..<scale { divisor *= 10 }
            // Round half up to whole seconds ("0.0001h" = 0.36 s → 0, rejected by the caller).
            return (product + divisor / 2) / divisor
        }
    }

    public enum Failure: Error, Equatable {
        /// Not of the form number + unit.
        case unreadable
        /// Zero or negative.
        case notPositive
    }

    public static func parse(_ text: String) -> Result<Duration, Failure> {
        var s = Substring(text.configTrimmed())
        if s.hasPrefix("-") || s.hasPrefix("+") {
            // A sign is readable but never allowed: say so rather than "cannot read".
            let rest = s.dropFirst()
            if case .success = parse(String(rest)) { return .failure(s.hasPrefix("-") ? .notPositive : .unreadable) }
            return .failure(.unreadable)
        }
        let unitText = s.reversed().prefix(while: { $0.isLetter }).reversed()
        guard let unit = Unit(rawValue: String(unitText).lowercased()) else { return .failure(.unreadable) }
        s = s.dropLast(unitText.count)
        let number = s.configTrimmed()
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else {
            return .failure(.unreadable)
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (!fraction.isEmpty && fraction.allSatisfy(\.isASCIIDigit)), fraction.count <= 9,
            whole.count <= 12, let mantissa = Int64(whole + fraction)
        else { return .failure(.unreadable) }
        guard mantissa > 0 else { return .failure(.notPositive) }
        return .success(Duration(mantissa: mantissa, scale: fraction.count, unit: unit))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
