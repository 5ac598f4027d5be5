import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-level tools of publishing, used by `Generations`: exclusive creation of files that
/// are never reached through a link, syncing, folder creation that refuses links planted inside
/// the output folder, and the replay of a previous version's publish journal.
public struct AtomicWriter {
    public let root: String
    package static let tmpPrefix = ".tmp-"
    /// This process's part of every temporary name: pid and a random number, so a name cannot be
    /// guessed (and a link planted there in advance); files are created exclusively, never
    /// through a link.
    package static let tag: String = "\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The publish journal of slareport 2.0's rename-based publishing (see `recover()`).
    static let journalPrefix = ".publish-"

    public init(root: String) { self.root = root }

    /// The output folders of this process (set by `OutputFolder.claim`): a symbolic link found
    /// inside one where a folder goes is refused; the folders themselves and their parents may be
    /// links the user made. Locked: tests and library users may claim folders from several
    /// threads.
    static let outputRoots = Locked<Set<String>>([])

    /// mkdir -p; throws `cannotCreate`. A symbolic link where a folder goes is refused (a week
    /// folder replaced by a link must not make the run write where the link points); the
    /// output folder itself may be a link the user made (`OutputFolder.claim` checks it).
    public static func makeFolder(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK {
                if outputRoots.withLock({ $0.contains(where: { path.hasPrefix($0 + "/") }) }) {
                    throw OutputError.cannotCreate(
                        path: path,
                        message: "is a symbolic link slareport did not create; remove it to let the run write here")
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

    /// Replaces one file (`name` in `root`, which need not be an output folder) by rename from a
    /// synced temporary sibling: `slareport init` writing the config.
    public func replaceFile(_ name: String, _ bytes: [UInt8]) throws {
        let tmp = root + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-" + name
        try writeSynced(tmp, bytes)
        if rename(tmp, root + "/" + name) != 0 {
            let e = String(cString: strerror(errno))
            unlink(tmp)
            throw OutputError.io(path: root + "/" + name, message: e)
        }
        syncFolder(root)
    }

    /// Finishes the publishes that a killed slareport 2.0 run left half done: every `.publish-*`
    /// journal in the root lists renames of staged files into place; they are replayed (a rename
    /// whose staged file is gone was done already) and the journal removed, so an output folder
    /// from that version is whole before `Generations` moves it to its layout. Returns the number
    /// of journals finished.
    @discardableResult
    public func recover() throws -> Int {
        var finished = 0
        for name in entries(root).sorted() where name.hasPrefix(AtomicWriter.journalPrefix) {
            let path = root + "/" + name
            guard let data = readAll(path) else { continue }
            var dirs = Set<String>()
            var failure: OutputError? = nil
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                    !parts[0].contains(".."), !parts[1].contains("..")
                else { continue }
                let final = root + "/" + parts[1]
                if rename(root + "/" + parts[0], final) != 0 && errno != ENOENT {
                    if failure == nil { failure = .io(path: final, message: String(cString: strerror(errno))) }
                    continue
                }
                dirs.insert(final.parentPath)
            }
            for d in dirs.sorted() { syncFolder(d) }
            if let failure { throw failure }
            unlink(path)
            syncFolder(root)
            finished += 1
        }
        return finished
    }

    /// Creates `path` (it must not exist; not through a link) with `bytes`, synced.
    func writeSynced(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd < 0 { throw OutputError.creating(path, errno: errno) }
        do {
            try FileSink.writeAll(fd, bytes, path: path)
            if fsync(fd) != 0 && errno != EINVAL {
                throw OutputError.io(path: path, message: String(cString: strerror(errno)))
            }
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        if close(fd) != 0 {
            let msg = String(cString: strerror(errno))
            unlink(path)
            throw OutputError.io(path: path, message: msg)
        }
    }

    /// A small file's bytes, or nil when it cannot be read.
    func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 { return nil }
        defer { close(fd) }
        return FileSink.readAll(fd)
    }

    func syncFolder(_ path: String) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    func entries(_ dir: String) -> [String] {
        (try? Folder(path: dir))?.entries() ?? []
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
