import Foundation

/// The notifications queued and not delivered yet (nor given up): how many per channel and when the oldest was queued.
/// The notification service reads it every few seconds for `/metrics` (`responder_outbox_pending{channel}`,
/// `responder_outbox_oldest_pending_seconds`).
public struct OutboxBacklog: Sendable, Equatable {
    /// Pending notifications by channel (a channel left out has none).
    public var pending: [OutboundNotification.Channel: Int]
    /// When the oldest pending notification was queued; nil when none is pending.
    public var oldestQueuedAt: Date?

    /// A backlog as given.
    public init(pending: [OutboundNotification.Channel: Int] = [:], oldestQueuedAt: Date? = nil) {
        self.pending = pending
        self.oldestQueuedAt = oldestQueuedAt
    }
}
