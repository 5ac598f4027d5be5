import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// One way to run work in parallel.
//
// Every place in slareport that runs work on more than one thread uses the few primitives of
// this file, and nothing else creates a thread, a lock or a condition variable:
//
// - `Workers.forEach(count:width:_:)` / `Workers.map(count:width:_:)` / `Workers.both(_:_:)`:
//   a bounded parallel loop that returns when every iteration has run (results in index order).
//   It is the only user of `DispatchQueue.concurrentPerform`; the loop's end is the hand-over
//   point, so what the iterations wrote is visible to the caller afterwards.
// - `Workers.start(_:)`: a long-lived thread (a file's reader, a background merge step) whose
//   handle the owner `join()`s; the only place a thread is created.
// - `Locked<State>`: state shared between threads, reached only inside `withLock`; the only lock.
// - `BoundedQueue<Element, Failure>`: a blocking hand-off between threads that bounds how many
//   items are in flight, ends with `close(throwing:)` (error propagation) and can be given up
//   with `cancel()`; the only condition variable.
//
// Why: with one pattern the places that share state are few and easy to find, each hand-over has
// one well-defined happens-before edge (end of a loop, `join`, the lock, the queue), and
// ThreadSanitizer sees only primitives it understands (pthread mutexes and condition variables,
// dispatch).

/// The bounded parallel loops and long-lived threads of slareport (see the top of this file).
public enum Workers {
    /// Runs `body(i)` once for every `i` in `0..<count`, at most `width` at a time (and no more
    /// than the machine's cores: dispatch's pool), and returns when all have run. With
    /// `count <= width` each index is an iteration of its own; otherwise `width` threads take
    /// interleaved indices (thread `t` runs `t`, `t + width`, …) so each gets early and late
    /// items alike.
    public static func forEach(count: Int, width: Int = .max, _ body: @Sendable (Int) -> Void) {
        require(count >= 0 && width >= 1, "Workers.forEach: count \(count), width \(width)")
        guard count > 0 else { return }
        if count <= width {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        } else {
            DispatchQueue.concurrentPerform(iterations: width) { t in
                for i in stride(from: t, to: count, by: width) { body(i) }
            }
        }
    }

    /// `[body(0), body(1), …, body(count - 1)]`, computed as `forEach(count:width:_:)` runs them.
    public static func map<T: Sendable>(count: Int, width: Int = .max, _ body: @Sendable (Int) -> T) -> [T] {
        require(count >= 0, "Workers.map: count \(count)")
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(buffer.baseAddress, count: count)
            forEach(count: count, width: width) { i in slots.initialize(i, to: body(i)) }
            initialized = count
        }
    }

    /// `(a(), b())`, the two run at the same time.
    public static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let first = Locked<A?>(nil)
        let second = Locked<B?>(nil)
        forEach(count: 2) { i in
            if i == 0 {
                let v = a()
                first.withLock { $0 = v }
            } else {
                let v = b()
                second.withLock { $0 = v }
            }
        }
        return (first.withLock { $0! }, second.withLock { $0! })
    }

    /// Runs `body` on a thread of its own (stack `stackSize` bytes) until it returns; the caller
    /// must `join()` the handle to wait for it and see what it wrote. Throws when the system will
    /// not start a thread (nothing has run then).
    public static func start(stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Void) throws(WorkerStartError)
        -> Worker
    {
        try Worker(stackSize: stackSize, body)
    }

    /// The buffer of `map`, written by the loop's iterations.
    ///
    /// Safe: `forEach` runs each index in `0..<count` exactly once, so every element is
    /// initialized once and no two threads touch the same element; the array takes the elements
    /// only after the loop has returned.
    private final class Slots<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T>?
        private let count: Int
        init(_ base: UnsafeMutablePointer<T>?, count: Int) {
            self.base = base
            self.count = count
        }
        func initialize(_ i: Int, to value: T) {
            assert(i >= 0 && i < count && base != nil, "Workers.map: slot \(i) of \(count)")
            (base! + i).initialize(to: value)
        }
    }
}

/// The system would not start a thread (`pthread_create`'s error number).
public struct WorkerStartError: Error, Sendable {
    public let code: Int32
}

/// A thread started by `Workers.start`. `join()` waits for its body to return; a handle dropped
/// without `join()` lets the thread finish on its own.
public final class Worker: @unchecked Sendable {
    // Only the owner (the thread that started it) calls `join`, so `joined` needs no lock.
    private var thread = pthread_t()
    private var joined = false

    fileprivate init(stackSize: Int, _ body: @escaping @Sendable () -> Void) throws(WorkerStartError) {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        // The body goes to the thread as a retained box, taken back (and released) there.
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pthread_create(
            &thread, &attr,
            { arg in
                // Safe: `arg` is the retained `Body` passed below, taken exactly once.
                assert(arg != nil, "Worker: no body")
                Unmanaged<Body>.fromOpaque(arg!).takeRetainedValue().run()
                return nil
            }, box)
        if rc != 0 {
            Unmanaged<Body>.fromOpaque(box).release()
            joined = true
            throw WorkerStartError(code: rc)
        }
    }

