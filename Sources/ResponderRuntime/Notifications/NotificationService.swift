import Foundation
import Logging
import ResponderCore
import ResponderNotify
import ResponderTracing
import ServiceLifecycle
import Tracing

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
    /// Outcomes of attempts the store has not taken yet, oldest first.
    private var unrecorded: [Outcome] = []
    /// Whether the "not recorded" warning was logged and the store has not answered since.
    private var outcomeWaiting = false
    /// Told the outbox's backlog whenever it is read (`/metrics` shows it without a store read at the scrape).
    private let backlogObserved: @Sendable (OutboxBacklog, Date) -> Void
    /// When the backlog was last read for ``backlogObserved``.
    private var lastBacklogRead = Date.distantPast
    /// The runs' trace contexts, which each delivery attempt's span links to.
    private let traces: TraceMemory

    /// Creates the service.
    public init(outbox: any NotificationOutbox, delivery: any NotificationDelivery, backoff: Backoff = Backoff(),
                heartbeat: Duration = .seconds(5), logger: Logger, clock: any WallClock = SystemWallClock(),
                backlogObserved: @escaping @Sendable (OutboxBacklog, Date) -> Void = { _, _ in },
                traces: TraceMemory = TraceMemory()) {
        self.traces = traces
        self.backlogObserved = backlogObserved
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
                await observeBacklog()
                await sleep()
            }
        } onGracefulShutdown: { [wakeUp] in
            wakeUp.wake()
        }
        if !unrecorded.isEmpty {
            logger.error("stopping with notification outcomes the store never took; those notifications may be sent again",
                         metadata: ["unrecorded": "\(unrecorded.count)"])
        }
    }

    /// Delivers everything due now (one pass per queue head until nothing is due); for tests and the loop. Outcomes
    /// the store could not take yet are recorded first: until they are, nothing new is taken.
    public func drain() async {
        guard await recordOutcomes() else { return }
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
            for item in due {
                unrecorded.append(await attempt(item))
                guard await recordOutcomes() else { return }
            }
        }
    }

    /// How often the backlog is read for `/metrics`, in seconds.
    static let backlogReadInterval = 5.0

    /// Every ``backlogReadInterval`` reads the outbox's backlog and tells ``backlogObserved``; a store that fails
    /// leaves the last reading. For tests and the loop.
    public func observeBacklog() async {
        let at = now
        guard at.timeIntervalSince(lastBacklogRead) >= Self.backlogReadInterval,
              let backlog = try? await outbox.outboxBacklog() else { return }
        lastBacklogRead = at
        backlogObserved(backlog, at)
    }

    /// What became of one attempt, to be written to the outbox.
    private enum Outcome {
        case delivered(id: Int64, attempts: Int, at: Date)
        case retry(id: Int64, attempts: Int, next: Date, error: String)
        case failed(id: Int64, attempts: Int, error: String, at: Date)
    }

    private func attempt(_ item: OutboxItem) async -> Outcome {
        let attempts = item.attempts + 1
        let what = Self.metadata(item, attempts: attempts)
        // Each attempt is a trace of its own (the outbox is durable and retried for hours), linked to the run's trace
        // while this process remembers it; the Slack or PagerDuty calls are its children.
        let note = item.notification
        var attributes: SpanAttributes = [
            "responder.run.id": "\(note.runID)", "responder.notification.channel": "\(note.channel.rawValue)",
            "responder.notification.kind": "\(note.kind.rawValue)",
        ]
        attributes["responder.notification.attempt"] = attempts
        let origin = traces.context(for: note.runID)
        do {
            try await Traced.span("notify \(note.channel.rawValue)", context: .topLevel, attributes: attributes) {
                span throws(NotifyError) in
                if let origin { span.addLink(SpanLink(context: origin, attributes: [:])) }
                try await delivery.deliver(item)
            }
            return .delivered(id: item.id, attempts: attempts, at: now)
        } catch {
            switch error {
            case .retryable(let message, let retryAfter):
                let delay = backoff.delay(afterAttempts: attempts, retryAfter: retryAfter)
                logger.warning("notification not delivered; will retry", metadata: what.merging(
                    ["error": "\(message)", "retry_in": "\(delay)"]) { $1 })
                return .retry(id: item.id, attempts: attempts, next: now.addingTimeInterval(delay.timeInterval),
                              error: error.description)
            case .permanent(let message):
                logger.error("notification refused for good", metadata: what.merging(["error": "\(message)"]) { $1 })
                return .failed(id: item.id, attempts: attempts, error: message, at: now)
            }
        }
    }

    /// Writes the outcomes not recorded yet, oldest first; false when the store refused one (it is kept and tried
    /// again soon: a delivered notification left unrecorded would be sent again once a shared store's claim ran out,
    /// a retry left unrecorded would wait for that claim instead of its backoff).
    private func recordOutcomes() async -> Bool {
        while let outcome = unrecorded.first {
            do {
                switch outcome {
                case .delivered(let id, let attempts, let at):
                    try await outbox.markDelivered(id, attempts: attempts, at: at)
                case .retry(let id, let attempts, let next, let error):
                    try await outbox.markRetry(id, attempts: attempts, next: next, error: error)
                case .failed(let id, let attempts, let error, let at):
                    try await outbox.markFailed(id, attempts: attempts, error: error, at: at)
                }
                unrecorded.removeFirst()
                if outcomeWaiting {
                    logger.notice("notification outcomes recorded after the store answered again")
                    outcomeWaiting = false
                }
            } catch {
                if !outcomeWaiting {
                    logger.warning("notification outcome not recorded; retrying until the store answers",
                                   metadata: ["error": "\(error)", "waiting": "\(unrecorded.count)"])
                    outcomeWaiting = true
                }
                return false
            }
        }
        return true
    }

    private static func metadata(_ item: OutboxItem, attempts: Int) -> Logger.Metadata {
        ["run": "\(item.notification.runID)", "channel": "\(item.notification.channel.rawValue)",
         "kind": "\(item.notification.kind.rawValue)", "attempt": "\(attempts)"]
    }

    private var now: Date { clock.now.date }

    private func sleep() async {
        if !unrecorded.isEmpty {
            // The store was refusing writes: try again soon, it may be back.
            await wakeUp.sleep(for: .milliseconds(250), on: clock)
            return
        }
        var delay = heartbeat
        if let next = try? await outbox.nextNotificationAttempt() {
            let until = Duration.clampedSeconds(max(0, next.timeIntervalSince(now)))
            delay = min(delay, until)
        }
        await wakeUp.sleep(for: delay, on: clock)
    }
}
