import Foundation
import SLAConfig
import SLAFast
import SLAIngest
import SLAMetrics
import SLAModel
import SLAOutput

/// What `slareport partial` was asked to do: one bucket of the logistics events of a bucketed
/// map output (`MapRequest.buckets`) into partial state.
public struct PartialRequest: Sendable {
    /// The map stage's output folder (holding map/<file>/).
    public var mapFolder: String
    public var bucket: Int
    public var buckets: Int
    /// The folder receiving state.txt (created when missing).
    public var out: String
    /// --as-of, when given (the merge must be given the same).
    public var asOf: Int64?

    public init(mapFolder: String, bucket: Int, buckets: Int, out: String) {
        self.mapFolder = mapFolder
        self.bucket = bucket
        self.buckets = buckets
        self.out = out
    }
}

/// The partial stage of a distributed run: bucket K's logistics events of every mapped logistics
/// file, deduplicated by `run`'s own `MergeState` (every copy of an event is in the same bucket:
/// buckets go by tracking number), measured into a `LogisticsPartial` per reported period kind,
/// with the global as_of (the latest timestamp of all mapped files, or --as-of). The merge adds
/// the buckets' partials instead of reading the events, so it holds their aggregates only.
///
/// state.txt (written under a temporary name, renamed when complete):
///
///     slareport-partial 1
///     table logistics
///     bucket K N
///     as_of T
///     config SHA256          the config's hash (run.json's config_hash)
///     events READ UNIQUE     events read from the bucket, and left after deduplication
///     file NAME              one line per logistics file, in read order (name escaped)
///     period …               then each period kind's `LogisticsPartial` text
///
/// Orders, tickets and surveys still reach the merge as rows.
public enum PartialStage {
    static let magic = "slareport-partial 1"

    /// What a state.txt says besides the figures.
    struct Header: Equatable {
        var bucket: Int
        var buckets: Int
        var asOf: Int64
        var configHash: String
        var read: Int
        var unique: Int
        var files: [String]
    }

    /// Reads bucket `req.bucket` and writes state.txt; returns the events read and kept.
    @discardableResult
    public static func run(_ req: PartialRequest, config: Config) throws -> (read: Int, unique: Int) {
        let zone = try config.zoneRules()
        guard req.buckets > 0, req.bucket >= 0, req.bucket < req.buckets else {
            throw IngestError.unreadable(path: req.mapFolder, message: "bucket \(req.bucket) of \(req.buckets)")
        }
        let parts = try MapOutputs.list(req.mapFolder)
        let asOf = req.asOf ?? MapOutputs.latest(parts) ?? 0
        let events = parts.filter { $0.file.table == .logistics }
        let name = Buckets.fileName(req.bucket, of: req.buckets)
        for p in events where p.buckets != req.buckets {
            throw IngestError.unreadable(
                path: p.folder,
                message:
                    "mapped into \(p.buckets) bucket\(p.buckets == 1 ? "" : "s"), not \(req.buckets) (map --buckets \(req.buckets))"
            )
        }
        let options = LoadOptions(config: config, zone: zone)
        let state = MergeState(files: events.map(\.file))
        for (i, part) in events.enumerated() {
            let reader = RowsReader(
                part: part, options: options, chunkRows: FileLoader.chunkRows, files: [part.folder + "/" + name])
            var result = try reader.read { state.add(i, &$0, last: false) }
            state.add(i, &result, last: true)
        }
        let loaded = state.finish()
        let pool = loaded.logisticsPool
        // Every event must be this bucket's: a file from another bucket would count twice.
        for e in loaded.logistics where Buckets.of(e.trackingNo, in: pool, count: req.buckets) != req.bucket {
            throw IngestError.unreadable(
                path: req.mapFolder,
                message: "\(name) holds tracking number \(pool.string(e.trackingNo)) of another bucket")
        }
        let table = loaded.tables[Table.allCases.firstIndex(of: .logistics)!]
        let header = Header(
            bucket: req.bucket, buckets: req.buckets, asOf: asOf, configHash: configHash(config),
            read: table.unique + table.duplicatesMerged, unique: table.unique, files: events.map(\.file.path))
        var text = encode(header)
        for kind in config.periods {
            let context = MetricsContext(
                config: config, zone: zone, asOf: asOf, pool: StringPool(capacity: 1), period: kind, eventPool: pool)
            text += LogisticsPartial(events: loaded.logistics, context: context).encode(pool: pool)
        }
        try AtomicWriter.makeFolder(req.out)
        try AtomicWriter(root: req.out).replaceFile("state.txt", Array(text.utf8))
        return (header.read, header.unique)
    }

    /// run.json's config_hash of a config.
    static func configHash(_ config: Config) -> String {
        Digest.sha256Hex(Array(config.canonicalDescription.utf8))
    }

