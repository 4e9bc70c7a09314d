import Foundation

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

/// A counter shared by parallel tasks.
final class AtomicCounter: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var total = 0

    func add(_ amount: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        total += amount
        return total
    }
}
