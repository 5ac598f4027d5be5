import Testing

@testable import SLAFast

/// The parallel primitives of `Workers.swift`: each check holds whatever the threads' timing.
@Suite struct WorkersTests {
    struct Stop: Error, Equatable { let code: Int }

    @Test(arguments: [(0, 4), (1, 4), (7, 2), (7, 7), (100, 3), (5, 100)])
    func forEachRunsEveryIndexOnce(count: Int, width: Int) {
        let seen = Locked([Int](repeating: 0, count: count))
        Workers.forEach(count: count, width: width) { i in seen.withLock { $0[i] += 1 } }
        #expect(seen.withLock { $0 } == [Int](repeating: 1, count: count))
    }

    @Test func mapKeepsIndexOrder() {
        #expect(Workers.map(count: 50, width: 3) { $0 * $0 } == (0..<50).map { $0 * $0 })
        #expect(Workers.map(count: 9) { "\($0)" } == (0..<9).map { "\($0)" })
        #expect(Workers.map(count: 0) { $0 }.isEmpty)
    }

    @Test func bothReturnsBoth() {
        let (a, b) = Workers.both({ 6 * 7 }, { "x" + "y" })
        #expect(a == 42 && b == "xy")
    }

    @Test func lockedCountsEveryIncrement() {
        let total = Locked(0)
        Workers.forEach(count: 8) { _ in
            for _ in 0..<1000 { total.withLock { $0 += 1 } }
        }
        #expect(total.withLock { $0 } == 8000)
    }

    @Test func workerJoinSeesItsWrites() throws {
        let out = Locked<[Int]>([])
        let w = try Workers.start { out.withLock { $0 = [1, 2, 3] } }
        w.join()
        w.join()  // a second join returns at once
        #expect(out.withLock { $0 } == [1, 2, 3])
    }

    /// The items come out in order, then the error; the sender is never more than `capacity`
    /// items ahead of the receiver.
    @Test func queueHandsOverInOrderAndBlocksAtCapacity() throws {
        let capacity = 2
        let queue = BoundedQueue<Int, Stop>(capacity: capacity)
        let sent = Locked(0)
        let producer = try Workers.start {
            for i in 0..<20 {
                queue.send(i)
                sent.withLock { $0 += 1 }
            }
            queue.close(throwing: Stop(code: 7))
        }
        var received: [Int] = []
        do {
            while let i = try queue.receive() {
                received.append(i)
                // `received.count` taken out, at most `capacity` more queued.
                let ahead = sent.withLock { $0 }
                #expect(ahead <= received.count + capacity)
            }
            Issue.record("the queue ended without its error")
        } catch {
            #expect(error == Stop(code: 7))
        }
        producer.join()
        #expect(received == Array(0..<20))
    }

    @Test func queueEndsCleanlyWithoutError() throws {
        let queue = BoundedQueue<String, Never>(capacity: 1)
        let producer = try Workers.start {
            queue.send("a")
            queue.send("b")
            queue.close()
        }
        #expect(queue.receive() == "a")
        #expect(queue.receive() == "b")
        #expect(queue.receive() == nil)
        #expect(queue.receive() == nil)
        producer.join()
    }

    /// `cancel` wakes a sender waiting for room; later sends fail and receives end.
    @Test func queueCancelStopsTheSender() throws {
        let queue = BoundedQueue<Int, Never>(capacity: 1)
        let producer = try Workers.start {
            var i = 0
            while queue.send(i) { i += 1 }
        }
        #expect(queue.receive() == 0)
        queue.cancel()
        producer.join()  // returns only because the waiting send gave up
        #expect(queue.isCancelled)
        #expect(queue.receive() == nil)
        #expect(!queue.send(99))
    }

    @Test func unboundedSendPassesAFullQueue() {
        let queue = BoundedQueue<Int, Never>(capacity: 1)
        queue.send(1)
        queue.send(2, waitForRoom: false)
        queue.close()
        #expect(queue.receive() == 1)
        #expect(queue.receive() == 2)
        #expect(queue.receive() == nil)
    }
}
