import CZlib
import SLAFast
import SLAModel

/// The producer half of a file read, run on its own thread: reads the raw bytes, counts them and
/// hashes them (SHA-256 of the bytes as stored), detects gzip by its magic `1f 8b` (never by
/// name), and pushes decompressed (or, for plain files, raw) blocks into a `BlockQueue`.
/// Inflating on this thread while the consumer parses puts the two on two cores.
///
/// gzip handling follows SPEC 2.2: every member of a multi-member stream is read; zero bytes after
/// the last member are accepted; any other trailing bytes, a stream that ends before its last
/// member does, and CRC, length or data errors are `IngestError.corruptGzip` with the offset in
/// the compressed bytes.
final class BlockProducer: @unchecked Sendable {
    private let source: ByteSource
    let queue: BlockQueue
    private let readSize: Int
    private var worker: Worker?

    // Written by the producer thread, read by the consumer only after `join()`.
    private(set) var rawBytes = 0
    private(set) var sha256 = ""
    private(set) var gzip = false
    private var digest: SHA256Digest?

    init(source: ByteSource, queue: BlockQueue, readSize: Int = 1 << 20) {
        self.source = source
        self.queue = queue
        self.readSize = readSize
    }

    /// Starts the producer thread.
    func start() {
        do {
            worker = try Workers.start { [self] in run() }
        } catch {
            // No second thread: the producer cannot run inline (the queue cannot hold the whole
            // file), so the read fails as an I/O error instead of deadlocking.
            let message = "cannot start reader thread (error \(error.code))"
            queue.finish(error: .unreadable(path: source.path, message: message))
        }
    }

    /// Stops a producer that is still running (consumer finished early) and waits for it.
    func stopAndJoin() {
        queue.cancel()
        join()
    }

    /// Waits for the producer thread to end; its counts and hash are then final.
    func join() {
        worker?.join()
        worker = nil
    }

    private func run() {
        digest = SHA256Digest()
        do throws(IngestError) {
            try body()
            finishDigest()
            queue.finish(error: nil)
        } catch {
            finishDigest()
            queue.finish(error: error)
        }
        source.close()
    }

    private func finishDigest() {
        guard let digest else { return }
        sha256 = digest.finish()
        self.digest = nil
    }

    /// Reads raw bytes into `p[0..<capacity]`, counting and hashing them.
    private func readRaw(_ p: UnsafeMutableRawPointer, _ capacity: Int) throws(IngestError) -> Int {
        // Safe: every caller passes the free tail of a buffer it holds (a block between `acquire`
        // and `push`, or the inflater's input buffer), `capacity` bytes long.
        assert(capacity > 0, "readRaw: no room")
        var span = UnsafeMutableRawBufferPointer(start: p, count: capacity).mutableBytes
        let n = try source.read(into: &span)
        assert(n >= 0 && n <= capacity, "ByteSource.read: \(n) bytes into \(capacity)")
        if n > 0 {
            rawBytes += n
            digest?.update(p, n)
        }
        return n
    }

    private func body() throws(IngestError) {
        guard var block = queue.acquire() else { return }
        // Enough bytes to see the magic (a 1-byte chunked source needs two reads).
        var n = 0
        while n < 2 {
            let r = try readRaw(block.base + n, queue.blockSize - n)
            if r == 0 { break }
            n += r
        }
        // Safe: the block holds blockSize raw bytes; b[0] and b[1] are read only when n >= 2.
        assert(n <= queue.blockSize)
        let b = block.base.assumingMemoryBound(to: UInt8.self)
        if n >= 2 && b[0] == 0x1f && b[1] == 0x8b {
            gzip = true
            try inflateAll(firstBlock: block, firstBytes: n)
            return
        }
        // Plain: the raw blocks are the data.
        while true {
            block.count = n
            queue.push(block)
            if n == 0 { return }
            guard let next = queue.acquire() else { return }
            block = next
            n = try readRaw(block.base, queue.blockSize)
        }
    }

