#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Report files too large to hold whole (summary.json and agents.csv of a period with a million
/// agents), written as they are rendered to temporary files beside the reports and then moved
/// into the new generation by one rename each. The temporary names are the
/// output folder's `.tmp-` names, so a killed run's successor removes them.
final class StreamedFiles: @unchecked Sendable {
    /// One file being written: created exclusively, never through a link.
    final class Sink: ByteSink, @unchecked Sendable {
        let path: String
        private let fd: Int32
        private(set) var failure: String? = nil

        init?(path: String) {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { return nil }
            self.path = path
            self.fd = fd
        }

        deinit { close(fd) }

        func write(_ bytes: [UInt8]) {
            var off = 0
            while off < bytes.count && failure == nil {
                let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                } else {
                    off += n
                }
            }
        }
    }

    private let root: String
    private let lock = NSLock()
    private var next = 0
    /// Report path (relative to the root) and its sink, in the order asked for.
    private var files: [(path: String, sink: Sink)] = []
    /// A sink that could not be created (the run fails with 74).
    private var createFailure: OutputError? = nil

    init(root: String) { self.root = root }

    deinit { discard() }

    /// A sink for the report file `path`; nil when it cannot be created (the failure is kept
    /// and thrown by `stage`).
    func sink(for path: String) -> ByteSink? {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        let tmp = root + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-stream-\(next)"
        guard let s = Sink(path: tmp) else {
            createFailure = createFailure ?? .io(path: tmp, message: String(cString: strerror(errno)))
            return nil
        }
        files.append((path, s))
        return s
    }

    /// Moves every file written so far into the generation under its report path (what cannot
    /// be moved is removed).
    func stage(into staging: Generations.Staging) throws {
        lock.lock()
        let files = self.files
        self.files = []
        let failed = createFailure
        lock.unlock()
        defer { for f in files { unlink(f.sink.path) } }
        if let failed { throw failed }
        for f in files {
            if let m = f.sink.failure { throw OutputError.io(path: f.sink.path, message: m) }
            try staging.adopt(f.path, file: f.sink.path)
        }
    }

    /// Removes the temporary files not staged.
    func discard() {
        lock.lock()
        defer { lock.unlock() }
        for f in files { unlink(f.sink.path) }
        files = []
    }
}
