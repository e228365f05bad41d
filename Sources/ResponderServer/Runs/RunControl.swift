import Foundation
import ResponderCore

/// What the HTTP routes and the timer loop ask of the run engine's driver: ``RunCoordinator`` (one process, the SQLite
/// store) or ``SharedRunCoordinator`` (several replicas sharing PostgreSQL).
public protocol RunControl: Sendable {
    /// Newly journaled alerts are waiting to start or join runs.
    func alertsAccepted(_ alerts: [NormalizedAlert]) async
    /// Handles alerts accepted before a restart but never handled; called once at start-up.
    func replayBacklog() async
    /// Applies a person's command; throws when it does not apply.
    func command(_ command: RunCommand, runID: String, actor: String) async throws(RunCommandError)
    /// A run, open or ended.
    func run(id: String) async throws(JournalError) -> Run?
    /// Recent runs, newest first.
    func recentRuns(limit: Int) async throws(JournalError) -> [Run]
    /// Fires whatever is due now.
    func tick() async
    /// Returns at the next due time, when new work may have changed it, or after `heartbeat`, whichever is first.
    func waitForWork(heartbeat: Duration) async
}

extension RunCoordinator: RunControl {}