    /// Waits until the body has returned (at once when it already has). Everything the body
    /// wrote is visible to the caller afterwards.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    deinit {
        if !joined { pthread_detach(thread) }
    }

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}

/// State shared between threads, reached only inside `withLock` (a pthread mutex). Values that
/// go in or come out must not stay shared with another thread outside the lock.
public final class Locked<State>: @unchecked Sendable {
    private let mutex = Mutex()
    private var state: State

    public init(_ state: State) { self.state = state }

    /// `body` with the state, under the lock. Keep it short: other threads wait meanwhile.
    public func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        mutex.lock()
        defer { mutex.unlock() }
        return try body(&state)
    }
}

/// A blocking first-in first-out hand-off between threads that holds at most `capacity` items:
/// `send` waits while it is full, `receive` while it is empty. The sending side ends it with
/// `close(throwing:)`: the receiver gets the items sent before, then the error (or nil). The
/// receiving side may `cancel()`: waiting and later senders and receivers return at once (false,
/// nil) and the items still queued are dropped.
public final class BoundedQueue<Element, Failure: Error>: @unchecked Sendable {
    public let capacity: Int
    private let mutex = Mutex()
    private let changed: Condition
    // Guarded by `mutex`: the queued items are `items[head...]`.
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    private var failure: Failure?
    private var cancelled = false

    public init(capacity: Int) {
        require(capacity >= 1, "BoundedQueue: capacity \(capacity)")
        self.capacity = capacity
        changed = Condition(mutex)
        items.reserveCapacity(capacity)
    }

    /// Queues `item`, waiting while `capacity` items are queued (unless `waitForRoom` is false:
    /// the item goes past the bound, for the few that must never wait). False, and the item is
    /// dropped, when the receiver has cancelled.
    @discardableResult
    public func send(_ item: Element, waitForRoom: Bool = true) -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        assert(!closed, "BoundedQueue: send after close")
        while waitForRoom && items.count - head >= capacity && !cancelled { changed.wait() }
        if cancelled { return false }
        items.append(item)
        changed.broadcast()
        return true
    }

    /// Ends the queue: nothing more will be sent. `error` reaches the receiver after the items.
    public func close(throwing error: Failure? = nil) {
        mutex.lock()
        defer { mutex.unlock() }
        closed = true
        failure = error
        changed.broadcast()
    }

    /// The oldest item, waiting for one; nil at the clean end or once cancelled. Throws the
    /// error the queue was closed with, after the items sent before it.
    public func receive() throws(Failure) -> Element? {
        mutex.lock()
        defer { mutex.unlock() }
        while head == items.count && !closed && !cancelled { changed.wait() }
        if cancelled { return nil }
        if head < items.count {
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            changed.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// The receiver gives up: wakes every waiting thread and drops what is queued.
    public func cancel() {
        mutex.lock()
        defer { mutex.unlock() }
        cancelled = true
        items.removeAll()
        head = 0
        changed.broadcast()
    }

    public var isCancelled: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return cancelled
    }
}

/// A pthread mutex at a fixed address (a pthread_mutex_t must not move once used).
private final class Mutex {
    let raw: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        raw = .allocate(capacity: 1)
        raw.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(raw, nil)
        require(rc == 0, "pthread_mutex_init: \(rc)")
    }

    deinit {
        pthread_mutex_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    func lock() {
        let rc = pthread_mutex_lock(raw)
        assert(rc == 0, "pthread_mutex_lock: \(rc)")
    }

    func unlock() {
        let rc = pthread_mutex_unlock(raw)
        assert(rc == 0, "pthread_mutex_unlock: \(rc)")
    }
}

/// A pthread condition variable used with one `Mutex` (held by the caller of `wait`).
private final class Condition {
    let raw: UnsafeMutablePointer<pthread_cond_t>
    let mutex: Mutex

    init(_ mutex: Mutex) {
        self.mutex = mutex
        raw = .allocate(capacity: 1)
        raw.initialize(to: pthread_cond_t())
        let rc = pthread_cond_init(raw, nil)
        require(rc == 0, "pthread_cond_init: \(rc)")
    }

    deinit {
        pthread_cond_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    /// Releases the mutex, sleeps until woken, takes the mutex again (callers re-check their
    /// condition in a loop: wake-ups may be spurious).
    func wait() {
        let rc = pthread_cond_wait(raw, mutex.raw)
        assert(rc == 0, "pthread_cond_wait: \(rc)")
    }

    func broadcast() { pthread_cond_broadcast(raw) }
}
