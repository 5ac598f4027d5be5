import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// The tool version written into run.json and `--version`.
public enum SLAReportVersion {
    public static let current = "0.1.0"
}
