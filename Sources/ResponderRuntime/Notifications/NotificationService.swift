import Foundation
import Logging
import ResponderCore
import ResponderNotify
import ServiceLifecycle

/// Drains the durable outbox: delivers each run's notifications in order, retries what failed with backoff (the
/// service's `Retry-After` when it gave one), and records failures for good without holding up the rest. Runs never
/// wait for it: they only queue.
public actor NotificationService: Service {
    /// How retries are spaced.
    public struct Backoff: Sendable {
        /// First retry delay.
        public var initial: Duration
        /// Longest delay between attempts.
        public var maximum: Duration

        /// Creates a backoff.
        public init(initial: Duration = .seconds(2), maximum: Duration = .seconds(300)) {
            self.initial = initial
            self.maximum = maximum
        }

        /// The delay after `attempts` failed attempts, at least `retryAfter`.
        func delay(afterAttempts attempts: Int, retryAfter: Duration?) -> Duration {
            var delay = initial
            // Doubling stops at the maximum, so a stored attempt count of any size costs a few iterations at most.
            var doublings = 1
            while doublings < attempts, (delay < maximum), (delay > .zero) {
                delay = delay * 2
                doublings += 1
            }
            delay = min(delay, maximum)
            if let retryAfter, retryAfter > delay { return min(retryAfter, .seconds(3600)) }
            return delay
        }
    }

    private let outbox: any NotificationOutbox
    private let delivery: any NotificationDelivery
    private let backoff: Backoff
    private let heartbeat: Duration
    private let logger: Logger
    private let clock: any WallClock
    private let wakeUp = WakeSignal()

    /// Creates the service.
    public init(outbox: any NotificationOutbox, delivery: any NotificationDelivery, backoff: Backoff = Backoff(),
                heartbeat: Duration = .seconds(5), logger: Logger, clock: any WallClock = SystemWallClock()) {
        self.outbox = outbox
        self.delivery = delivery
        self.backoff = backoff
        self.heartbeat = heartbeat
        self.logger = logger
        self.clock = clock
    }

    /// Something was queued: deliver it now instead of at the next heartbeat.
    public nonisolated func wake() {
        wakeUp.wake()
    }

    /// Delivers until the service group shuts down.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                await drain()
                await sleep()
            }
        } onGracefulShutdown: { [wakeUp] in
            wakeUp.wake()
        }
    }

    /// Delivers everything due now (one pass per queue head until nothing is due); for tests and the loop.
    public func drain() async {
        while true {
            let due: [OutboxItem]
            do {
                // Few at a time: a shared store hides what it hands out for a minute only, and each delivery may take
                // its whole 10 s timeout.
                due = try await outbox.dueNotifications(now: now, limit: 5)
            } catch {
                logger.error("outbox unreadable; retrying", metadata: ["error": "\(error)"])
                return
            }
            guard !due.isEmpty else { return }
            for item in due { await attempt(item) }
        }
    }

    private func attempt(_ item: OutboxItem) async {
        let attempts = item.attempts + 1
        let what: Logger.Metadata = ["run": "\(item.notification.runID)", "channel": "\(item.notification.channel.rawValue)",
                                     "kind": "\(item.notification.kind.rawValue)", "attempt": "\(attempts)"]
        do {
            do {
                try await delivery.deliver(item)
                try await outbox.markDelivered(item.id, attempts: attempts, at: now)
            } catch let error as NotifyError {
                switch error {
                case .retryable(let message, let retryAfter):
                    let delay = backoff.delay(afterAttempts: attempts, retryAfter: retryAfter)
                    logger.warning("notification not delivered; will retry", metadata: what.merging(
                        ["error": "\(message)", "retry_in": "\(delay)"]) { $1 })
                    try await outbox.markRetry(item.id, attempts: attempts, next: now.addingTimeInterval(delay.timeInterval),
                                               error: error.description)
                case .permanent(let message):
                    logger.error("notification refused for good", metadata: what.merging(["error": "\(message)"]) { $1 })
                    try await outbox.markFailed(item.id, attempts: attempts, error: message, at: now)
                }
            }
        } catch {
            logger.error("outbox not updated; the notification may be delivered again", metadata: what.merging(
                ["error": "\(error)"]) { $1 })
        }
    }

    private var now: Date { clock.now.date }

    private func sleep() async {
        var delay = heartbeat
        if let next = try? await outbox.nextNotificationAttempt() {
            let until = Duration.clampedSeconds(max(0, next.timeIntervalSince(now)))
            delay = min(delay, until)
        }
        await wakeUp.sleep(for: delay, on: clock)
    }
}
