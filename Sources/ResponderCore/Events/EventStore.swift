import Foundation

/// Where scheduled events live (the SQLite journal, or PostgreSQL shared by replicas). Scheduling and moving check the
/// rules inside the store's transaction, so two replicas cannot both accept overlapping events.
public protocol EventStore: Sendable {
    /// Runs `check` on the events not cancelled that end after `now`, then stores `draft` with the preparation time it
    /// returned, as `evt-<n>`, in one transaction; the problem instead when `check` refused.
    func scheduleEvent(_ draft: EventDraft, at now: Date,
                       check: @escaping @Sendable ([ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>

    /// The event `id`, nil when there is none.
    func event(id: String) async throws(JournalError) -> ScheduledEvent?

    /// Events, soonest start first: those ending after `endingAfter` (every one when nil), at most `limit`.
    func events(endingAfter: Date?, limit: Int) async throws(JournalError) -> [ScheduledEvent]

    /// Events not cancelled and not prepared whose preparation time is at or before `now`, oldest first.
    func dueEvents(at now: Date, limit: Int) async throws(JournalError) -> [ScheduledEvent]

    /// The earliest preparation time of an event not cancelled and not prepared.
    func nextEventPreparation() async throws(JournalError) -> Date?

    /// Journals `alert` (the event's, ``EventAlert/alert(for:)``) as a delivery and marks the event prepared, in one
    /// transaction, only if it is still at `event.revision`, not cancelled and not prepared; false when it changed
    /// (moved, cancelled, or prepared by another replica).
    func prepareEvent(_ event: ScheduledEvent, alert: NormalizedAlert, at now: Date) async throws(JournalError) -> Bool

    /// Moves the start and end of event `id` (revision + 1) after `check` accepted them against the others, in one
    /// transaction; nil when there is no such event.
    func moveEvent(id: String, start: Date, end: Date, at now: Date,
                   check: @escaping @Sendable (ScheduledEvent, [ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>?

    /// Marks event `id` cancelled by `actor` (a second cancel changes nothing); nil when there is no such event.
    func cancelEvent(id: String, by actor: String, at now: Date) async throws(JournalError) -> ScheduledEvent?
}
