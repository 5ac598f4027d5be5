import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput
import SLAReports

/// One input file of one table, with its place in the table's read order.
public struct InputFile: Sendable, Equatable {
    public var path: String
    public var table: Table
    /// Tab-separated (.tsv / .tsv.gz).
    public var tsv: Bool
    /// Rank in the table's read order: base name in byte order, then full path (SPEC 2.5).
    public var rank: Int = 0
}

/// What the command line named as input (SPEC 2.1).
public struct InputSelection: Sendable {
    public var folders: [String] = []
    public var orders: [String] = []
    public var logistics: [String] = []
    public var tickets: [String] = []
    public var surveys: [String] = []
    public init() {}
    public var isEmpty: Bool {
        folders.isEmpty && orders.isEmpty && logistics.isEmpty && tickets.isEmpty && surveys.isEmpty
    }
}

/// Finds the input files: named files, scanned folders, or the config's default folder.
public enum InputDiscovery {
    static let suffixes = [".csv", ".csv.gz", ".tsv", ".tsv.gz", ".gz"]

    /// The table a file name belongs to when scanning a folder, or nil to ignore it: a
    /// `[tables.*] files` glob (case-insensitive) wins over the table-name prefix; the name must
    /// end in a known suffix either way. Throws `ConfigError` when two tables' globs match.
    public static func table(
        forName name: String, globs: [Table: [String]] = [:], configFile: String = "", globLines: [String: Int] = [:]
    ) throws -> Table? {
        let lower = name.lowercased()
        guard suffixes.contains(where: { lower.hasSuffix($0) }) else { return nil }
        let matched = Table.allCases.filter { t in (globs[t] ?? []).contains { Glob.matches($0.lowercased(), lower) } }
        if matched.count > 1 {
            let key = "tables.\(matched[1].rawValue).files"
            throw ConfigError(
                file: configFile, line: globLines[key], key: key,
                message:
                    "file '\(name)' is matched by the files globs of both [tables.\(matched[0].rawValue)] and [tables.\(matched[1].rawValue)]"
            )
        }
        if let t = matched.first { return t }
        for t in Table.allCases where lower.hasPrefix(t.rawValue) { return t }
        return nil
    }

    /// The name patterns a folder scan looks for (for the no-input message).
    static func patterns(globs: [Table: [String]]) -> [String] {
        Table.allCases.flatMap { t in ["\(t.rawValue)*"] + (globs[t] ?? []) }.map { $0 + " (.csv, .tsv, .gz)" }
    }

    static func isTSV(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.gz")
    }

    /// All input files, each table's files in read order. Throws `IngestError.inputMissing` for a
    /// named file or folder that does not exist, `.noInput` when nothing is found.
    public static func discover(
        _ sel: InputSelection, defaultFolder: String, globs: [Table: [String]] = [:],
        configFile: String = "", globLines: [String: Int] = [:]
    ) throws -> [InputFile] {
        var skipped: [String] = []
        return try discover(
            sel, defaultFolder: defaultFolder, globs: globs, configFile: configFile, globLines: globLines,
            skipped: &skipped)
    }

    /// `discover`, also listing in `skipped` the files a folder scan left out because they are
    /// not regular files (a FIFO named like an export would block the run with its lock held).
    public static func discover(
        _ sel: InputSelection, defaultFolder: String, globs: [Table: [String]] = [:],
        configFile: String = "", globLines: [String: Int] = [:], skipped: inout [String]
    )
        throws -> [InputFile]
    {
        let fm = FileManager.default
        var files: [InputFile] = []
        var seen = Set<String>()
        var scanned: [String] = []
        var ignored: [String] = []
        func add(_ path: String, _ table: Table) {
            // The same file named twice is read once (by its resolved path); stdin is never deduped.
            let key = path == "-" ? "-#\(files.count)" : (URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
            guard seen.insert(key).inserted else { return }
            files.append(InputFile(path: path, table: table, tsv: isTSV(path)))
        }
        func scan(_ folder: String) throws {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: folder, isDirectory: &isDir) else {
                throw IngestError.inputMissing(path: folder)
            }
            guard isDir.boolValue else { throw IngestError.unreadable(path: folder, message: "not a folder") }
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: folder) } catch {
                throw IngestError.unreadable(path: folder, message: "cannot list folder")
            }
            scanned.append(folder)
            for name in names.sorted() {
                let found = try table(forName: name, globs: globs, configFile: configFile, globLines: globLines)
                guard let t = found else {
                    if ignored.count < 5 { ignored.append((folder as NSString).appendingPathComponent(name)) }
                    continue
                }
                let path = (folder as NSString).appendingPathComponent(name)
                var st = stat()
                guard stat(path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG: add(path, t)
                case S_IFDIR: continue
                default: skipped.append(path)  // FIFO, socket, device: named explicitly they are read as streams
                }
            }
        }
        func named(_ paths: [String], _ t: Table) throws {
            for p in paths {
                if p != "-" {
                    var d: ObjCBool = false
                    guard fm.fileExists(atPath: p, isDirectory: &d) else { throw IngestError.inputMissing(path: p) }
                    if d.boolValue { throw IngestError.unreadable(path: p, message: "is a folder; use --input") }
                }
                add(p, t)
            }
        }
        if sel.isEmpty {
            try scan(defaultFolder)
        } else {
            for f in sel.folders { try scan(f) }
            try named(sel.orders, .orders)
            try named(sel.logistics, .logistics)
            try named(sel.tickets, .tickets)
            try named(sel.surveys, .surveys)
        }
        guard !files.isEmpty else {
            if scanned.isEmpty { throw IngestError.noInput }
            throw IngestError.noInputFound(folders: scanned, patterns: patterns(globs: globs), ignored: ignored)
        }
        return ordered(files)
    }

    /// Sorts each table's files by base name (byte order), then full path, and sets `rank`.
    public static func ordered(_ files: [InputFile]) -> [InputFile] {
        var out: [InputFile] = []
        for t in Table.allCases {
            let mine = files.filter { $0.table == t }.sorted { a, b in
                let ba = Array((a.path as NSString).lastPathComponent.utf8)
                let bb = Array((b.path as NSString).lastPathComponent.utf8)
                if ba != bb { return ba.lexicographicallyPrecedes(bb) }
                return Array(a.path.utf8).lexicographicallyPrecedes(Array(b.path.utf8))
            }
            for (i, var f) in mine.enumerated() {
                f.rank = i
                out.append(f)
            }
        }
        return out
    }
}

/// Shell-style name globs: `*` any run of characters, `?` one character, `[abc]` one of a set.
enum Glob {
    static func matches(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let n = Array(name.unicodeScalars)
        var pi = 0
        var ni = 0
        var star = -1
        var mark = 0
        while ni < n.count {
            if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ni
                pi += 1
                continue
            }
            if pi < p.count, let next = one(p, pi, n[ni]) {
                pi = next
                ni += 1
                continue
            }
            if star >= 0 {
                pi = star + 1
                mark += 1
                ni = mark
                continue
            }
            return false
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one character at `i`: the index after the pattern element, or nil.
    private static func one(_ p: [Unicode.Scalar], _ i: Int, _ c: Unicode.Scalar) -> Int? {
        if p[i] == "?" { return i + 1 }
        if p[i] == "[", let close = p[(i + 1)...].firstIndex(of: "]"), close > i + 1 {
            return p[(i + 1)..<close].contains(c) ? close + 1 : nil
        }
        return p[i] == c ? i + 1 : nil
    }
}
