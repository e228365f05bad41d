import ResponderCore
import ResponderNotify

/// Delivers one queued notification to its channel (Slack, PagerDuty); throws how it failed.
public protocol NotificationDelivery: Sendable {
    /// Delivers `item`; a retryable error is tried again later, a permanent one is recorded and skipped.
    func deliver(_ item: OutboxItem) async throws(NotifyError)
}
