import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive kernel lock (`flock`) on `<out>/.lock`, held for the whole run. A killed run's
/// lock goes away with its process, so it never blocks the next run.
public final class OutputLock {
    public let path: String
    private var fd: Int32

    /// Creates the output folder when missing, makes sure it is slareport's (see
    /// `OutputFolder.claim`) and takes the lock without waiting. Throws `OutputError.locked` with
    /// the holder's pid when another run has it.
    public init(folder: String) throws {
        try OutputFolder.claim(folder)
        path = folder + "/.lock"
        // O_NOFOLLOW: a symlink planted as .lock must not make us truncate its target.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd < 0 { throw OutputError.cannotCreate(path: path, message: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            var buf = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buf, 63, 0)
            close(fd)
            fd = -1
            if err == EWOULDBLOCK {
                let holder = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : "unknown pid"
                throw OutputError.locked(path: path, holder: holder)
            }
            throw OutputError.cannotCreate(path: path, message: String(cString: strerror(err)))
        }
        let note = "pid \(getpid())"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    public func release() {
        if fd >= 0 {
            _ = ftruncate(fd, 0)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
