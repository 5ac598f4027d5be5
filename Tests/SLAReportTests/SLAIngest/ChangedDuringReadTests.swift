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

#if canImport(Glibc)
    import Glibc
#endif

/// bad-input-cases.md case 34 (input still being written), at the library level: a file that
/// grows between open and end of input is `changedDuringRead` (the CLI maps it to exit 75).
@Suite("Pipeline.changedDuringRead")
struct ChangedDuringReadTests {
    static func scratch(_ name: String = #function) throws -> String {
        let p = FileManager.default.temporaryDirectory
            .appendingPathComponent("slareport-changed-\(name.filter(\.isLetter))-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// One `read` filling at most all of `buffer`.
    static func read(_ src: ByteSource, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var span = buffer.mutableBytes
        return try src.read(into: &span)
    }

    @Test func aFileThatGrowsWhileReadIsAnError() throws {
        let path = try ChangedDuringReadTests.scratch() + "/tickets.csv"
        try Data("ticket_id,created_at,type\nT1,2026-11-16 10:00,inquiry\n".utf8).write(to: URL(fileURLWithPath: path))
        let src = try FileByteSource(path: path, name: path)
        var buf = [UInt8](repeating: 0, count: 16)
        #expect(try buf.withUnsafeMutableBytes { try Self.read(src, into: $0) } == 16)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data("T2,2026-11-16 11:00,inquiry\n".utf8))
        try h.close()
        var error: IngestError? = nil
        do {
            while try buf.withUnsafeMutableBytes({ try Self.read(src, into: $0) }) > 0 {}
        } catch let e as IngestError {
            error = e
        }
        #expect(error == .changedDuringRead(path: path))
    }

    @Test func aFileTruncatedWhileReadIsAnError() throws {
        let path = try ChangedDuringReadTests.scratch() + "/tickets.csv"
        try Data(String(repeating: "x", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let src = try FileByteSource(path: path, name: "tickets.csv")
        var buf = [UInt8](repeating: 0, count: 10)
        _ = try buf.withUnsafeMutableBytes { try Self.read(src, into: $0) }
        #expect(truncate(path, 20) == 0)
        #expect(throws: IngestError.changedDuringRead(path: "tickets.csv")) {
            while try buf.withUnsafeMutableBytes({ try Self.read(src, into: $0) }) > 0 {}
        }
    }

    @Test func anUnchangedFileReadsToTheEnd() throws {
        let path = try ChangedDuringReadTests.scratch() + "/tickets.csv"
        try Data(String(repeating: "y", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let src = try FileByteSource(path: path, name: path)
        var buf = [UInt8](repeating: 0, count: 7)
        var total = 0
        while true {
            let n = try buf.withUnsafeMutableBytes { try Self.read(src, into: $0) }
            if n == 0 { break }
            total += n
        }
        #expect(total == 100)
    }
}