    static func encode(_ h: Header) -> String {
        var s = magic + "\ntable logistics\nbucket \(h.bucket) \(h.buckets)\nas_of \(h.asOf)\n"
        s += "config \(h.configHash)\nevents \(h.read) \(h.unique)\n"
        for f in h.files { s += "file " + LogisticsPartial.escape(f) + "\n" }
        return s
    }

    /// One state.txt: its header and its partials by period kind, their carriers interned into
    /// `pool`. Throws `IngestError.badHeader` naming the line for anything unreadable.
    static func read(_ path: String, pool: StringPool) throws -> (Header, [PeriodKind: LogisticsPartial]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unreadable(path: path, message: "missing (run slareport partial for this bucket)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
        func bad(_ line: Int, _ m: String) -> IngestError { .badHeader(path: path, line: line, message: m) }
        var i = lines.startIndex
        func field(_ key: String) throws -> [Substring] {
            guard i < lines.endIndex, lines[i].hasPrefix(key + " ") else { throw bad(i + 1, "expected '\(key) …'") }
            defer { i += 1 }
            return lines[i].dropFirst(key.count + 1).split(separator: " ")
        }
        guard lines.first == Substring(magic) else { throw bad(1, "not a partial's state.txt (\(magic))") }
        i += 1
        guard try field("table") == ["logistics"] else { throw bad(i, "only logistics partials exist") }
        let b = try field("bucket")
        let a = try field("as_of")
        let c = try field("config")
        let e = try field("events")
        guard b.count == 2, let bucket = Int(b[0]), let buckets = Int(b[1]), a.count == 1, let asOf = Int64(a[0]),
            c.count == 1, e.count == 2, let read = Int(e[0]), let unique = Int(e[1])
        else { throw bad(i, "bad header values") }
        var files: [String] = []
        while i < lines.endIndex, lines[i].hasPrefix("file ") {
            guard let f = LogisticsPartial.unescape(lines[i].dropFirst(5)) else { throw bad(i + 1, "bad escape") }
            files.append(f)
            i += 1
        }
        let header = Header(
            bucket: bucket, buckets: buckets, asOf: asOf, configHash: String(c[0]), read: read, unique: unique,
            files: files)
        var partials: [PeriodKind: LogisticsPartial] = [:]
        while i < lines.endIndex {
            var j = i + 1
            while j < lines.endIndex && !lines[j].hasPrefix("period ") { j += 1 }
            do {
                let p = try LogisticsPartial.decode(lines[i..<j], firstLine: i + 1, pool: pool)
                guard partials[p.period] == nil else { throw bad(i + 1, "period \(p.period.rawValue) twice") }
                partials[p.period] = p
            } catch let f as PartialFormatError {
                throw bad(f.line, f.message)
            }
            i = j
        }
        return (header, partials)
    }

    /// The partials under `dir` (one folder per bucket, holding state.txt) added up, checked
    /// against what the merge is about to do: every bucket 0..<N once, the same N, as_of, config
    /// and logistics files (in read order) as the merge's, each period kind reported present.
    /// Returns the partial per period kind and the events read and kept over all buckets.
    static func combine(
        _ dir: String, asOf: Int64, config: Config, files: [String], pool: StringPool
    ) throws -> (partials: [PeriodKind: LogisticsPartial], read: Int, unique: Int) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
                !$0.hasPrefix(".") && !$0.hasPrefix("_")
            }.sorted()
        } catch {
            throw IngestError.inputMissing(path: dir)
        }
        let hash = configHash(config)
        var seen: [Int: String] = [:]
        var n: Int? = nil
        var out: [PeriodKind: LogisticsPartial] = [:]
        var read = 0
        var unique = 0
        for name in names {
            let path = dir + "/" + name + "/state.txt"
            let (h, partials) = try Self.read(path, pool: pool)
            func bad(_ m: String) -> IngestError { .unreadable(path: path, message: m) }
            if let n, n != h.buckets { throw bad("bucket \(h.bucket) of \(h.buckets), the others are of \(n)") }
            n = h.buckets
            if let other = seen[h.bucket] { throw bad("bucket \(h.bucket) again (also in \(other))") }
            seen[h.bucket] = path
            guard h.asOf == asOf else {
                throw bad("made with as_of \(h.asOf), the merge's is \(asOf) (give both the same --as-of)")
            }
            guard h.configHash == hash else {
                throw bad("made with another config (config hash \(h.configHash), the merge's is \(hash))")
            }
            guard h.files == files else {
                throw bad("made from other logistics files than the map folder holds (partial them again)")
            }
            for kind in config.periods {
                guard let p = partials[kind] else { throw bad("no \(kind.rawValue) figures") }
                if out[kind] == nil { out[kind] = p } else { out[kind]!.merge(p) }
            }
            read += h.read
            unique += h.unique
        }
        guard let n else { throw IngestError.unreadable(path: dir, message: "no partial (no <bucket>/state.txt)") }
        let missing = (0..<n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw IngestError.unreadable(
                path: dir,
                message:
                    "bucket\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(n) missing"
            )
        }
        return (out, read, unique)
    }
}
