import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How an output folder is published so that a reader sees one complete set of reports at every
/// instant — also right after a kill -9 or a power cut, with no later run needed to repair it.
///
/// Every run writes a whole new tree, a *generation*, under `.gen/<n>/`, where no reader looks.
/// The published set is the generation that the symbolic link `.current` names; a run publishes
/// by replacing `.current` with one `rename(2)`, which is atomic. The paths readers use stay those
/// of a plain folder: each top-level entry (`index.html`, `2026-W47`, `latest`, …) is a link
/// `X -> .current/X`, made before the switch, so all of them change together.
///
///     reports/
///       .current -> .gen/42
///       .gen/41/…            the previous set, kept one run for readers still in it
///       .gen/42/index.html   weeks.csv  2026-W47/report.html  latest -> 2026-W47 …
///       index.html -> .current/index.html
///       2026-W47   -> .current/2026-W47
///       latest     -> .current/latest
///
/// A run that writes only some periods (`--from/--to`) carries the other period folders over
/// from the current generation as hard links (no copy, no extra space). An output folder of an
/// earlier version (plain files and folders) is moved to this layout by the first run.
///
/// A top-level name the new generation needs that is held by something slareport did not make
/// (a folder where a file goes, a file where a folder goes) fails the run before anything
/// changes, naming it; nothing that a run leaves behind can block the next one.
public struct Generations {
    public let root: String
    let writer: AtomicWriter
    static let genFolder = ".gen"
    static let currentLink = ".current"
    static let failedPrefix = ".failed-"
    /// Where a run over the reject rate leaves its diagnosis (a link to a `.failed-` folder).
    public static let failedRun = "failed-run"
    /// Present while an earlier version's layout is being moved over (see `switchTo`).
    static let migrating = ".gen/.migrating"

    /// Called after each step of a publish that a reader could observe (tests take a snapshot
    /// of the folder there: every one is a state a kill -9 can leave).
    // Safe: a test hook, set and cleared by a test around the publish it watches; the library
    // only reads it (nil in the tool).
    nonisolated(unsafe) static var stepHook: ((String) -> Void)? = nil

    public init(root: String) {
        self.root = root
        writer = AtomicWriter(root: root)
    }

    // MARK: - The current generation

    /// The number of the published generation, when `.current` is a link slareport made to a
    /// generation folder (`.gen/<n>`, a real folder).
    public func current() -> Int? {
        guard let target = readLink(root + "/" + Self.currentLink), target.hasPrefix(Self.genFolder + "/"),
            let n = Int(target.dropFirst(Self.genFolder.count + 1)), n >= 0, isRealFolder(genPath(n))
        else { return nil }
        return n
    }

    func genPath(_ n: Int) -> String { root + "/" + Self.genFolder + "/" + String(n) }

    /// The numbers of every generation folder present.
    func generations() -> [Int] {
        writer.entries(root + "/" + Self.genFolder).compactMap { Int($0) }.sorted()
    }

    /// The folder readers see: the current generation, or the root itself for a folder of an
    /// earlier version (or an empty one).
    public func publishedFolder() -> String {
        current().map(genPath) ?? root
    }

    /// The week `latest` points at in the published set.
    public func latestWeek() -> String? {
        readLink(publishedFolder() + "/latest")
    }

    /// The week and month folders of the published set that are complete (hold a summary.json):
    /// a run carries them into its generation, and the index keeps linking them.
    public func publishedPeriods() -> Set<String> {
        Set(writer.entries(publishedFolder()).filter { Self.isPeriodName($0) && hasPublishedPeriod($0) })
    }

    /// Whether the published set holds the folder of period `name` complete.
    public func hasPublishedPeriod(_ name: String) -> Bool {
        var st = stat()
        return stat(publishedFolder() + "/" + name + "/summary.json", &st) == 0
    }

    // MARK: - Before a run

