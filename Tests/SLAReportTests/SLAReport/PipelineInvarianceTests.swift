import Foundation
import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

/// Whole-pipeline invariance (bad-input-cases.md 19 and 29, SPEC 6 "same inputs ⇒ byte-identical
/// output"): the same data fed in different chunk sizes, in a different file order, split into
/// two files at different points, or gzip instead of plain gives the same report files. The
/// pipeline here is ReportJob's without the file system: FileLoader (with an in-memory reader
/// factory) → InputLoader.merge → MetricsEngine → ReportSet.render.
@Suite("Pipeline.invariance")
struct PipelineInvarianceTests {
    struct Source {
        var path: String
        var table: Table
        var bytes: [UInt8]
        var tsv: Bool { path.hasSuffix(".tsv") || path.hasSuffix(".tsv.gz") }
    }

    typealias Tree = [String: [UInt8]]

    /// Runs the pipeline on `sources`, each read `chunk` bytes at a time (nil: from the file at
    /// `path`, as the CLI does). Files go through `InputDiscovery.ordered` like the CLI's.
    static func render(
        _ sources: [Source], chunk: Int?, config: Config = Config(),
        arrival: (([InputFile]) -> [Int])? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Tree {
        let zone = ZoneRules(identifier: config.timezone)!
        let options = LoadOptions(config: config, zone: zone)
        let files = InputDiscovery.ordered(sources.map { InputFile(path: $0.path, table: $0.table, tsv: $0.tsv) })
        var results = files.map { f -> FileResult in
            guard let chunk else { return FileLoader.load(f, options: options) }
            let bytes = sources.first { $0.path == f.path }!.bytes
            return FileLoader.load(f, options: options) { o in
                CSVFileReader(bytes: bytes, name: f.path, chunkSize: chunk, options: o)
            }
        }
        for r in results { #expect(r.error == nil, "\(r.file.path): \(r.error!)", sourceLocation: sourceLocation) }
        return render(InputLoader.merge(&results, arrival: arrival?(files)), config: config)
    }

    /// The report files of merged inputs.
    static func render(_ inputs: LoadedInputs, config: Config = Config()) -> Tree {
        let zone = ZoneRules(identifier: config.timezone)!
        let asOf = inputs.latestTimestamp ?? 0
        let engine = MetricsEngine(config: config, zone: zone, asOf: asOf, pool: inputs.pool)
        let weeks = engine.compute(orders: inputs.orders, tickets: inputs.tickets, logistics: inputs.logistics)
        let info = RunInfo(
            asOf: asOf, toolVersion: SLAReportVersion.current, configSource: config.source, configHash: "test",
            files: inputs.files, tables: inputs.tables, rejectCount: inputs.rejects.count, timings: [])
        var tree: Tree = [:]
        for f in ReportSet(config: config, zone: zone, run: info).render(weeks: weeks, rejects: inputs.rejects) {
            tree[f.path] = f.bytes
        }
        return tree
    }

    static func differences(_ a: Tree, _ b: Tree) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    // MARK: A small messy data set (each trick of the bad-input notes once or more)

    static let ticketHeader =
        "工单号,订单号,创建时间,渠道,客服,类型,问题分类,优先级,首次响应时间,解决时间,满意度,回访时间,更新时间"

    /// Ticket records (one string each; some span lines inside quotes), spread over weeks
    /// 2026-W44…W47, with duplicates, bad rows and odd values.
    static func ticketRecords(_ n: Int, seed: Int) -> [String] {
        let types = ["inquiry", "complaint", "repair", "refund", "return", "投诉", "维修", "exchange"]
        let prios = ["normal", "urgent", "major", "", "紧急"]
        let cats = ["物流延迟", "\"破损, 外包装\"", "\"多行\r\n描述\"", "quality", "", "尺码"]
        let scores = ["5", "4", "1", "", "0", "4.0", "五", " 3 "]
        var out: [String] = []
        for i in 0..<n {
            let k = i * 7 + seed
            let day = 26 + k % 28  // 26 Oct … 22 Nov
            let (m, d) = day > 31 ? (11, day - 31) : (10, day)
            let created = String(format: "2026-%02d-%02d %02d:%02d:00", m, d, 8 + k % 12, k % 60)
            let created2 = String(format: "2026/%d/%d %d:%02d", m, d, 8 + k % 12, k % 60)  // same instant, other format
            let resp = String(format: "2026-%02d-%02dT%02d:%02d:00+08:00", m, d, 16 + k % 7, k % 60)
            let resolved = k % 5 == 0 ? "" : String(format: "2026-%02d-%02d 23:%02d", m, d, k % 60)
            let survey = k % 3 == 0 ? "" : String(format: "2026-%02d-%02d 23:59:00", m, d)
            let updated = k % 4 == 0 ? "" : String(format: "2026-11-%02d 10:00:00", 1 + k % 20)
            out.append(
                [
                    "T\(i % (n - n / 10))",  // ~10% duplicate ids within the file
                    "O\(k % 97)", i % 2 == 0 ? created : created2, ["APP", "电话", "web", ""][k % 4], "A\(k % 6)",
                    types[k % types.count], cats[k % cats.count], prios[k % prios.count], resp, resolved,
                    scores[k % scores.count],
                    survey, updated,
                ].joined(separator: ","))
            switch i % 37 {
            case 5: out.append("T9\(i),O1,2026-02-30 10:00:00,APP,A1,inquiry,,,,,,,")  // bad timestamp
            case 11: out.append("T9\(i),O1,2026-11-02 10:00")  // too few fields
            case 17: out.append("T9\(i),O1,2026-11-02 10:00,APP,A\"1,inquiry,,,,,,,")  // stray quote
            case 23: out.append("T9\(i),O1,2026-11-02 10:00,APP,A1,nonsense,,,,,,,")  // unknown enum
            case 29: out.append("T9\(i),O1,2026-11-02 10:00,APP,A\u{0}1,inquiry,,,,,,,")  // NUL byte
            default: break
            }
        }
        return out
    }

    static func file(_ header: String, _ records: [String], nl: String = "\n", bom: Bool = false) -> [UInt8] {
        (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(([header] + records).map { $0 + nl }.joined().utf8)
    }

    static func messy() -> [Source] {
        var orders: [String] = []
        for i in 0..<97 {
            let d = 26 + i % 28
            let (m, dd) = d > 31 ? (11, d - 31) : (10, d)
            orders.append(
                String(
                    format: "O%d,2026-%02d-%02d 09:%02d:00,M%d,P%d,\"家电, 小\",%d.50,", i, m, dd, i % 60, i % 5, i % 13, i
                )
                    + (i % 3 == 0 ? "" : "2026-11-05 10:00:00"))
        }
        let ordersHeader = "订单编号,下单时间,商家ID,商品ID,类目,金额,更新时间"
        let orderUpdates = (0..<20).map { i in
            "O\(i * 3),2026-11-0\(1 + i % 9) 09:00:00,M9,P1,服装,１２３,2026-11-20 10:00:00"
        }
        var logistics: [String] = []
        for i in 0..<120 {
            let d = 1 + i % 22
            logistics.append(
                "SF\(i % 60)\tO\(i % 97)\t顺丰\t\(["揽收", "in_transit", "派送中", "delivered", "exception"][i % 5])\t2026-11-\(String(format: "%02d", d)) \(8 + i % 10):00\t\(i % 5 == 4 ? "破损" : "")"
            )
        }
        let tickets = ticketRecords(300, seed: 1)
        let tickets2 = ticketRecords(60, seed: 5)
        var gbk = [UInt8]()
        gbk += IngestFixture.gb18030(ordersHeader + "\r\n" + orders.prefix(30).map { $0 + "\r\n" }.joined())
        return [
            Source(path: "in/orders-a.csv", table: .orders, bytes: file(ordersHeader, orders, nl: "\r\n", bom: true)),
            Source(path: "in/orders-b-gbk.csv", table: .orders, bytes: gbk),
            Source(path: "in/orders-c-dump2.csv", table: .orders, bytes: file(ordersHeader, orderUpdates)),
            Source(
                path: "in/logistics-a.tsv", table: .logistics,
                bytes: file("运单号\t订单号\t快递公司\t节点\t节点时间\t异常类型", logistics + logistics.prefix(10), nl: "\r\n")),
            Source(path: "in/tickets-a.csv", table: .tickets, bytes: file(ticketHeader, tickets)),
            Source(path: "in/tickets-b.csv", table: .tickets, bytes: file(ticketHeader, tickets2, nl: "\r")),
        ]
    }

    // MARK: Chunk sizes

    /// Case 19 at pipeline level: every chunking of every file gives the same output tree,
    /// run.json and rejects.csv included.
    @Test func chunkSizesGiveIdenticalReports() {
        let sources = Self.messy()
        let whole = Self.render(sources, chunk: Int.max)
        #expect(whole.count > 10)
        let rejects = String(decoding: whole["rejects.csv"]!, as: UTF8.self)
        #expect(rejects.split(separator: "\r\n").count > 20, "the data set should have rejects: \(rejects)")
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let t = Self.render(sources, chunk: chunk)
            #expect(Self.differences(t, whole).isEmpty, "chunk \(chunk): \(Self.differences(t, whole))")
        }
    }

    /// The committed sample-data/ files, as the CLI would find them.
    static func sampleData() throws -> [Source] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data").path
        let files = try InputDiscovery.discover(InputSelection(), defaultFolder: root)
        return try files.map {
            Source(path: $0.path, table: $0.table, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: $0.path))))
        }
    }

    /// The committed sample data (slagen --messy: gzip, GB18030, BOM, TSV, CRLF, second dumps):
    /// read from disk as the CLI does, and from memory in a few chunk sizes.
    @Test func sampleDataChunkSizes() throws {
        let sources = try Self.sampleData()
        let fromDisk = Self.render(sources, chunk: nil)
        for chunk in [4093] {
            let t = Self.render(sources, chunk: chunk)
            #expect(Self.differences(t, fromDisk).isEmpty, "chunk \(chunk): \(Self.differences(t, fromDisk))")
        }
    }

    /// Files merged in the order they finish, whatever it is: here small ticket files before
    /// the order files (so a larger pool arrives after a smaller one and takes over), and
    /// every table's files backwards.
    @Test func mergeArrivalOrderDoesNotMatter() throws {
        let sources = try Self.sampleData()
        let base = Self.render(sources, chunk: nil)
        let ticketsFirst: ([InputFile]) -> [Int] = { f in
            f.indices.filter { f[$0].table == .tickets } + f.indices.filter { f[$0].table != .tickets }
        }
        #expect(sources.filter { $0.table == .orders }.count > 1 && sources.filter { $0.table == .tickets }.count > 1)
        for arrival in [ticketsFirst, { f in Array(f.indices.reversed()) }] {
            let t = Self.render(sources, chunk: nil, arrival: arrival)
            #expect(Self.differences(t, base).isEmpty, "\(Self.differences(t, base))")
        }
    }

    /// Big files are merged a chunk of rows at a time while they are read: any chunk size,
    /// chunks of different files interleaved in any way, gives the same reports as whole files
    /// merged in read order. Through the CLI's threaded loader (files from disk) and through
    /// a round-robin of every file's chunks, the first file's chunks before or after the rest.
    @Test(arguments: [1, 2, 7, 64, 100_000])
    func mergeInChunks(rows: Int) throws {
        let sources = try Self.sampleData()
        let base = Self.render(sources, chunk: nil)
        let config = Config()
        let options = LoadOptions(config: config, zone: ZoneRules(identifier: config.timezone)!)
        let files = InputDiscovery.ordered(sources.map { InputFile(path: $0.path, table: $0.table, tsv: $0.tsv) })

        let threaded = try InputLoader.load(files, options: options, workers: 3, chunkRows: rows)
        #expect(Self.differences(Self.render(threaded, config: config), base).isEmpty)

        // Fresh each time: merging adopts and grows the chunks' pools.
        func loadChunked() -> (chunks: [[FileResult]], rest: [FileResult]) {
            var chunks: [[FileResult]] = files.map { _ in [] }
            let rest = files.indices.map { i in
                FileLoader.load(files[i], options: options, chunkRows: rows) { chunks[i].append($0) }
            }
            return (chunks, rest)
        }
        let (chunks, rest) = loadChunked()
        if rows < 10 { #expect(chunks.allSatisfy { $0.count > 1 }, "every sample file should make several chunks") }
        #expect(
            zip(chunks, rest).map { $0.map(\.rowCount).reduce($1.rowCount, +) }
                == files.map { FileLoader.load($0, options: options).rowCount })
        for order in [Array(files.indices), Array(files.indices.reversed())] {
            var (chunks, rest) = loadChunked()
            let state = MergeState(files: files)
            for k in 0..<(chunks.map(\.count).max() ?? 0) {
                for i in order where k < chunks[i].count { state.add(i, &chunks[i][k], last: false) }
            }
            for i in order { state.add(i, &rest[i], last: true) }
            #expect(Self.differences(Self.render(state.finish(), config: config), base).isEmpty, "\(order)")
        }
    }

    // MARK: File order, splits, gzip

    /// Case 29: the order the files are named in does not matter (read order is by name).
    @Test func fileOrderDoesNotMatter() {
        let sources = Self.messy()
        let base = Self.render(sources, chunk: 4096)
        for perm in [
            Array(sources.reversed()), [sources[4], sources[1], sources[5], sources[0], sources[3], sources[2]],
        ] {
            let t = Self.render(perm, chunk: 4096)
            #expect(Self.differences(t, base).isEmpty)
        }
    }

    /// The same records split into two files at different points give the same reports.
    /// rejects.csv (file and line of each reject) and run.json (the inputs) differ by nature;
    /// HTML/Markdown too only where they show those input counts, so they are compared through
    /// every other file.
    @Test(arguments: [1, 50, 150, 299, 330])
    func splitIntoTwoFilesAnywhere(at k: Int) {
        var sources = Self.messy()
        let whole = Self.render(sources, chunk: 4096)
        let records = Self.ticketRecords(300, seed: 1)
        let i = sources.firstIndex { $0.path == "in/tickets-a.csv" }!
        sources[i].path = "in/tickets-a1.csv"
        sources[i].bytes = Self.file(Self.ticketHeader, Array(records[..<min(k, records.count)]))
        sources.append(
            Source(
                path: "in/tickets-a2.csv", table: .tickets,
                bytes: Self.file(Self.ticketHeader, Array(records[min(k, records.count)...]))))
        let split = Self.render(sources, chunk: 4096)
        let ignored: Set<String> = ["rejects.csv", "run.json"]
        let diff = Self.differences(split, whole).filter { !ignored.contains($0) }
        #expect(diff.allSatisfy { $0.hasSuffix(".html") || $0.hasSuffix(".md") }, "k=\(k): \(diff)")
        // The numbers: every summary.json and CSV identical.
        #expect(diff.filter { $0.hasSuffix(".json") || $0.hasSuffix(".csv") }.isEmpty)
        // The same rejects; only their file and line (also in the reason's text) differ.
        func reasons(_ t: Tree) -> [String] {
            String(decoding: t["rejects.csv"]!, as: UTF8.self).split(separator: "\r\n").map { line in
                line.split(separator: ",", maxSplits: 3).dropFirst(2).joined(separator: ",")
                    .replacingOccurrences(of: #"line \d+"#, with: "line N", options: .regularExpression)
            }.sorted()
        }
        #expect(reasons(split) == reasons(whole))
    }

    /// gzip instead of plain (a single member, or one member per 1000 bytes) gives the same
    /// reports; run.json differs only in each input's bytes, sha256 and gzip flag.
    @Test func gzipEqualsPlain() {
        let sources = Self.messy()
        let plain = Self.render(sources, chunk: 4096)
        var gz = sources
        for j in gz.indices {
            gz[j].bytes = IngestFixture.gzip(gz[j].bytes)
            gz[j].path += ".gz"
        }
        var multi = sources
        for j in multi.indices {
            let b = multi[j].bytes
            multi[j].bytes = stride(from: 0, to: b.count, by: 1000).flatMap {
                IngestFixture.gzip(Array(b[$0..<min($0 + 1000, b.count)]))
            }
        }
        for (name, variant) in [("gzip", gz), ("multi-member", multi)] {
            let t = Self.render(variant, chunk: 4096)
            let diff = Self.differences(t, plain)
            // rejects.csv names the files: the .gz names differ, the rest must not.
            let expected: Set<String> = name == "gzip" ? ["run.json", "rejects.csv"] : ["run.json"]
            #expect(Set(diff).isSubset(of: expected), "\(name): \(diff)")
            if name == "gzip" {
                let a = String(decoding: t["rejects.csv"]!, as: UTF8.self).replacingOccurrences(of: ".gz,", with: ",")
                #expect(a == String(decoding: plain["rejects.csv"]!, as: UTF8.self))
            }
            let run = String(decoding: t["run.json"]!, as: UTF8.self)
            #expect(run.contains("\"gzip\": true") && !run.contains("\"gzip\": false"))
        }
    }
}
