import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input file's rejected rows, written as rows of `rejects.csv` to a file beside the reports
/// as they are found, so a file with millions of bad rows costs disk, not memory. The run then
/// builds `rejects.csv` by concatenating the spills in the file's order (see `RejectPart`).
final class RejectSpill: @unchecked Sendable {
    private let file: ExclusiveFile
    private var buffer = CSVWriter(bom: false, capacity: 1 << 16)
    var path: String { file.path }
    /// The first write error (the run fails with 74).
    var failure: String? { file.failure }

    /// Creates the spill file; nil when it cannot be created.
    init?(path: String) {
        guard let f = ExclusiveFile(path: path) else { return nil }
        file = f
    }

    func append(_ r: Reject) {
        CSVReports.rejectRow(r, into: &buffer)
        if buffer.bytes.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered; a write error is kept in `failure` (the run fails with 74).
    func flush() {
        file.write(buffer.drain())
    }
}

extension AtomicWriter {
    /// The temporary name of an input file's spilled rejects (see `RejectSpill`).
    package static func spillName(_ file: InputFile) -> String {
        tmpPrefix + tag + "-rejects-\(file.table.rawValue)-\(file.rank).csv"
    }
}