    /// Makes the folder whole and tidy, with the output lock held: finishes a journal a killed
    /// run of slareport 2.0 left, removes temporary files, generations newer than the current
    /// one (a killed run's unfinished tree), links to entries the current generation lacks, and
    /// failed-run diagnoses no longer linked. Throws `OutputError.io` when a journal cannot be
    /// finished.
    public func cleanLeftovers() throws {
        try writer.recover()
        let top = try Folder(path: root)
        for name in top.entries() {
            if name.hasPrefix(AtomicWriter.tmpPrefix) {
                top.removeTree(name)
            } else if Self.isPeriodName(name), top.kind(name) == S_IFDIR, let sub = try? top.folder(name) {
                // An earlier version staged files beside their final names.
                for n in sub.entries() where n.hasPrefix(AtomicWriter.tmpPrefix) { sub.removeTree(n) }
            }
        }
        let cur = current()
        if let gens = try? top.folder(Self.genFolder) {
            for n in generations() where cur == nil || n > cur! { gens.removeTree(String(n)) }
        }
        if let cur {
            removeDanglingLinks(keeping: Set(writer.entries(genPath(cur))))
        }
        let failed = readLink(root + "/" + Self.failedRun)
        for name in top.entries() where name.hasPrefix(Self.failedPrefix) && name != failed {
            top.removeTree(name)
        }
    }

    /// Top-level links `X -> .current/X` whose X is not in `keeping` (made for a generation that
    /// was never published, or an entry a newer generation no longer has).
    func removeDanglingLinks(keeping: Set<String>) {
        let prefix = Self.currentLink + "/"
        for name in writer.entries(root) {
            guard let t = readLink(root + "/" + name), t.hasPrefix(prefix) else { continue }
            if !keeping.contains(String(t.dropFirst(prefix.count))) { unlink(root + "/" + name) }
        }
    }

    // MARK: - A run's new generation

    /// A new generation being written: `add` writes files into it as they are rendered (so a run
    /// need not hold every file's bytes at once), `publish` completes and switches to it. Until
    /// `publish`, nothing a reader sees changes; `abandon` (or a failed `add`) removes it.
    public final class Staging {
        let layout: Generations
        /// The generation's number and folder, made at the first `add`.
        private var number: Int? = nil
        private var top: Folder? = nil
        private var gen: Folder? = nil
        /// The folder files are being added to (files come folder by folder).
        private var open: (relative: String, folder: Folder)? = nil
        /// Every file written: its folder (relative to the generation) and name.
        private var written: [(folder: String, name: String)] = []
        private var done = false

        public init(_ layout: Generations) { self.layout = layout }

        /// The generation's folder, made on first use: one past every generation present.
        private func begin() throws -> Folder {
            if let gen { return gen }
            let top = try Folder(path: layout.root)
            let gens = try top.make(Generations.genFolder)
            let n = (layout.generations().last ?? 0) + 1
            // A fresh folder: made here, exclusively, so nothing in it was planted in advance.
            if mkdirat(gens.fd, String(n), 0o755) != 0 {
                throw OutputError.cannotCreate(path: layout.genPath(n), message: String(cString: strerror(errno)))
            }
            number = n
            self.top = top
            let g = try gens.folder(String(n))
            gen = g
            return g
        }

        /// The folder `relative` inside the generation, made when missing.
        private func folder(_ relative: String) throws -> Folder {
            let g = try begin()
            if relative.isEmpty { return g }
            if let o = open, o.relative == relative { return o.folder }
            let f = try g.descend(relative, create: true)
            open = (relative, f)
            return f
        }

        private func split(_ path: String) -> (String, String) {
            guard let i = path.lastIndex(of: "/") else { return ("", path) }
            return (String(path[..<i]), String(path[path.index(after: i)...]))
        }

        /// Writes files (paths relative to the output folder); on failure removes the generation.
        public func add(_ files: [(path: String, bytes: [UInt8])]) throws {
            do {
                for f in files {
                    let (dir, name) = split(f.path)
                    try folder(dir).createFile(name, f.bytes)
                    written.append((dir, name))
                }
            } catch {
                abandon()
                throw error
            }
        }

