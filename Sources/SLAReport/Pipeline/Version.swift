/// The tool version written into run.json and `--version`.
public enum SLAReportVersion {
    public static let current = "0.1.0"
}
