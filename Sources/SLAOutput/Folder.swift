import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open folder inside the output folder. Everything beneath it is reached relative to its
/// descriptor, one name at a time, never through a symbolic link (`O_NOFOLLOW`,
/// `AT_SYMLINK_NOFOLLOW`): a folder swapped for a link between two steps of a run cannot make it
/// write, link or delete outside. Files are created exclusively.
final class Folder {
    let fd: Int32
    /// For messages only.
    let path: String

    /// Opens the output folder itself (the user may have made it a link).
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError.cannotCreate(path: path, message: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
    }

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// The folder `name` inside this one; a link there is refused.
    func folder(_ name: String) throws -> Folder {
        Self.checkName(name)
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard child >= 0 else {
            let e = errno
            let message =
                e == ELOOP || e == ENOTDIR
                ? (kind(name) == S_IFLNK
                    ? "is a symbolic link slareport did not create; remove it to let the run write here"
                    : "exists and is not a folder")
                : String(cString: strerror(e))
            throw OutputError.cannotCreate(path: path + "/" + name, message: message)
        }
        return Folder(fd: child, path: path + "/" + name)
    }

    /// The folder `name`, made when missing.
    func make(_ name: String) throws -> Folder {
        Self.checkName(name)
        if mkdirat(fd, name, 0o755) != 0 && errno != EEXIST {
            throw OutputError.cannotCreate(path: path + "/" + name, message: String(cString: strerror(errno)))
        }
        return try folder(name)
    }

    /// The folder at `relative` ("a/b"), each step made when `create`.
    func descend(_ relative: String, create: Bool) throws -> Folder {
        var f = self
        for part in relative.split(separator: "/") where part != "." {
            f = create ? try f.make(String(part)) : try f.folder(String(part))
        }
        return f
    }

    /// Creates the file `name` (it must not exist) with `bytes`, then `parts` appended (files
    /// copied a block at a time). Unsynced: see `syncFile`.
    func createFile(_ name: String, _ bytes: [UInt8], parts: [String] = []) throws {
        Self.checkName(name)
        let out = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        let full = path + "/" + name
        guard out >= 0 else { throw OutputError.creating(full, errno: errno) }
        do {
            try FileSink.writeAll(out, bytes, path: full)
            try FileSink.append(out, parts: parts, path: full)
        } catch {
            close(out)
            unlinkat(fd, name, 0)
            throw error
        }
        if close(out) != 0 {
            let msg = String(cString: strerror(errno))
            unlinkat(fd, name, 0)
            throw OutputError.io(path: full, message: msg)
        }
    }

    /// fsync of one file, to collect a write-back error (disk full) before publishing.
    func syncFile(_ name: String) throws {
        let f = openat(fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard f >= 0 else { throw OutputError.io(path: path + "/" + name, message: String(cString: strerror(errno))) }
        defer { close(f) }
        if fsync(f) != 0 && errno != EINVAL {
            throw OutputError.io(path: path + "/" + name, message: String(cString: strerror(errno)))
        }
    }

    func sync() { fsync(fd) }

    /// A hard link `name` here to `name` in `source`; false when the filesystem refuses.
    func hardLink(_ name: String, from source: Folder) -> Bool {
        linkat(source.fd, name, fd, name, 0) == 0
    }

    /// The file type of `name` (S_IFREG, S_IFDIR, S_IFLNK …), links not followed; nil when absent.
    func kind(_ name: String) -> mode_t? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    func entries() -> [String] {
        let dupFD = dup(fd)
        guard dupFD >= 0, let d = fdopendir(dupFD) else { return [] }
        defer { closedir(d) }
        rewinddir(d)
        var out: [String] = []
        while let e = readdir(d) {
            // Safe: readdir's entry is valid until the next readdir/closedir; d_name is copied
            // (up to its NUL, never past the array) before that.
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// A small file's bytes, or nil.
    func readAll(_ name: String) -> [UInt8]? {
        let f = openat(fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard f >= 0 else { return nil }
        defer { close(f) }
        return FileSink.readAll(f)
    }

    /// Removes `name`: a file or link by itself (a link's target is never touched), a folder
    /// with everything in it.
    func removeTree(_ name: String) {
        if unlinkat(fd, name, 0) == 0 { return }
        guard let child = try? folder(name) else { return }
        for n in child.entries() { child.removeTree(n) }
        unlinkat(fd, name, AT_REMOVEDIR)
    }

    /// Names are single path components (debug check; callers build them from fixed parts and
    /// period names).
    private static func checkName(_ name: String) {
        assert(!name.isEmpty && !name.contains("/") && name != "." && name != "..", "not a single name: \(name)")
    }
}

/// A temporary file in the output folder that a run fills as it goes (rejected rows, a streamed
/// report file): created exclusively, never through a link; the first write error is kept for the
/// owner to report (the run then fails with 74).
package class ExclusiveFile: @unchecked Sendable {
    package let path: String
    private let fd: Int32
    package private(set) var failure: String? = nil

    /// Creates the file; nil when it cannot be (errno says why).
    package init?(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return nil }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends `bytes`; after a failure, writes nothing more.
    package func write(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        do {
            try FileSink.writeAll(fd, bytes, path: path)
        } catch let OutputError.io(_, message) {
            failure = message
        } catch {
            failure = "\(error)"
        }
    }
}

/// Writing a whole buffer, or a list of files, to a descriptor (EINTR and short writes retried).
enum FileSink {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        // Safe: put reads raw.count bytes from the array's own storage, inside the closure.
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            try put(fd, base, raw.count, path: path)
        }
    }

    /// Appends each file of `parts` (absolute paths, not through a final link) to `fd`.
    static func append(_ fd: Int32, parts: [String], path: String) throws {
        if parts.isEmpty { return }
        // Safe: 1 MiB, freed on every exit; read(2) fills at most 1 MiB and put writes the n read.
        let block = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        for part in parts {
            let src = open(part, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard src >= 0 else { throw OutputError.io(path: part, message: String(cString: strerror(errno))) }
            defer { close(src) }
            while true {
                let n = read(src, block, 1 << 20)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw OutputError.io(path: part, message: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                assert(n <= 1 << 20)
                try put(fd, block, n, path: path)
            }
        }
    }

    // Safe: `p` points at `n` readable bytes; write(2) reads p + off ..< p + n with 0 <= off < n
    // (it returns at most what it was asked).
    private static func put(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int, path: String) throws {
        assert(n >= 0)
        var off = 0
        while off < n {
            let w = write(fd, p + off, n - off)
            if w < 0 {
                if errno == EINTR { continue }
                throw OutputError.io(path: path, message: String(cString: strerror(errno)))
            }
            off += w
            assert(off <= n)
        }
    }

    static func readAll(_ fd: Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            // Safe: buf holds 64 KiB (base non-nil); read(2) writes at most that many bytes.
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            assert(n <= buf.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return out }
            out.append(contentsOf: buf[0..<n])
        }
    }
}
