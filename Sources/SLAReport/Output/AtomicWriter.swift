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
///
/// The renames of a set are many system calls, and blocking SIGINT/SIGTERM does not stop
/// SIGKILL, a crash or a power cut between two of them. So before the first rename a journal,
/// `.publish-<pid>` in the root, lists every rename of the set (written under a `.tmp-` name,
/// synced, then renamed into place, so it exists only complete). The next run, holding the lock,
/// finishes any journal it finds (`recover()`: the staged files are all synced, so rolling
/// forward is always possible) before removing `.tmp-` leftovers. A set is thus either the
/// previous one (killed before the journal) or the new one (killed after it): never a mix once
/// the next run has started.
public struct AtomicWriter {
    public let root: String
    static let tmpPrefix = ".tmp-"
    /// This process's part of every temporary name: pid and a random number, so a name cannot be
    /// guessed (and a link planted there in advance); files are created exclusively, never
    /// through a link.
    static let tag: String = "\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    static let journalPrefix = ".publish-"

    public init(root: String) { self.root = root }

    /// The temporary name of an input file's spilled rejects (see `RejectSpill`).
    static func spillName(_ file: InputFile) -> String {
        tmpPrefix + tag + "-rejects-\(file.table.rawValue)-\(file.rank).csv"
    }

    /// The output folders of this process (set by `OutputFolder.claim`): a symbolic link found
    /// inside one where a folder goes is refused; the folders themselves and their parents may be
    /// links the user made.
    nonisolated(unsafe) static var outputRoots: Set<String> = []

    /// mkdir -p; throws `cannotCreate`. A symbolic link where a folder goes is refused (a week
    /// folder replaced by a link must not make the run write where the link points); the
    /// output folder itself may be a link the user made (`OutputFolder.claim` checks it).
    public static func makeFolder(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK {
                if outputRoots.contains(where: { path.hasPrefix($0 + "/") }) {
                    throw OutputError.cannotCreate(
                        path: path, message: "is a symbolic link slareport did not create; remove it to let the run write here")
                }
                guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw OutputError.cannotCreate(path: path, message: "is a symbolic link, not a folder")
                }
                return
            }
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

    /// Finishes the publish journals of killed runs (`recover()`), then removes `.tmp-*`
    /// leftovers in the root and its week folders. Call it with the output lock held.
    /// Throws `OutputError.io` when a journal cannot be finished (its staged files are kept).
    public func cleanLeftovers() throws {
        try recover()
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
        let renames = try stage(files, latestTarget: latestTarget)
        try publishStaged(renames)
    }

    /// A publish fed in parts: `add` writes files under their temporary names as they are
    /// rendered (so a run need not hold every file's bytes at once), `publish` syncs them and
    /// renames the whole set into place as `AtomicWriter.publish` does. Until `publish`, nothing
    /// visible changes; `abandon` (or a failed `add`) removes what was staged.
    public final class Staging {
        let writer: AtomicWriter
        private var staged: [Rename] = []
        private var done = false

        public init(_ writer: AtomicWriter) { self.writer = writer }

        /// Stages files (paths relative to the root); on failure removes everything staged.
        public func add(_ files: [(path: String, bytes: [UInt8])]) throws {
            do {
                staged += try writer.writeStaged(files)
            } catch {
                abandon()
                throw error
            }
        }

        /// Stages a file made of `head` and then the contents of `parts` (absolute paths), copied
        /// a block at a time (rejects.csv from the files' spills, never whole in memory).
        public func addConcatenated(_ path: String, head: [UInt8], parts: [String]) throws {
            do {
                staged.append(try writer.writeConcatenated(path, head: head, parts: parts))
            } catch {
                abandon()
                throw error
            }
        }

        /// Syncs what was staged, adds `latest`, and renames the set into place.
        public func publish(latestTarget: String?) throws {
            do {
                try writer.syncAll(staged.map { writer.root + "/" + $0.tmp })
                if let target = latestTarget { staged.append(try writer.stageLatest(target)) }
            } catch {
                abandon()
                throw error
            }
            done = true
            try writer.publishStaged(staged)
        }

        public func abandon() {
            if done { return }
            for s in staged { unlink(writer.root + "/" + s.tmp) }
            staged = []
        }

        deinit { abandon() }
    }

