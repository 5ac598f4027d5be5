#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Publishes a set of files into an output folder so that a failed or killed run leaves the
/// previous reports as they were: every new file is first written to a `.tmp-` sibling and
/// fsynced; only when all are written are they renamed into place (with signals blocked), the
/// folders fsynced, and the `latest` symlink swapped by rename. Leftover `.tmp-` files from a
/// killed run are removed by the next run.
public struct AtomicWriter {
    public let root: String
    static let tmpPrefix = ".tmp-"

    public init(root: String) { self.root = root }

    /// mkdir -p; throws `cannotCreate`.
    public static func makeFolder(_ path: String) throws {
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) != S_IFDIR {
                throw OutputError.cannotCreate(path: path, message: "exists and is not a folder")
            }
            return
        }
        let parent = (path as String).parentPath
        if !parent.isEmpty && parent != path { try makeFolder(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw OutputError.cannotCreate(path: path, message: String(cString: strerror(errno)))
        }
    }

    /// Removes `.tmp-*` leftovers of killed runs in the root and its week folders.
    public func cleanLeftovers() {
        for dir in [root] + subfolders() {
            for name in entries(dir) where name.hasPrefix(AtomicWriter.tmpPrefix) {
                let p = dir + "/" + name
                if unlink(p) != 0 { removeTree(p) }
            }
        }
    }

    /// Writes all files (paths relative to root), then renames them into place, then points
    /// `latest` at `latestTarget` (a week folder name) when given.
    public func publish(_ files: [(path: String, bytes: [UInt8])], latestTarget: String?) throws {
        var staged: [(tmp: String, final: String)] = []
        let tag = "\(getpid())"
        do {
            for f in files {
                let final = root + "/" + f.path
                let dir = final.parentPath
                try AtomicWriter.makeFolder(dir)
                let tmp = dir + "/" + AtomicWriter.tmpPrefix + tag + "-" + final.lastPathComponent
                staged.append((tmp, final))
                try writeUnsynced(tmp, f.bytes)
            }
            // One syncfs for all staged files instead of an fsync per file (hundreds of weeks'
            // files took over a second to fsync one by one); then each file is closed and
            // checked once more with fsync, which is now cheap, so a failed write-back (disk
            // full on a delayed-allocation filesystem) still surfaces before anything is renamed.
            try syncAll(staged.map(\.tmp))
        } catch {
            for s in staged { unlink(s.tmp) }
            throw error
        }
        // The point of no return: block SIGINT/SIGTERM so the renames are not cut short.
        var all = sigset_t()
        var old = sigset_t()
        sigemptyset(&all)
        sigaddset(&all, SIGINT)
        sigaddset(&all, SIGTERM)
        sigaddset(&all, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &all, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        var dirs = Set<String>()
        for s in staged {
            if rename(s.tmp, s.final) != 0 {
                let e = String(cString: strerror(errno))
                for r in staged { unlink(r.tmp) }
                throw OutputError.io(path: s.final, message: e)
            }
            dirs.insert(s.final.parentPath)
        }
        if let target = latestTarget {
            let tmp = root + "/" + AtomicWriter.tmpPrefix + tag + "-latest"
            unlink(tmp)
            if symlink(target, tmp) != 0 || rename(tmp, root + "/latest") != 0 {
                let e = String(cString: strerror(errno))
                unlink(tmp)
                throw OutputError.io(path: root + "/latest", message: e)
            }
            dirs.insert(root)
        }
        for d in dirs.sorted() { syncFolder(d) }
        syncFolder(root.parentPath)
    }

    /// Flushes the staged files to disk: syncfs on the output filesystem, then an fsync per file
    /// to collect any write-back error.
    func syncAll(_ paths: [String]) throws {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if rootFD >= 0 {
            _ = c_syncfs(rootFD)
            close(rootFD)
        }
        for p in paths {
            let fd = open(p, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw OutputError.io(path: p, message: String(cString: strerror(errno))) }
            if fsync(fd) != 0 && errno != EINVAL {
                let msg = String(cString: strerror(errno))
                close(fd)
                throw OutputError.io(path: p, message: msg)
            }
            close(fd)
        }
    }

    /// Writes a file completely (no sync; see `syncAll`).
    func writeUnsynced(_ path: String, _ bytes: [UInt8]) throws {
        try writeFile(path, bytes, sync: false)
    }

    func writeSynced(_ path: String, _ bytes: [UInt8]) throws {
        try writeFile(path, bytes, sync: true)
    }

    private func writeFile(_ path: String, _ bytes: [UInt8], sync: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            let e = errno
            let msg = String(cString: strerror(e))
            if e == ENOSPC || e == EIO || e == EDQUOT { throw OutputError.io(path: path, message: msg) }
            throw OutputError.cannotCreate(path: path, message: msg)
        }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                let msg = String(cString: strerror(errno))
                close(fd)
                unlink(path)
                throw OutputError.io(path: path, message: msg)
            }
            off += n
        }
        if sync && fsync(fd) != 0 && errno != EINVAL {
            let msg = String(cString: strerror(errno))
            close(fd)
            unlink(path)
            throw OutputError.io(path: path, message: msg)
        }
        if close(fd) != 0 {
            let msg = String(cString: strerror(errno))
            unlink(path)
            throw OutputError.io(path: path, message: msg)
        }
    }

    func syncFolder(_ path: String) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    func subfolders() -> [String] {
        entries(root).compactMap { name in
            let p = root + "/" + name
            var st = stat()
            guard lstat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
            return p
        }
    }

    func entries(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    func removeTree(_ p: String) {
        for n in entries(p) {
            let c = p + "/" + n
            if unlink(c) != 0 { removeTree(c) }
        }
        rmdir(p)
    }
}

extension String {
    var parentPath: String {
        guard let i = lastIndex(of: "/") else { return "." }
        if i == startIndex { return "/" }
        return String(self[..<i])
    }
    var lastPathComponent: String {
        guard let i = lastIndex(of: "/") else { return self }
        return String(self[index(after: i)...])
    }
}

/// syncfs(2): Glibc's module map does not export it (it needs _GNU_SOURCE).
@_silgen_name("syncfs")
func c_syncfs(_ fd: Int32) -> Int32
