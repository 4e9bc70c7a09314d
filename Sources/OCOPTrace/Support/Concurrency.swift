import Foundation
import Synchronization

/// `transform` of each index of `0..<count`, in order, computed on up to `workers` threads at once,
/// each taking one contiguous slice: for work per item that costs microseconds (signing, hashing,
/// verifying), where a task per item would cost more than the item.
func mapOnEveryCore<T>(_ count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                       _ transform: (Int) -> T) -> [T] {
    let workers = max(1, min(workers, count))
    guard workers > 1 else { return (0..<count).map(transform) }
    let results = ConcurrentResults<[T]>(count: workers)
    let size = (count + workers - 1) / workers
    withoutActuallyEscaping(transform) { transform in
        // @unchecked: concurrentPerform returns only once every slice is done, so `transform`
        // does not outlive this call, and each slice reads only what it is given.
        let shared = UncheckedSendable(transform)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            results.set(worker, (min(count, worker * size)..<min(count, (worker + 1) * size)).map(shared.value))
        }
    }
    return (0..<workers).flatMap { results.value($0) }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// One slot per parallel task, each written by its own task and read after all have finished.
final class ConcurrentResults<Value>: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var values: [Value?]

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func value(_ index: Int) -> Value {
        lock.lock()
        defer { lock.unlock() }
        return values[index]!
    }
}

/// A first-in first-out queue of limited size between one producing and one consuming thread.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every field is guarded by `condition`.
    struct Closed: Error {}

    private let condition = NSCondition()
    /// At most `capacity` items: removing from the front of so short an array costs nothing, and
    /// nothing popped stays referenced.
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false
    private var finished = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room, then appends. Throws once the consumer has closed the queue.
    func push(_ item: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        if closed { throw Closed() }
        items.append(item)
        condition.broadcast()
    }

    /// The producer has nothing more to add.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for an item; nil when the producer has finished and everything was taken, or on close.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished && !closed { condition.wait() }
        guard !items.isEmpty, !closed else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// The consumer stops taking items: a waiting producer wakes and gives up.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A small map whose entries are forgotten after `lifetime` seconds: for what the server reads on
/// every request and changes rarely (a product, by import), so that an import shows within seconds.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, expires: Double)]>([:])
    private let lifetime: Double
    private let capacity: Int

    init(lifetime: Double, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached value, or `load()`'s (cached unless it throws). The lock is not held while loading.
    func value(for key: Key, load: () async throws -> Value) async rethrows -> Value {
        let now = ProcessInfo.processInfo.systemUptime
        if let cached = entries.withLock({ entries in entries[key].flatMap { $0.expires > now ? $0.value : nil } }) {
            return cached
        }
        let value = try await load()
        let (lifetime, capacity) = (lifetime, capacity)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, now + lifetime)
        }
        return value
    }
}

/// `body` took longer than it may.
struct DeadlinePassed: Error {}

/// Runs `body`, and throws ``DeadlinePassed`` once `limit` has passed without its answer: for work
/// that may wait on the network for as long as a server is away. `body` is cancelled then, and
/// left to end in the background: a database client that does not heed cancellation (a query on a
/// connection the server dropped) must not hold the caller, as a task group would.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let work = Task { try await body() }
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            race.answer.withLock { $0 = continuation }
            let timer = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                work.cancel()
                race.finish(.failure(DeadlinePassed()))
            }
            Task {
                let result = await work.result
                timer.cancel()
                race.finish(result)
            }
        }
    } onCancel: {
        work.cancel()
    }
}

/// Whichever of the work and the timer ends first answers; the other finds nobody waiting.
private final class DeadlineRace<T: Sendable>: Sendable {
    let answer = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func finish(_ result: Result<T, any Error>) {
        answer.withLock { $0.take() }?.resume(with: result)
    }
}
