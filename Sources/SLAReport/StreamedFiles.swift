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

/// Report files too large to hold whole (summary.json and agents.csv of a period with a million
/// agents), written as they are rendered to temporary files beside the reports and then moved
/// into the new generation by one rename each. The temporary names are the
/// output folder's `.tmp-` names, so a killed run's successor removes them.
final class StreamedFiles: @unchecked Sendable {
    /// One file being written: created exclusively, never through a link.
    typealias Sink = ExclusiveFile

    private let root: String
    /// The files asked for and how many, under one lock (sinks are asked for from the rendering
    /// threads).
    private let state = Locked(State())

    private struct State {
        var next = 0
        /// Report path (relative to the root) and its sink, in the order asked for.
        var files: [(path: String, sink: Sink)] = []
        /// A sink that could not be created (the run fails with 74).
        var createFailure: OutputError? = nil
    }

    init(root: String) { self.root = root }

    deinit { discard() }

    /// A sink for the report file `path`; nil when it cannot be created (the failure is kept
    /// and thrown by `stage`).
    func sink(for path: String) -> ByteSink? {
        state.withLock { state in
            state.next += 1
            let tmp = root + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-stream-\(state.next)"
            guard let s = Sink(path: tmp) else {
                state.createFailure = state.createFailure ?? .io(path: tmp, message: String(cString: strerror(errno)))
                return nil
            }
            state.files.append((path, s))
            return s
        }
    }

    /// Moves every file written so far into the generation under its report path (what cannot
    /// be moved is removed).
    func stage(into staging: Generations.Staging) throws {
        let (files, failed) = state.withLock { state in
            defer { state.files = [] }
            return (state.files, state.createFailure)
        }
        defer { for f in files { unlink(f.sink.path) } }
        if let failed { throw failed }
        for f in files {
            if let m = f.sink.failure { throw OutputError.io(path: f.sink.path, message: m) }
            try staging.adopt(f.path, file: f.sink.path)
        }
    }

    /// Removes the temporary files not staged.
    func discard() {
        state.withLock { state in
            for f in state.files { unlink(f.sink.path) }
            state.files = []
        }
    }
}

extension ExclusiveFile: ByteSink {}
