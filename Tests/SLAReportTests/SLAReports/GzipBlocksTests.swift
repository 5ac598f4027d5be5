import CZlib
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

/// Blocks deflated on their own and joined by `GzipBlocks` are one ordinary gzip member: zlib's
/// own reader (which checks the CRC-32 and the length) gives back the blocks' bytes in order.
@Suite struct GzipBlocksTests {
    /// The whole stream inflated with windowBits 31 (gzip wrapper): the bytes, and whether the
    /// stream ended exactly at its end (Z_STREAM_END, trailer checked, nothing after it).
    static func gunzip(_ gz: [UInt8]) -> (bytes: [UInt8], ended: Bool) {
        var s = z_stream()
        precondition(CZlib_inflateInit2(&s, 31) == Z_OK)
        defer { inflateEnd(&s) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        var input = gz
        var rc: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { inp in
            s.next_in = inp.baseAddress
            s.avail_in = UInt32(inp.count)
            repeat {
                buf.withUnsafeMutableBufferPointer { o in
                    s.next_out = o.baseAddress
                    s.avail_out = UInt32(o.count)
                    rc = inflate(&s, Z_NO_FLUSH)
                    out += o.prefix(o.count - Int(s.avail_out))
                }
            } while rc == Z_OK
        }
        return (out, rc == Z_STREAM_END && s.avail_in == 0)
    }

    @Test(arguments: [
        [],  // header and trailer only: an empty file
        ["table,id\r\n"],
        ["table,id\r\n", "", "tickets,T1\r\n"],  // an empty block in between
        ["a", String(repeating: "tickets,T2,O9,first_response,met\r\n", count: 20_000), "", "z\r\n"],
    ])
    func blocksInOrderAreOneMember(_ parts: [String]) {
        let sink = ReportsStreamingTests.MemorySink()
        var gz = GzipBlocks(sink: sink)
        for p in parts { gz.append(GzipBlocks.compress(Array(p.utf8))) }
        gz.finish()
        let (bytes, ended) = Self.gunzip(sink.bytes)
        #expect(ended)
        #expect(bytes == Array(parts.joined().utf8))
        // No name and no time in the header: the same input gives the same file.
        #expect(Array(sink.bytes.prefix(10)) == [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
    }

    @Test func aDamagedBlockFailsTheCheck() {
        let sink = ReportsStreamingTests.MemorySink()
        var gz = GzipBlocks(sink: sink)
        var block = GzipBlocks.compress(Array("tickets,T1\r\n".utf8))
        block.crc ^= 1  // as if the bytes did not match what the trailer claims
        gz.append(block)
        gz.finish()
        #expect(!Self.gunzip(sink.bytes).ended)
    }
}
