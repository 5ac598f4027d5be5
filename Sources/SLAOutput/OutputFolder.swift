import SLAFast
import SLAModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder is slareport's own: it carries a `.slareport` marker, written when the run
/// creates the folder or finds it empty. A non-empty folder without the marker is refused (exit
/// 73) — `--out` pointed at a general folder must not have its files overwritten or its
/// `.tmp-*` entries cleaned away — except a v1 output folder (its `run.json` says slareport wrote
/// it), which is adopted.
public enum OutputFolder {
    public static let marker = ".slareport"

    /// Creates the folder when missing and makes sure it is ours; throws `OutputError.cannotCreate`.
    public static func claim(_ folder: String) throws {
        var st = stat()
        if lstat(folder, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
            // A link the user made to point the reports elsewhere is fine; it is the folder it
            // leads to that must be ours.
            guard stat(folder, &st) == 0 else {
                throw OutputError.cannotCreate(path: folder, message: "is a symbolic link to nothing")
            }
        }
        AtomicWriter.outputRoots.withLock { _ = $0.insert(folder) }
        try AtomicWriter.makeFolder(folder)
        let markerPath = folder + "/" + marker
        if lstat(markerPath, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw OutputError.cannotCreate(path: markerPath, message: "is not a regular file")
            }
            return
        }
        // A lock file alone (a run that took the lock and stopped) still counts as empty.
        let names = entries(folder).filter { $0 != ".lock" }
        if !names.isEmpty && !isV1Output(folder) {
            let shown = names.sorted().prefix(3).joined(separator: ", ")
            throw OutputError.cannotCreate(
                path: folder,
                message:
                    "not a slareport output folder (it holds \(shown)\(names.count > 3 ? ", …" : "") and no \(marker) marker); "
                    + "give --out an empty or new folder")
        }
        let fd = open(markerPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw OutputError.cannotCreate(path: markerPath, message: String(cString: strerror(errno)))
        }
        let text = "This folder holds slareport's reports; slareport writes and deletes only its own files here.\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    /// A folder an earlier slareport (v1, before the marker) wrote: its run.json names the tool.
    static func isV1Output(_ folder: String) -> Bool {
        let fd = open(folder + "/run.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buf, buf.count)
        guard n > 0 else { return false }
        let head = String(decoding: buf[0..<n], as: UTF8.self)
        return head.contains("\"tool\": \"slareport\"")
    }

    private static func entries(_ folder: String) -> [String] {
        (try? Folder(path: folder))?.entries() ?? []
    }
}
