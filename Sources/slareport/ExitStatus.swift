import ArgumentParser
import SLAConfig
import SLAModel
import SLAOutput
import SLAReport

#if canImport(Glibc)
    import Glibc
#endif

/// Turns library errors into one stderr line and a sysexits code (SPEC 7). The only place
/// that knows exit codes.
enum ExitStatus {
    static let ok: Int32 = 0
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let cannotCreate: Int32 = 73
    static let ioError: Int32 = 74
    static let tempFail: Int32 = 75
    static let config: Int32 = 78

    static func code(for error: Error) -> Int32 {
        switch error {
        case let e as IngestError:
            switch e {
            case .inputMissing, .noInput, .noInputFound: return noInput
            case .unreadable: return noInput
            case .corruptGzip, .unsupportedEncoding, .badHeader, .tooManyRejects: return dataError
            case .changedDuringRead: return tempFail
            case .notRegularFile: return noInput
            }
        case let e as OutputError:
            switch e {
            case .cannotCreate, .inTheWay: return cannotCreate
            case .io: return ioError
            case .locked: return tempFail
            }
        case is ConfigError: return config
        case let e as RunError:
            switch e {
            case .emptyRange: return usage
            case .overRejectRate: return dataError
            }
        default: return 70
        }
    }

    /// Prints "slareport: <message>" on stderr and exits with the error's code.
    static func fail(_ error: Error) -> Never {
        printError("slareport: \(error)")
        exit(code(for: error))
    }

    static func printError(_ line: String) {
        var s = line
        if !s.hasSuffix("\n") { s += "\n" }
        writeStderr(s)
    }
}

/// Progress on a terminal only (stderr), never under cron or --quiet.
struct Progress {
    let enabled: Bool
    init(quiet: Bool) { enabled = !quiet && isatty(2) == 1 }
    func say(_ s: String) { if enabled { writeStderr(s + "\n") } }
}

/// Writes to file descriptor 2 directly (the C `stderr` global is not concurrency-safe in Swift 6).
func writeStderr(_ s: String) {
    var s = s
    s.withUTF8 { p in
        var off = 0
        while off < p.count {
            let n = write(2, p.baseAddress! + off, p.count - off)
            if n <= 0 { return }
            off += n
        }
    }
}
