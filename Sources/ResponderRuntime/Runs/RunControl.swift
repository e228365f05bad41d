import Foundation
import ResponderCore

/// What the HTTP routes ask of the run driver (``RunCoordinator``), so routes can be tested without one.
public protocol RunControl: Sendable {
    /// Newly journaled alerts are waiting to start or join runs; returns at once (the driver reads them back from the
    /// journal).
    func alertsAccepted()
    /// Applies a person's command; throws when it does not apply.
    func command(_ command: RunCommand, runID: String, actor: String) async throws(RunCommandError)
    /// A run, open or ended.
    func run(id: String) async throws(JournalError) -> Run?
    /// Recent runs, newest first.
    func recentRuns(limit: Int) async throws(JournalError) -> [Run]
    /// A scheduled event changed: the driver's next tick comes now (it tells a started run, prepares a moved event).
    func eventsChanged()
    /// Queues a chat message about a scheduled event.
    func announce(_ text: String, eventID: String) async
    /// Ended runs that pass `query`, newest start first.
    func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run]
    /// The most recent runs of one alert (a scheduled event's), newest first.
    func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run]
    /// Sets a pause and announces it.
    func pause(_ request: PauseRequest) async throws(JournalError) -> Pause
    /// Lifts the pauses `selection` picks and announces each; returns them.
    func liftPauses(_ selection: PauseSelection, by actor: String) async throws(JournalError) -> [Pause]
    /// Pauses not lifted, then those lifted since `liftedSince`.
    func pauses(liftedSince: Date, limit: Int) async throws(JournalError) -> [Pause]
}