        /// Writes a file made of `head` and then the contents of `parts` (absolute paths).
        public func addConcatenated(_ path: String, head: [UInt8], parts: [String]) throws {
            do {
                let (dir, name) = split(path)
                try folder(dir).createFile(name, head, parts: parts)
                written.append((dir, name))
            } catch {
                abandon()
                throw error
            }
        }

        /// Moves `file`, a finished temporary file in the output folder itself (a streamed report
        /// file), into the generation as `path`: one rename, no copy.
        public func adopt(_ path: String, file: String) throws {
            do {
                assert(
                    file.parentPath == layout.root && file.lastPathComponent.hasPrefix(AtomicWriter.tmpPrefix),
                    "adopt takes the output folder's own temporary files: \(file)")
                let (dir, name) = split(path)
                let target = try folder(dir)
                guard let top else { throw OutputError.io(path: file, message: "no generation") }
                if renameat(top.fd, file.lastPathComponent, target.fd, name) != 0 {
                    throw OutputError.io(path: target.path + "/" + name, message: String(cString: strerror(errno)))
                }
                written.append((dir, name))
            } catch {
                abandon()
                throw error
            }
        }

        /// Completes the generation — the period folders this run did not write carried over from
        /// the published set, `latest` pointing at `latestTarget` (a week folder; nil keeps the
        /// published one) — syncs it, checks that nothing is in the way, and switches readers to
        /// it with one rename. Throws before any visible change when a top-level name is held by
        /// something slareport did not make.
        public func publish(latestTarget: String?) throws {
            let previous = layout.current()
            do {
                let gen = try begin()
                open = nil
                written += try layout.carryOver(into: gen, from: try layout.publishedSource(top!))
                if let target = latestTarget ?? layout.latestWeek(), gen.kind(target) == S_IFDIR {
                    if symlinkat(target, gen.fd, "latest") != 0 {
                        throw OutputError.io(path: gen.path + "/latest", message: String(cString: strerror(errno)))
                    }
                }
                try sync(gen)
                try layout.checkTopLevel(names: gen.entries())
            } catch {
                abandon()
                throw error
            }
            done = true
            try layout.switchTo(number!, previous: previous)
        }

        /// syncfs for the whole filesystem (one call instead of thousands of fsyncs), then an
        /// fsync per file, now cheap, to collect any write-back error (disk full on a
        /// delayed-allocation filesystem) before anything is published, then the folders.
        private func sync(_ gen: Folder) throws {
            _ = c_syncfs(gen.fd)
            var byFolder: [String: [String]] = [:]
            for w in written { byFolder[w.folder, default: []].append(w.name) }
            for (dir, names) in byFolder.sorted(by: { $0.key < $1.key }) {
                let f = dir.isEmpty ? gen : try gen.descend(dir, create: false)
                for n in names { try f.syncFile(n) }
                f.sync()
            }
            gen.sync()
        }

        public func abandon() {
            if done { return }
            open = nil
            if let n = number, let top, let gens = try? top.folder(Generations.genFolder) {
                gens.removeTree(String(n))
            }
            number = nil
            gen = nil
            written = []
        }

        deinit { abandon() }
    }

    /// The published set's folder: the current generation, or the root itself for a folder of
    /// an earlier version (or an empty one).
    func publishedSource(_ top: Folder) throws -> Folder {
        guard let cur = current() else { return top }
        return try top.folder(Self.genFolder).folder(String(cur))
    }

    /// Hard-links into `gen` every period folder of `source` that `gen` does not have (a run
    /// limited by --from/--to); files are copied when the filesystem refuses a link. Only
    /// regular files are carried, never through a link; returns what was written.
    func carryOver(into gen: Folder, from source: Folder) throws -> [(folder: String, name: String)] {
        var out: [(folder: String, name: String)] = []
        let have = Set(gen.entries())
        for name in source.entries().sorted() where !have.contains(name) && Self.isPeriodName(name) {
            guard source.kind(name) == S_IFDIR, let from = try? source.folder(name) else { continue }
            let to = try gen.make(name)
            for file in from.entries() where from.kind(file) == S_IFREG {
                if !to.hardLink(file, from: from) {
                    guard let bytes = from.readAll(file) else {
                        throw OutputError.io(path: from.path + "/" + file, message: String(cString: strerror(errno)))
                    }
                    try to.createFile(file, bytes)
                }
                out.append((name, file))
            }
        }
        return out
    }

