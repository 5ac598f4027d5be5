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

private typealias F = IngestFixture

/// gzip detection by content, multi-member streams, and every way a stream can be broken
/// (SPEC 2.2, bad-input cases 31–33). The compressed inputs are made with zlib's deflate.
@Suite struct IngestGzipTests {
    static let partA = F.bytes("id,v\n1,a\n2,b\n")
    static let partB = F.bytes("3,c\n4,\"d\nd\"\n")

    @Test func singleMemberReadsLikePlain() {
        let plain = F.readAllChunkings(Self.partA + Self.partB)
        let gz = F.readAllChunkings(F.gzip(Self.partA + Self.partB), name: "t.csv.gz")
        #expect(gz.error == nil)
        #expect(gz.rows == plain.rows)
        #expect(gz.rows.map(\.line) == [2, 3, 4, 5])
        #expect(gz.info?.gzip == true)
        #expect(plain.info?.gzip == false)
        #expect(gz.info?.bytes == F.gzip(Self.partA + Self.partB).count)
    }

    @Test func multiMemberIsReadWhole() {
        let o = F.readAllChunkings(F.gzip(Self.partA) + F.gzip(Self.partB), name: "t.csv.gz")
        #expect(o.error == nil)
        #expect(o.rows.map(\.fields) == [["1", "a"], ["2", "b"], ["3", "c"], ["4", "d\nd"]])
    }

    @Test func trailingZerosAreAccepted() {
        let o = F.readAllChunkings(F.gzip(Self.partA) + [UInt8](repeating: 0, count: 9), name: "t.gz")
        #expect(o.error == nil)
        #expect(o.rows.count == 2)
    }

    @Test func trailingGarbageIsAnError() {
        let gz = F.gzip(Self.partA)
        let o = F.readAllChunkings(gz + [0, 0] + F.bytes("junk"), name: "t.gz")
        #expect(
            o.ingestError
                == .corruptGzip(path: "t.gz", offset: gz.count + 2, message: "trailing garbage after gzip member"))
    }

    @Test func truncatedStreamIsAnError() throws {
        let gz = F.gzip(Self.partA + Self.partB)
        let cut = Array(gz.prefix(gz.count - 5))
        let o = F.readAllChunkings(cut, name: "t.gz")
        guard case .corruptGzip(let path, let offset, let message) = try #require(o.ingestError) else {
            Issue.record("expected corruptGzip, got \(o)")
            return
        }
        #expect(path == "t.gz")
        #expect(offset == cut.count)
        #expect(message.hasPrefix("truncated gzip stream"))
        // Only the gzip magic: no header at all.
        #expect(F.readAllChunkings([0x1f, 0x8b], name: "t.gz").error?.contains("truncated gzip stream") == true)
    }

    @Test func crcMismatchIsAnError() throws {
        var gz = F.gzip(Self.partA + Self.partB)
        gz[gz.count - 8] ^= 0xFF  // first CRC-32 byte of the trailer
        let o = F.readAllChunkings(gz, name: "t.gz")
        guard case .corruptGzip(_, let offset, let message) = try #require(o.ingestError) else {
            Issue.record("expected corruptGzip, got \(o)")
            return
        }
        #expect(message.contains("CRC mismatch"))
        #expect(offset <= gz.count && offset >= gz.count - 8)
        var len = F.gzip(Self.partA)
        len[len.count - 1] ^= 0x01  // ISIZE
        #expect(F.readAllChunkings(len, name: "t.gz").error?.contains("length mismatch") == true)
    }

    @Test func plainDataUnderAGzName() {
        let o = F.readAllChunkings(Self.partA, name: "orders.csv.gz")
        #expect(o.error == nil)
        #expect(o.info?.gzip == false)
        #expect(o.rows.count == 2)
    }

    @Test func emptyGzipMembersAndEmptyFiles() {
        #expect(
            F.readAllChunkings([], name: "e.gz").ingestError
                == .badHeader(path: "e.gz", line: 1, message: "empty file: no header row"))
        #expect(
            F.readAllChunkings(F.gzip([]), name: "e.gz").ingestError
                == .badHeader(path: "e.gz", line: 1, message: "empty file: no header row"))
    }

    @Test func sha256OfTheStoredBytes() {
        // sha256("abc\n") from sha256sum
        let o = F.read(F.bytes("abc\n"), chunk: 1, F.options())
        #expect(o.info?.sha256 == "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb")
        #expect(o.info?.bytes == 4)
    }
}

/// Real files through the threaded path: big enough to cross many 1 MiB blocks.
@Suite struct IngestFileTests {
    static func makeCSV(rows: Int) -> [UInt8] {
        var s = "ticket_id,created_at,note\n"
        s.reserveCapacity(rows * 60)
        for i in 1...rows {
            if i % 1000 == 0 {
                s += "T\(i),2026-03-05 09:07:00,\"multi\nline, note \(i)\"\n"
            } else {
                s += "T\(i),2026-03-05 09:07:00,plain note number \(i) for padding\n"
            }
        }
        return Array(s.utf8)
    }

    static func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data.prefix(64), as: UTF8.self)
    }

    @Test(arguments: [false, true])
    func fiftyThousandRows(gzip: Bool) throws {
        let rows = 50_000
        let plain = Self.makeCSV(rows: rows)
        let bytes = gzip ? F.gzip(plain) : plain
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(getpid())-\(gzip).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(plain.count > 2 << 20)  // three 1 MiB blocks decompressed

        var count = 0
        var lastLine = 0
        var lastID = ""
        var multi = 0
        var headerSeen: [String] = []
        let info = try CSVFileReader(path: path, displayName: "tickets.csv", options: F.options()).read(
            header: { headerSeen = $0.strings() },
            record: { r in
                count += 1
                lastLine = r.location.line
                lastID = r.string(0)
                if r[2].array.contains(UInt8(ascii: "\n")) { multi += 1 }
                #expect(r.location.record == count)
            },
            reject: { Issue.record("unexpected reject \($0)") })
        #expect(headerSeen == ["ticket_id", "created_at", "note"])
        #expect(count == rows)
        #expect(multi == rows / 1000)
        // Each multi-line record adds one line: header + rows + 50 extra lines.
        #expect(lastLine == 1 + rows + rows / 1000 - 1)
        #expect(lastID == "T\(rows)")
        #expect(info.records == rows)
        #expect(info.gzip == gzip)
        #expect(info.bytes == bytes.count)
        #expect(info.sha256 == (try Self.sha256sum(path)))
    }

    @Test func missingFile() {
        let r = CSVFileReader(path: "/nonexistent/orders.csv", options: F.options())
        #expect(F.collect(r).ingestError == .inputMissing(path: "/nonexistent/orders.csv"))
        let d = CSVFileReader(path: "/tmp", options: F.options())
        guard case .unreadable = F.collect(d).ingestError else {
            Issue.record("a folder should be unreadable")
            return
        }
    }
}
