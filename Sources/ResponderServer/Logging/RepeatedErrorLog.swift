import Foundation
import Logging
import Synchronization

/// An error that repeats (every delivery refused while the journal is down) logged at most once per window: the first
/// occurrence at once, then one line per window saying how many more there were. The metric
/// (`responder_deliveries_total{outcome="unavailable"}`) still counts every one.
final class RepeatedErrorLog: Sendable {
    private struct State {
        var lineAt: Date?
        var suppressed = 0
    }

    private let state = Mutex(State())
    private let window: TimeInterval

    /// One line per `window` seconds at most.
    init(window: TimeInterval = 60) {
        self.window = window
    }

    /// Logs `message` (with `metadata`) on `logger` unless a line was logged less than the window before `now`; then it
    /// is only counted, and the next line says how many were left out.
    func error(_ message: String, metadata: Logger.Metadata, on logger: Logger, now: Date) {
        let window = self.window
        let leftOut: Int? = state.withLock { state in
            if let last = state.lineAt, now >= last, now.timeIntervalSince(last) < window {
                state.suppressed = state.suppressed == Int.max ? Int.max : state.suppressed + 1
                return nil
            }
            let count = state.suppressed
            state.lineAt = now
            state.suppressed = 0
            return count
        }
        guard let leftOut else { return }
        let text = leftOut > 0 ? "\(message) (and \(leftOut) more since the last line)" : message
        logger.error("\(text)", metadata: metadata)
    }
}
