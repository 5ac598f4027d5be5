import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Failures while publishing reports. The CLI maps them to sysexits codes.
public enum OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output folder cannot be created or written (exit 73).
    case cannotCreate(path: String, message: String)
    /// An I/O error while writing, e.g. disk full (exit 74).
    case io(path: String, message: String)
    /// Another run holds the lock (exit 75).
    case locked(path: String, holder: String)
    /// Something slareport did not make holds a name the reports need (exit 73); found before
    /// anything changed.
    case inTheWay(path: String, what: String)

    /// A file that could not be created: a full or failing disk is an I/O error (74), anything
    /// else (permissions, a name in the way) a creation error (73).
    static func creating(_ path: String, errno e: Int32) -> OutputError {
        let msg = String(cString: strerror(e))
        return e == ENOSPC || e == EIO || e == EDQUOT
            ? .io(path: path, message: msg) : .cannotCreate(path: path, message: msg)
    }

    public var description: String {
        switch self {
        case .cannotCreate(let p, let m): return "\(p): cannot create output: \(m)"
        case .io(let p, let m): return "\(p): write failed: \(m)"
        case .locked(let p, let h): return "another run holds \(p) (\(h)); try again later"
        case .inTheWay(let p, let w):
            return
                "\(p): \(w) is where the reports need their own entry; nothing was changed. Move it away and run again"
        }
    }
}
