import SLAFast
import SLAMetrics
import SLAModel

/// Status marks for report.md, where colour does not survive chat or mail: the same two in both
/// languages. report.html colours the cell instead (emoji fonts are not on every machine that
/// prints it).
enum StatusMark {
    static let ok = "✅"
    static let bad = "❌"

    /// The mark for a share against its goal; "" when there is no share.
    static func of(_ share: Double?, goal: Double) -> String {
        guard let share else { return "" }
        return share >= goal ? ok : bad
    }
}
