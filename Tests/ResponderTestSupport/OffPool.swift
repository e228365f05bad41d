import Foundation

/// Blocking work (waiting for a child process, reading its pipe, a socket with a timeout) run on a thread of its own.
///
/// Swift concurrency shares one thread per core among every test of the process: two tests blocking there (a headless
/// Chromium run, a `Task.detached` socket read) left none for the others, and local servers answering on it (a gauge
/// Prometheus scrapes with a 1 s timeout) stopped answering. Seen in full-suite runs on 2 cores.
public enum OffPool {
    /// The result of `work`, run on a new thread; the calling task waits without holding a thread.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    /// The result of non-throwing `work`, run on a new thread.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.start()
        }
    }

    /// Waits for `process` to exit without holding one of Swift concurrency's threads.
    public static func waitUntilExit(_ process: Process) async {
        await run { process.waitUntilExit() }
    }
}
