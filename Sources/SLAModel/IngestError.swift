import SLAFast

/// File-level failures. Each keeps the path; the CLI maps them to exit codes.
public enum IngestError: Error, Sendable, Equatable {
    /// A named file or folder does not exist (exit 66).
    case inputMissing(path: String)
    /// No input file at all (exit 66).
    case noInput
    /// Cannot be read (permissions, I/O) (exit 66 for missing, 74 otherwise).
    case unreadable(path: String, message: String)
    /// gzip stream truncated / CRC / length / header error / trailing garbage (exit 65).
    case corruptGzip(path: String, offset: Int, message: String)
    /// UTF-16/32 or a forced encoding that does not decode (exit 65).
    case unsupportedEncoding(path: String, message: String)
    /// Header problems: missing required column, two columns mapping to one, empty file (exit 65).
    case badHeader(path: String, line: Int, message: String)
    /// No input file found: the folders scanned, the name patterns looked for, and the first
    /// files that were ignored (exit 66).
    case noInputFound(folders: [String], patterns: [String], ignored: [String])
    /// More rejects than max_reject_rate allows (exit 65, reports still written).
    case tooManyRejects(table: Table, rejected: Int, read: Int, limit: Double)
    /// A folder scan skipped a file that is not a regular file (a warning; name it explicitly to
    /// read it as a stream).
    case notRegularFile(path: String)
    /// The file changed (size or mtime) while it was being read (exit 75: try again later).
    case changedDuringRead(path: String)
}

extension IngestError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .inputMissing(let p): return "\(p): no such file or folder"
        case .noInput: return "no input files found"
        case .unreadable(let p, let m): return "\(p): cannot read: \(m)"
        case .corruptGzip(let p, let o, let m): return "\(p): corrupt gzip at byte offset \(o): \(m)"
        case .unsupportedEncoding(let p, let m): return "\(p): \(m)"
        case .badHeader(let p, let l, let m): return "\(p):\(l): bad header: \(m)"
        case .noInputFound(let folders, let patterns, let ignored):
            var s =
                "no input files found in \(folders.joined(separator: ", ")); looked for \(patterns.joined(separator: ", "))"
            s += ignored.isEmpty ? " (the folder holds no files)" : "; ignored: \(ignored.joined(separator: ", "))"
            return s
        case .tooManyRejects(let t, let r, let n, let lim):
            return "\(t.rawValue): \(r) of \(n) rows rejected, over max_reject_rate \(lim)"
        case .notRegularFile(let p):
            return
                "\(p): not a regular file (a FIFO or device?); skipped by the folder scan (name it with --orders/--tickets/… to read it as a stream)"
        case .changedDuringRead(let p):
            return "\(p): input changed while it was being read (still being written?); try again later"
        }
    }
}
