import Foundation

/// Where scheduled events live (the SQLite journal, or PostgreSQL shared by replicas). Scheduling and moving check the
/// rules inside the store's transaction, so two replicas cannot both accept overlapping events.
public protocol EventStore: Sendable {
    /// Runs `check` on the events not cancelled that end after `now`, then stores `draft` with the preparation time it
    /// returned, as `evt-<n>`, in one transaction; the problem instead when `check` refused, or
    /// ``EventProblem/alreadyScheduled(_:)`` for an occurrence of a schedule that exists (cancelled or not).
    func scheduleEvent(_ draft: EventDraft, at now: Date,
                       check: @escaping @Sendable ([ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>

    /// The event `id`, nil when there is none.
    func event(id: String) async throws(JournalError) -> ScheduledEvent?

    /// Events, soonest start first: those ending after `endingAfter` (every one when nil), at most `limit`.
    func events(endingAfter: Date?, limit: Int) async throws(JournalError) -> [ScheduledEvent]

    /// Events not cancelled and not prepared whose preparation time is at or before `now`, oldest first, then events whose
    /// run must be told of a move or a cancellation (``ScheduledEvent/runNeedsUpdate``).
    func dueEvents(at now: Date, limit: Int) async throws(JournalError) -> [ScheduledEvent]

    /// The earliest preparation time of an event not cancelled and not prepared (`now` or earlier when a run waits for
    /// an update).
    func nextEventPreparation() async throws(JournalError) -> Date?

    /// Journals `alert` (the event's, ``EventAlert/alert(for:)``; none when there is nothing to journal) as a delivery
    /// and marks the event prepared at its revision, in one transaction, only if it is still at `event.revision` and
    /// due (not cancelled and not prepared, or its run waits for an update); false when it changed (moved, cancelled,
    /// or prepared by another replica).
    func prepareEvent(_ event: ScheduledEvent, alert: NormalizedAlert?, at now: Date) async throws(JournalError) -> Bool

    /// Moves the start and end of event `id` (revision + 1; its zone too when `timeZone` is given) after `check`
    /// accepted the move of the stored event (as read in the transaction) against the others, in one transaction; nil
    /// when there is no such event.
    func moveEvent(id: String, start: Date, end: Date, timeZone: String?, at now: Date,
                   check: @escaping @Sendable (ScheduledEvent, [ScheduledEvent]) -> Result<Date, EventProblem>)
        async throws(JournalError) -> Result<ScheduledEvent, EventProblem>?

    /// Marks event `id` cancelled by `actor` (a second cancel changes nothing); one whose run started gets a new revision
    /// so the run is told (its ladder starts now, or it is aborted, as `mode` says). Nil when there is no such event.
    func cancelEvent(id: String, by actor: String, mode: ScheduledEvent.CancelMode, at now: Date)
        async throws(JournalError) -> ScheduledEvent?
}
