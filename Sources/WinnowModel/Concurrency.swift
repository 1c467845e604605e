public import Dispatch
import Synchronization

/// Maps a list on every core and returns the results in the list's order.
public enum ConcurrentMap {
    public static func run<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        guard !items.isEmpty else { return [] }
        return [R](unsafeUninitializedCapacity: items.count) { buffer, count in
            // Each index is written exactly once, by the one iteration that owns it.
            nonisolated(unsafe) let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                (base + i).initialize(to: transform(items[i]))
            }
            count = items.count
        }
    }
}

/// A thread-safe memo: the first caller of a key computes its value, later callers read it.
/// Two threads that miss the same key at once may both compute it; the values are equal.
public final class Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let values = Mutex<[Key: Value]>([:])

    public init() {}

    public func value(_ key: Key, _ make: () -> Value) -> Value {
        if let hit = values.withLock({ $0[key] }) { return hit }
        let made = make()
        values.withLock { $0[key] = made }
        return made
    }
}

extension DispatchQueue {
    /// Runs `work` on this queue and waits for it without holding a thread: for blocking work (a
    /// disk's flush, a file's write and sync) that should not occupy one of the few threads that
    /// run Swift's tasks.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, any Error>) in
            self.async { done.resume(with: Result { try work() }) }
        }
    }
}
