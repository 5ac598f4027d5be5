import SLAFast
import SLAModel

/// A small bounded hand-off of reusable byte blocks between one producer thread (read, hash,
/// inflate) and one consumer thread (parse). A fixed set of blocks cycles between a free queue
/// and a filled queue (two `BoundedQueue`s of block numbers, each able to hold every block), so
/// memory stays at `count × size` whatever the file size, and the producer waits when the
/// consumer falls behind.
///
/// The producer ends the stream with `finish(error:)`; the consumer sees the blocks filled before
/// it, then the error. The consumer may `cancel()` to make a waiting producer give up.
final class BlockQueue: @unchecked Sendable {
    /// One block: its number in the set, where its bytes are and how many of them are filled.
    struct Block {
        var index: Int
        /// The block's `blockSize` bytes, for the producer (`BlockProducer`) to fill between
        /// `acquire` and `push`: it hands them to read(2) and zlib as a pointer. Safe because only
        /// the side holding the block touches them, and the queue keeps the storage to its end.
        var base: UnsafeMutableRawPointer
        var count: Int
        /// The block's capacity (the queue's `blockSize`).
        let size: Int

        /// The filled bytes, for the consumer between `next` and `release`.
        var bytes: ByteView {
            assert(count >= 0 && count <= size, "block filled past its size")
            // Safe: count <= blockSize (push and the producer fill at most a block), and the
            // consumer reads it only between `next` and `release`, while the queue is alive.
            return ByteView(UnsafeRawBufferPointer(start: base, count: count))
        }
    }

    let blockSize: Int
    private let storage: [UnsafeMutableRawPointer]
    private let free: BoundedQueue<Int, Never>
    private let filled: BoundedQueue<(index: Int, count: Int), IngestError>

    /// Safe: the blocks are allocated here and freed in `deinit`, and a `Block` is only used by
    /// the producer and the consumer, which both hold the queue while they use it.
    init(blocks: Int, blockSize: Int) {
        assert(blocks >= 1 && blockSize >= 1, "BlockQueue: \(blocks) blocks of \(blockSize) bytes")
        self.blockSize = blockSize
        // Safe: each block is blockSize bytes, freed once in deinit (see above).
        storage = (0..<blocks).map { _ in UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16) }
        free = BoundedQueue(capacity: blocks)
        filled = BoundedQueue(capacity: blocks)
        for i in 0..<blocks { free.send(i) }
    }

    deinit {
        for p in storage { p.deallocate() }
    }

    // MARK: Producer side

    /// A free block to fill, or nil when the consumer has cancelled.
    func acquire() -> Block? {
        guard let i = free.receive() else { return nil }
        return Block(index: i, base: storage[i], count: 0, size: blockSize)
    }

    /// Hands a filled block to the consumer (an empty one goes straight back to the free list).
    func push(_ block: Block) {
        if block.count == 0 {
            free.send(block.index)
        } else {
            filled.send((block.index, block.count))
        }
    }

    /// Ends the stream: nothing more will be pushed.
    func finish(error: IngestError?) {
        filled.close(throwing: error)
    }

    // MARK: Consumer side

    /// The next filled block; nil at the clean end of the stream. Throws the producer's error
    /// after the blocks filled before it.
    func next() throws(IngestError) -> Block? {
        guard let (i, n) = try filled.receive() else { return nil }
        return Block(index: i, base: storage[i], count: n, size: blockSize)
    }

    /// Gives a consumed block back to the producer.
    func release(_ block: Block) {
        free.send(block.index)
    }

    /// The consumer stops early: wake and stop the producer.
    func cancel() {
        free.cancel()
        filled.cancel()
    }

    var isCancelled: Bool { free.isCancelled }
}