    static func isPeriodName(_ name: String) -> Bool {
        ISOWeek(name: name) != nil || CalendarMonth(name: name) != nil
    }

    /// Every top-level name the new generation has must be free, or a link slareport made to
    /// `.current/<name>`, or an entry of an earlier version's layout that slareport wrote (a
    /// period folder, a file, the `latest` link), which `switchTo` replaces by a link.
    /// Anything else is in the way: the run fails before any change.
    func checkTopLevel(names: [String]) throws {
        var st = stat()
        let legacyAllowed = current() == nil || lstat(root + "/" + Self.migrating, &st) == 0
        for name in names {
            let p = root + "/" + name
            guard lstat(p, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFLNK {
                let t = readLink(p) ?? ""
                if t == Self.currentLink + "/" + name { continue }
                if legacyAllowed && name == "latest" && !t.contains("/") { continue }  // an earlier version's latest
            } else if legacyAllowed && kind == S_IFDIR && Self.isPeriodName(name) {
                continue
            } else if legacyAllowed && kind == S_IFREG && !Self.isPeriodName(name) && name != "latest" {
                continue
            }
            let what =
                kind == S_IFDIR ? "a folder" : kind == S_IFLNK ? "a symbolic link slareport did not make" : "a file"
            throw OutputError.inTheWay(path: p, what: what)
        }
    }

    /// The switch: links for new top-level names (dangling until the rename, which no reader of
    /// the old set follows), the rename of `.current`, then the replacement of an earlier
    /// version's entries by links, the removal of links to entries the new set lacks, and of
    /// generations older than the previous one. The termination signals are blocked throughout,
    /// so Ctrl-C or SIGTERM ends the run only once the switch is complete.
    func switchTo(_ n: Int, previous: Int?) throws {
        var all = sigset_t()
        var old = sigset_t()
        sigemptyset(&all)
        sigaddset(&all, SIGINT)
        sigaddset(&all, SIGTERM)
        sigaddset(&all, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &all, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }

        let names = writer.entries(genPath(n)).sorted()
        var legacy: [String] = []
        for name in names {
            let p = root + "/" + name
            var st = stat()
            if lstat(p, &st) != 0 {
                if symlink(Self.currentLink + "/" + name, p) != 0 {
                    throw OutputError.io(path: p, message: String(cString: strerror(errno)))
                }
                Self.stepHook?("link " + name)
            } else if readLink(p) != Self.currentLink + "/" + name {
                legacy.append(name)
            }
        }
        if !legacy.isEmpty {
            // Until every entry is moved over, the next run must accept what is left (a kill in
            // the middle), though `.current` exists.
            let tmp = root + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-migrating"
            try writer.writeSynced(tmp, [])
            if rename(tmp, root + "/" + Self.migrating) != 0 {
                throw OutputError.io(path: root + "/" + Self.migrating, message: String(cString: strerror(errno)))
            }
        }
        writer.syncFolder(root + "/" + Self.genFolder)
        writer.syncFolder(root)
        try replaceLink(Self.currentLink, with: Self.genFolder + "/" + String(n))
        writer.syncFolder(root)
        Self.stepHook?("switch")

        // An earlier version's layout, moved over once: files and the latest link are replaced by
        // a link in one rename each; a period folder is first moved into `.gen/0` (kept for one
        // run, for readers still in it), so its name is absent for an instant.
        let top = try Folder(path: root)
        let gens = try top.folder(Self.genFolder)
        if !legacy.isEmpty {
            let attic = try gens.make("0")
            for name in legacy {
                let p = root + "/" + name
                if top.kind(name) == S_IFDIR {
                    if renameat(top.fd, name, attic.fd, name) != 0 {
                        top.removeTree(name)
                    }
                    Self.stepHook?("move " + name)
                    if symlink(Self.currentLink + "/" + name, p) != 0 {
                        throw OutputError.io(path: p, message: String(cString: strerror(errno)))
                    }
                } else {
                    try replaceLink(name, with: Self.currentLink + "/" + name)
                }
                Self.stepHook?("relink " + name)
            }
            writer.syncFolder(root)
        }
        unlink(root + "/" + Self.migrating)
        removeDanglingLinks(keeping: Set(names))
        Self.stepHook?("unlink stale")
        let keep: Set<Int> = [n, previous ?? 0]
        for g in generations() where !keep.contains(g) { gens.removeTree(String(g)) }
        Self.stepHook?("prune")
    }

    /// Points the link `name` (in the root) at `target`: a new link under a temporary name,
    /// renamed over the old one.
    func replaceLink(_ name: String, with target: String) throws {
        let tmp = root + "/" + AtomicWriter.tmpPrefix + AtomicWriter.tag + "-" + name
        unlink(tmp)
        guard symlink(target, tmp) == 0 else {
            throw OutputError.io(path: root + "/" + name, message: String(cString: strerror(errno)))
        }
        if rename(tmp, root + "/" + name) != 0 {
            let e = String(cString: strerror(errno))
            unlink(tmp)
            throw OutputError.io(path: root + "/" + name, message: e)
        }
    }

    // MARK: - failed-run

    /// Publishes a failed run's diagnosis as `failed-run/` — a link to a fresh `.failed-<tag>`
    /// folder, switched by one rename — leaving the reports as they are.
    public func publishFailedRun(_ files: [(path: String, bytes: [UInt8])], rejectsHead: [UInt8], parts: [String])
        throws
    {
        let name = Self.failedPrefix + AtomicWriter.tag + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let top = try Folder(path: root)
        if mkdirat(top.fd, name, 0o755) != 0 {
            throw OutputError.cannotCreate(path: root + "/" + name, message: String(cString: strerror(errno)))
        }
        do {
            let folder = try top.folder(name)
            for f in files { try folder.createFile(f.path, f.bytes) }
            try folder.createFile("rejects.csv", rejectsHead, parts: parts)
            _ = c_syncfs(folder.fd)
            for n in files.map(\.path) + ["rejects.csv"] { try folder.syncFile(n) }
            folder.sync()
            if top.kind(Self.failedRun) == S_IFDIR { removeEarlierFailedRun(top) }
            try replaceLink(Self.failedRun, with: name)
        } catch {
            top.removeTree(name)
            throw error
        }
        top.sync()
        for other in top.entries() where other.hasPrefix(Self.failedPrefix) && other != name {
            top.removeTree(other)
        }
    }

    /// Removes `failed-run` after a successful run: the link and the folder it names, or an
    /// earlier version's plain folder (only the files a failed run writes there).
    public func removeFailedRun() {
        guard let top = try? Folder(path: root) else { return }
        if let t = readLink(root + "/" + Self.failedRun) {
            unlinkat(top.fd, Self.failedRun, 0)
            if t.hasPrefix(Self.failedPrefix) && !t.contains("/") { top.removeTree(t) }
        } else if top.kind(Self.failedRun) == S_IFDIR {
            removeEarlierFailedRun(top)
        }
    }

    private func removeEarlierFailedRun(_ top: Folder) {
        guard let folder = try? top.folder(Self.failedRun) else { return }
        for name in ["run.json", "rejects.csv"] { unlinkat(folder.fd, name, 0) }
        unlinkat(top.fd, Self.failedRun, AT_REMOVEDIR)
    }
}

/// The target of a symbolic link, or nil when `path` is not one.
func readLink(_ path: String) -> String? {
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink(path, &buf, buf.count - 1)
    guard n >= 0 else { return nil }
    return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A folder itself, not a link to one.
func isRealFolder(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}
