#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input file's rejected rows, written as rows of `rejects.csv` to a file beside the reports
/// as they are found, so a file with millions of bad rows costs disk, not memory. The run then
/// builds `rejects.csv` by concatenating the spills in the file's order (see `RejectPart`).
final class RejectSpill: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private var buffer = CSVWriter(bom: false, capacity: 1 << 16)
    private(set) var failure: String? = nil

    /// Creates the spill file; nil when it cannot be created.
    init?(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    func append(_ r: Reject) {
        CSVReports.rejectRow(r, into: &buffer)
        if buffer.bytes.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered; a write error is kept in `failure` (the run fails with 74).
    func flush() {
        let bytes = buffer.bytes
        buffer = CSVWriter(bom: false, capacity: 1 << 16)
        var off = 0
        while off < bytes.count && failure == nil {
            let n = bytes[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
            } else {
                off += n
            }
        }
    }
}

/// Where the rejected rows of one input file are: its table and path (the order of
/// `rejects.csv`) and its spill file.
public struct RejectPart: Sendable {
    public var table: Table
    public var file: String
    public var spill: String
}
