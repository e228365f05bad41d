import Foundation

/// Durable storage of runs, so a restart continues every open run where it was and still honours cooldowns.
///
/// Implementations commit before returning: once `save` returns, the runs survive a crash or power loss.
public protocol RunRepository: Sendable {
    /// Inserts or replaces `runs` (matched by id), all or none.
    func save(_ runs: [Run]) async throws(JournalError)

    /// Inserts or replaces `runs` and queues `notifications` about them, all or none.
    func save(_ runs: [Run], notifications: [OutboundNotification]) async throws(JournalError)

    /// Runs still able to act (status `active` or `held`), oldest start first.
    func openRuns() async throws(JournalError) -> [Run]

    /// The run with `id`, if stored.
    func run(id: String) async throws(JournalError) -> Run?

    /// The `limit` most recently started runs, newest start first.
    func recentRuns(limit: Int) async throws(JournalError) -> [Run]

    /// The `limit` most recent runs started by the alert with `fingerprint` (a scheduled event's, say), newest first.
    func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run]

    /// Runs that ended at or after `since`, oldest end first (cooldowns after a restart).
    func endedRuns(since: Date) async throws(JournalError) -> [Run]

    /// Ended runs that pass `query`, newest start first, at most `query.limit` after skipping `query.offset`.
    func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run]

    /// The highest run number ever stored (`run-N`), 0 when none: new ids continue after it, also once old runs are no
    /// longer loaded.
    func highestRunNumber() async throws(JournalError) -> Int

    /// Stored runs skipped because they cannot be used (see ``UnreadableRuns``), by id, with why.
    func unreadableRuns() async -> [String: String]
}

extension RunRepository {
    /// None: a store that cannot meet an unusable run (one in memory) has nothing to report.
    public func unreadableRuns() async -> [String: String] { [:] }

    /// Saves `runs` and queues `notifications` in one transaction where the store has an outbox; this default (for
    /// stores without one) saves the runs and drops the notifications.
    public func save(_ runs: [Run], notifications: [OutboundNotification]) async throws(JournalError) {
        try await save(runs)
    }
}
