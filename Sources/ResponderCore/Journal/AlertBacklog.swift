/// Alerts the journal accepted but the run engine has not yet handled: the gap between "answered 2xx" and "run
/// persisted". A restart replays them, so a crash in that gap loses no trigger.
public protocol AlertBacklog: Sendable {
    /// Accepted alerts not yet marked processed, oldest first.
    func unprocessedAlerts(limit: Int) async throws(JournalError) -> [NormalizedAlert]

    /// Marks alerts (by idempotency key) as handled by the run engine.
    func markProcessed(_ idempotencyKeys: [String]) async throws(JournalError)
}