    private func inflateAll(firstBlock: BlockQueue.Block, firstBytes: Int) throws(IngestError) {
        let path = source.path
        // Safe: inBuf holds readSize bytes, freed on every exit; the first block's bytes fit
        // (firstBytes <= blockSize <= readSize with the defaults: both are 1 MiB).
        assert(firstBytes >= 0 && firstBytes <= readSize, "first block larger than the input buffer")
        let inBuf = UnsafeMutablePointer<UInt8>.allocate(capacity: readSize)
        defer { inBuf.deallocate() }
        inBuf.update(from: firstBlock.base.assumingMemoryBound(to: UInt8.self), count: firstBytes)
        var inCount = firstBytes
        var inBase = 0  // raw offset of inBuf[0]
        var inEOF = false

        var strm = z_stream()
        guard CZlib_inflateInit2(&strm, 15 + 16) == Z_OK else {
            throw .unreadable(path: path, message: "zlib inflateInit2 failed")
        }
        defer { inflateEnd(&strm) }
        strm.next_in = inBuf
        strm.avail_in = UInt32(inCount)

        var block = firstBlock
        block.count = 0
        let outSize = queue.blockSize
        // Safe: zlib writes at most avail_out = blockSize bytes, the block's own.
        strm.next_out = block.base.assumingMemoryBound(to: UInt8.self)
        strm.avail_out = UInt32(outSize)
        var totalOut = 0

        // Safe: zlib keeps next_in inside inBuf[0...inCount] (it only advances it by what it
        // consumed), so the differences below are offsets into inBuf.
        func offset(_ s: z_stream) -> Int {
            inBase + (UnsafePointer(s.next_in!) - UnsafePointer(inBuf))
        }

        /// Refills the input buffer keeping the unconsumed bytes; false at end of input.
        func refill(_ s: inout z_stream) throws(IngestError) -> Bool {
            let left = Int(s.avail_in)
            let consumed = UnsafePointer(s.next_in!) - UnsafePointer(inBuf)
            assert(consumed >= 0 && consumed + left <= inCount && left < readSize)
            if left > 0 && consumed > 0 { inBuf.update(from: inBuf + consumed, count: left) }
            inBase += consumed
            let r = try readRaw(UnsafeMutableRawPointer(inBuf + left), readSize - left)
            inCount = left + r
            s.next_in = inBuf
            s.avail_in = UInt32(inCount)
            if r == 0 { inEOF = true }
            return r > 0
        }

        // On an error the data inflated since the last full block still goes to the consumer
        // first: with --keep-partial every row before the damage counts, not only those of
        // the full 1 MiB blocks (the caller drops them all otherwise).
        do throws(IngestError) {
            while true {
                if strm.avail_in == 0 && !inEOF { _ = try refill(&strm) }
                let before = Int(strm.avail_out)
                let ret = inflate(&strm, Z_NO_FLUSH)
                let produced = before - Int(strm.avail_out)
                block.count += produced
                totalOut += produced
                if strm.avail_out == 0 {
                    queue.push(block)
                    guard let next = queue.acquire() else { return }
                    block = next
                    block.count = 0
                    // Safe: a fresh block of blockSize = avail_out bytes.
                    strm.next_out = block.base.assumingMemoryBound(to: UInt8.self)
                    strm.avail_out = UInt32(outSize)
                }
                switch ret {
                case Z_OK, Z_BUF_ERROR:
                    if strm.avail_in == 0 && inEOF && produced == 0 {
                        throw .corruptGzip(
                            path: path, offset: offset(strm),
                            message: "truncated gzip stream (input ends after \(totalOut) uncompressed bytes)")
                    }
                case Z_STREAM_END:
                    // End of one member: another member, zero padding, or garbage may follow.
                    while strm.avail_in < 2 && !inEOF { _ = try refill(&strm) }
                    if strm.avail_in == 0 {
                        queue.push(block)
                        return
                    }
                    // Safe: next_in has avail_in readable bytes in inBuf; p[0] and p[1] only when
                    // avail_in >= 2, q[i] only for i < k = avail_in.
                    let p = strm.next_in!
                    if strm.avail_in >= 2 && p[0] == 0x1f && p[1] == 0x8b {
                        inflateReset(&strm)
                        continue
                    }
                    // Only zero bytes may follow.
                    while true {
                        let q = strm.next_in!
                        let k = Int(strm.avail_in)
                        var i = 0
                        while i < k && q[i] == 0 { i += 1 }
                        if i < k {
                            strm.next_in = q + i
                            throw .corruptGzip(
                                path: path, offset: offset(strm), message: "trailing garbage after gzip member")
                        }
                        strm.next_in = q + k
                        strm.avail_in = 0
                        if inEOF { break }
                        if try !refill(&strm) { break }
                    }
                    queue.push(block)
                    return
                case Z_DATA_ERROR:
                    let msg = strm.msg.map { String(cString: $0) } ?? "invalid data"
                    let text: String
                    if msg.contains("data check") {
                        text = "gzip CRC mismatch (\(msg))"
                    } else if msg.contains("length check") {
                        text = "gzip length mismatch (\(msg))"
                    } else {
                        text = "corrupt gzip data (\(msg))"
                    }
                    throw .corruptGzip(path: path, offset: offset(strm), message: text)
                case Z_MEM_ERROR:
                    throw .unreadable(path: path, message: "out of memory while inflating")
                default:
                    let msg = strm.msg.map { String(cString: $0) } ?? "zlib error \(ret)"
                    throw .corruptGzip(path: path, offset: offset(strm), message: "corrupt gzip data (\(msg))")
                }
            }
        } catch {
            if block.count > 0 { queue.push(block) }
            throw error
        }
    }
}
