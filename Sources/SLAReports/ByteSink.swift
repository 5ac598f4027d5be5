import SLAFast
import SLAMetrics
import SLAModel

/// Where the bytes of a file too large to hold whole go as they are made (the run gives a file
/// beside the reports; see `ReportSet.folders`). Renderers never open files themselves.
public protocol ByteSink: AnyObject, Sendable {
    /// Appends bytes; a failure is kept by the sink for its owner to report.
    func write(_ bytes: [UInt8])
}
