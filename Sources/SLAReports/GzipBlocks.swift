import CZlib
import SLAFast
import SLAMetrics
import SLAModel

/// A gzip file of one member whose data is compressed in independent blocks, so blocks can be
/// compressed on several threads (pigz's layout): each block is a raw deflate stream ended with
/// a sync flush (byte-aligned, no final bit), so the blocks in order are one deflate stream;
/// `finish` adds an empty final block, the CRC-32 combined from the blocks' and the length.
/// Any gzip reader sees an ordinary file. The header carries no name and no time, so the same
/// bytes in give the same file.
struct GzipBlocks {
    /// zlib's fastest level: the export is meant to be loaded, not archived, and level 6 took
    /// three times as long for a file about a fifth smaller.
    static let level: Int32 = 1

    /// One compressed block: its deflate bytes, and the CRC-32 and length of its input.
    struct Block: Sendable {
        var bytes: [UInt8]
        var crc: UInt
        var count: Int
    }

    private let sink: ByteSink
    private var crc: UInt = 0
    private var length: UInt64 = 0

    /// Writes the gzip header to `sink`.
    init(sink: ByteSink) {
        self.sink = sink
        // Magic, deflate, no flags, no modification time, no extra flags, OS unknown.
        sink.write([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
    }

    /// `raw` deflated as a block of the stream (empty for empty input). Any thread.
    static func compress(_ raw: [UInt8]) -> Block {
        guard !raw.isEmpty else { return Block(bytes: [], crc: 0, count: 0) }
        var z = z_stream()
        let rc = CZlib_deflateInit2(&z, level, -15)
        precondition(rc == Z_OK, "deflateInit2 failed: \(rc)")
        defer { deflateEnd(&z) }
        // Room for the worst case plus the sync flush's marker, so one call finishes.
        let room = Int(deflateBound(&z, UInt(raw.count))) + 64
        var out = [UInt8](repeating: 0, count: room)
        // Safe: crc32 and deflate read the input.count bytes of `raw` (non-empty: base non-nil;
        // `mutating` is zlib's signature, it does not write) and deflate writes at most
        // output.count = avail_out bytes of `out`, all inside the closures.
        assert(raw.count <= Int(UInt32.max) && room <= Int(UInt32.max))
        let crc = raw.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        var produced = 0
        raw.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                z.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                z.avail_in = UInt32(input.count)
                z.next_out = output.baseAddress
                z.avail_out = UInt32(output.count)
                let r = deflate(&z, Z_SYNC_FLUSH)
                precondition(r == Z_OK && z.avail_in == 0 && z.avail_out > 0, "deflate failed: \(r)")
                produced = output.count - Int(z.avail_out)
            }
        }
        out.removeSubrange(produced...)
        return Block(bytes: out, crc: crc, count: raw.count)
    }

    /// Appends the next block (blocks must come in order).
    mutating func append(_ b: Block) {
        guard b.count > 0 else { return }
        sink.write(b.bytes)
        crc = crc32_combine(crc, b.crc, off_t(b.count))
        length &+= UInt64(b.count)
    }

    /// The final empty block (fixed Huffman: BFINAL, BTYPE 01, end of block) and the trailer.
    func finish() {
        var tail: [UInt8] = [0x03, 0x00]
        for v in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: length)] {
            for k in 0..<4 { tail.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
        }
        sink.write(tail)
    }
}
