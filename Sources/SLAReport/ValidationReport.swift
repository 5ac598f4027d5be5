import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// The data-quality summary `slareport validate` prints (SPEC 7), as text. Pure: the CLI prints it.
public enum ValidationReport {
    public static func text(_ inputs: LoadedInputs) -> String {
        var out = ""
        for t in inputs.tables where t.files > 0 {
            let files = inputs.files.filter { $0.table == t.table }
            let encodings = Set(files.map(\.encoding)).sorted().joined(separator: ", ")
            let gz = files.filter(\.gzip).count
            out += "\(t.table.rawValue): \(t.files) file\(t.files == 1 ? "" : "s")"
            out += gz > 0 ? " (\(gz) gzip)" : ""
            out += ", encoding \(encodings)\n"
            out += "  rows read          \(t.rowsRead)\n"
            out += "  accepted           \(t.accepted)\n"
            out += "  rejected           \(t.rejected)"
            if t.rowsRead > 0 && t.rejected > 0 {
                out += " (" + percent(Double(t.rejected) / Double(t.rowsRead)) + ")"
            }
            out += "\n"
            for kind in RejectKind.allCases {
                if let n = t.rejectedByKind[kind], n > 0 { out += "    \(kind.rawValue.padded(18)) \(n)\n" }
            }
            out += "  duplicates merged  \(t.duplicatesMerged)\n"
            out += "  unique             \(t.unique)\n"
            let amounts = files.reduce(0) { $0 + $1.invalidAmounts }
            if amounts > 0 { out += "  invalid amounts    \(amounts) (kept as missing)\n" }
            for f in files {
                out +=
                    "  - \(f.path): \(f.rowsRead) rows, \(f.rejected) rejected, \(f.encoding)\(f.gzip ? ", gzip" : "")\n"
            }
        }
        for w in inputs.warnings { out += "warning: \(w)\n" }
        return out
    }

    static func percent(_ x: Double) -> String {
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

extension String {
    func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
