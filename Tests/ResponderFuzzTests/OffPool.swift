import Dispatch

/// Runs fuzz targets on a Dispatch thread. The targets that drive async code (the SNS processor, the Slack replay
/// guard) block their thread until it finishes; blocking one of Swift concurrency's cooperative threads, which the
/// tests run on, starved the very task they waited for once every thread of the pool waited (a hang on 2 cores).
enum OffPool {
    /// The value of `body`, computed on a global Dispatch queue.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }

    /// The error `body` throws, described, or nil when it returns.
    static func refusal(_ body: @escaping @Sendable () throws -> Void) async -> String? {
        await run {
            do {
                try body()
                return nil
            } catch {
                return "\(error)"
            }
        }
    }
}
