import Foundation
import SLAFast
import SLAModel

/// A small bounded hand-off of reusable byte blocks between one producer thread (read, hash,
/// inflate) and one consumer thread (parse). A fixed set of blocks cycles between a free list and
/// a filled list, so memory stays at `count × size` whatever the file size, and the producer
/// waits when the consumer falls behind.
///
/// The producer ends the stream with `finish(error:)`; the consumer sees the blocks filled before
/// it, then the error. The consumer may `cancel()` to make a waiting producer give up.
final class BlockQueue: @unchecked Sendable {
    struct Block {
        var index: Int
        var base: UnsafeMutableRawPointer
        var count: Int
    }

    let blockSize: Int
    private let storage: [UnsafeMutableRawPointer]
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var free: [Int]
    private var filled: [(index: Int, count: Int)] = []
    private var filledHead = 0
    private var finished = false
    private var failure: IngestError?
    private var cancelled = false

    init(blocks: Int, blockSize: Int) {
        self.blockSize = blockSize
        storage = (0..<blocks).map { _ in UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16) }
        free = Array((0..<blocks).reversed())
        filled.reserveCapacity(blocks)
    }

    deinit {
        for p in storage { p.deallocate() }
    }

    // MARK: Producer side

    /// A free block to fill, or nil when the consumer has cancelled.
    func acquire() -> Block? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !cancelled { condition.wait() }
        if cancelled { return nil }
        let i = free.removeLast()
        return Block(index: i, base: storage[i], count: 0)
    }

    /// Hands a filled block to the consumer (an empty one goes straight back to the free list).
    func push(_ block: Block) {
        condition.lock()
        if block.count == 0 {
            free.append(block.index)
        } else {
            filled.append((block.index, block.count))
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Ends the stream: nothing more will be pushed.
    func finish(error: IngestError?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Consumer side

    /// The next filled block; nil at the clean end of the stream. Throws the producer's error
    /// after the blocks filled before it.
    func next() throws(IngestError) -> Block? {
        condition.lock()
        defer { condition.unlock() }
        while filledHead == filled.count && !finished { condition.wait() }
        if filledHead < filled.count {
            let (i, n) = filled[filledHead]
            filledHead += 1
            if filledHead == filled.count {
                filled.removeAll(keepingCapacity: true)
                filledHead = 0
            }
            return Block(index: i, base: storage[i], count: n)
        }
        if let failure { throw failure }
        return nil
    }

    /// Gives a consumed block back to the producer.
    func release(_ block: Block) {
        condition.lock()
        free.append(block.index)
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops early: wake and stop the producer.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
