import Foundation

/// A queued notification and its delivery state, as `GET /api/runs/{id}` shows it.
public struct OutboxItem: Sendable, Equatable {
    /// Queue position (deliveries of one run and channel happen in this order).
    public var id: Int64
    /// What to deliver.
    public var notification: OutboundNotification
    /// `pending`, `delivered` or `failed` (refused for good).
    public var status: Status
    /// Delivery attempts so far.
    public var attempts: Int
    /// Not before this time (backoff, `Retry-After`).
    public var nextAttemptAt: Date
    /// The last failure, if any.
    public var lastError: String?
    /// When it was delivered or given up.
    public var finishedAt: Date?

    /// Delivery state.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Waiting for (another) attempt.
        case pending
        /// Delivered.
        case delivered
        /// Refused for good (a 400, a bad token): not retried.
        case failed
    }

    /// Creates an item.
    public init(id: Int64, notification: OutboundNotification, status: Status, attempts: Int, nextAttemptAt: Date,
                lastError: String?, finishedAt: Date?) {
        self.id = id
        self.notification = notification
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.finishedAt = finishedAt
    }
}

/// The durable outbox the notification service drains. Notifications of one run on one channel are delivered in the
/// order they were queued: only the oldest pending one of each is ever due.
public protocol NotificationOutbox: Sendable {
    /// The oldest pending notification of each (run, channel) whose next attempt is due at `now`, oldest first.
    func dueNotifications(now: Date, limit: Int) async throws(JournalError) -> [OutboxItem]
    /// The earliest next attempt of any pending notification, nil when none is pending.
    func nextNotificationAttempt() async throws(JournalError) -> Date?
    /// Marks `id` delivered.
    func markDelivered(_ id: Int64, attempts: Int, at: Date) async throws(JournalError)
    /// Records a failed attempt of `id` and when to try again.
    func markRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws(JournalError)
    /// Marks `id` refused for good; later notifications of its run and channel go ahead.
    func markFailed(_ id: Int64, attempts: Int, error: String, at: Date) async throws(JournalError)
    /// Every notification of a run, oldest first.
    func notifications(runID: String) async throws(JournalError) -> [OutboxItem]
    /// How many notifications are pending, per channel, and when the oldest was queued (an indexed count).
    func outboxBacklog() async throws(JournalError) -> OutboxBacklog
}