    /// Renames staged files into place under a journal, with the termination signals blocked.
    func publishStaged(_ renames: [Rename]) throws {
        // The point of no return: block SIGINT/SIGTERM so the journal and the renames are not
        // cut short (a signal then ends the run once the new set is complete).
        var all = sigset_t()
        var old = sigset_t()
        sigemptyset(&all)
        sigaddset(&all, SIGINT)
        sigaddset(&all, SIGTERM)
        sigaddset(&all, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &all, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        // A single rename is atomic by itself; a set of them needs the journal.
        let journal = renames.count > 1 ? try writeJournal(renames) : nil
        try commit(renames, journal: journal)
    }

    /// One rename of a publish: both paths relative to the root.
    typealias Rename = (tmp: String, final: String)

    /// Writes every file under its `.tmp-<pid>-` name and syncs them, then makes the `latest`
    /// symlink the same way; on failure removes what it wrote and throws.
    func stage(_ files: [(path: String, bytes: [UInt8])], latestTarget: String?) throws -> [Rename] {
        var staged: [Rename] = []
        do {
            staged = try writeStaged(files)
            // One syncfs for all staged files instead of an fsync per file (hundreds of weeks'
            // files took over a second to fsync one by one); then each file is closed and
            // checked once more with fsync, which is now cheap, so a failed write-back (disk
            // full on a delayed-allocation filesystem) still surfaces before anything is renamed.
            try syncAll(staged.map { root + "/" + $0.tmp })
            if let target = latestTarget { staged.append(try stageLatest(target)) }
        } catch {
            for s in staged { unlink(root + "/" + s.tmp) }
            throw error
        }
        return staged
    }

    /// Writes files under their `.tmp-<pid>-` names (unsynced); on failure removes those it wrote.
    func writeStaged(_ files: [(path: String, bytes: [UInt8])]) throws -> [Rename] {
        var staged: [Rename] = []
        do {
            for f in files {
                let tmp = try stagedName(f.path)
                staged.append((tmp, f.path))
                try writeUnsynced(root + "/" + tmp, f.bytes)
            }
        } catch {
            for s in staged { unlink(root + "/" + s.tmp) }
            throw error
        }
        return staged
    }

    /// The temporary name a file is staged under (beside its final place, relative to the root),
    /// after making its folder.
    func stagedName(_ path: String) throws -> String {
        try AtomicWriter.makeFolder((root + "/" + path).parentPath)
        let dir = path.contains("/") ? path.parentPath + "/" : ""
        return dir + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-" + path.lastPathComponent
    }

    /// `writeStaged` for one file assembled from `head` and the bytes of `parts`.
    func writeConcatenated(_ path: String, head: [UInt8], parts: [String]) throws -> Rename {
        let tmp = try stagedName(path)
        let out = root + "/" + tmp
        let fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw OutputError.io(path: out, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        func put(_ p: UnsafeRawPointer, _ n: Int) throws {
            var off = 0
            while off < n {
                let w = write(fd, p + off, n - off)
                if w < 0 {
                    if errno == EINTR { continue }
                    let e = String(cString: strerror(errno))
                    unlink(out)
                    throw OutputError.io(path: out, message: e)
                }
                off += w
            }
        }
        try head.withUnsafeBytes { try put($0.baseAddress!, $0.count) }
        let block = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        for part in parts {
            let src = open(part, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard src >= 0 else {
                unlink(out)
                throw OutputError.io(path: part, message: String(cString: strerror(errno)))
            }
            defer { close(src) }
            while true {
                let n = read(src, block, 1 << 20)
                if n < 0 {
                    if errno == EINTR { continue }
                    unlink(out)
                    throw OutputError.io(path: part, message: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                try put(block, n)
            }
        }
        return (tmp, path)
    }

    /// The `latest` symlink under its temporary name.
    func stageLatest(_ target: String) throws -> Rename {
        let tmp = AtomicWriter.tmpPrefix + AtomicWriter.tag + "-latest"
        if symlink(target, root + "/" + tmp) != 0 {
            throw OutputError.io(path: root + "/latest", message: String(cString: strerror(errno)))
        }
        return (tmp, "latest")
    }

    /// Writes the journal of `renames` (one `tmp<TAB>final` line each), complete and synced,
    /// and returns its path.
    func writeJournal(_ renames: [Rename]) throws -> String {
        var text = ""
        for r in renames { text += r.tmp + "\t" + r.final + "\n" }
        let name = AtomicWriter.journalPrefix + AtomicWriter.tag
        let tmp = root + "/" + AtomicWriter.tmpPrefix + name
        let path = root + "/" + name
        do {
            try writeSynced(tmp, Array(text.utf8))
        } catch {
            for r in renames { unlink(root + "/" + r.tmp) }
            throw error
        }
        if rename(tmp, path) != 0 {
            let e = String(cString: strerror(errno))
            unlink(tmp)
            for r in renames { unlink(root + "/" + r.tmp) }
            throw OutputError.io(path: path, message: e)
        }
        syncFolder(root)
        return path
    }

    /// Renames every staged file into place (rolling forward past a failure), syncs the
    /// folders, then removes the journal. A rename that fails leaves the journal for the next
    /// run to finish, and throws.
    func commit(_ renames: [Rename], journal: String?) throws {
        var dirs = Set<String>()
        var failure: OutputError? = nil
        for r in renames {
            let final = root + "/" + r.final
            if rename(root + "/" + r.tmp, final) != 0 && errno != ENOENT {
                // ENOENT: already renamed (a journal being finished a second time).
                if failure == nil { failure = .io(path: final, message: String(cString: strerror(errno))) }
                continue
            }
            dirs.insert(final.parentPath)
        }
        for d in dirs.sorted() { syncFolder(d) }
        syncFolder(root.parentPath)
        if let failure {
            if journal == nil { for r in renames { unlink(root + "/" + r.tmp) } }
            throw failure
        }
        if let journal {
            unlink(journal)
            syncFolder(root)
        }
    }

    /// Finishes the publishes that killed runs left half done: every `.publish-*` journal in the
    /// root is replayed (renames whose staged file is gone were done already) and removed.
    /// Returns the number of journals finished.
    @discardableResult
    public func recover() throws -> Int {
        var finished = 0
        for name in entries(root).sorted() where name.hasPrefix(AtomicWriter.journalPrefix) {
            let path = root + "/" + name
            guard let data = readAll(path) else { continue }
            var renames: [Rename] = []
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                      !parts[0].contains(".."), !parts[1].contains("..") else { continue }
                renames.append((String(parts[0]), String(parts[1])))
            }
            try commit(renames, journal: path)
            finished += 1
        }
        return finished
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
        // Exclusive and not through a link: temporary names are new (see `tag`); a journal's
        // temporary name is removed first by its writer only.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
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

    /// A small file's bytes, or nil when it cannot be read.
    func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return out }
            out.append(contentsOf: buf[0..<n])
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
