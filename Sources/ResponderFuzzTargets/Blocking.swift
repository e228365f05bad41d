import Dispatch

/// Runs an async call to completion from the synchronous fuzz callback, so the targets drive the server's async entry
/// points (the SNS delivery processor, the Slack replay guard) and not a copy of their steps.
enum Blocking {
    /// The result of `body`, waiting on the calling thread while it runs on the global executor.
    static func run<Value: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () async throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let box = Box<Result<Value, Failure>>()
        let done = DispatchSemaphore(value: 0)
        // Not fire-and-forget: libFuzzer's callback is synchronous, and this thread waits below until the task ends.
        Task {
            do throws(Failure) {
                box.value = .success(try await body())
            } catch {
                box.value = .failure(error)
            }
            done.signal()
        }
        done.wait()
        // The task always stores a result before it signals, so the box is never empty here.
        guard let result = box.value else { preconditionFailure("Blocking.run: the task signalled without a result") }
        return try result.get()
    }

    // The semaphore orders the task's write before the caller's read, which is what makes the unchecked box safe.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}
