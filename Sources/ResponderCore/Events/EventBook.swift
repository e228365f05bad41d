import Foundation

/// Scheduled events kept in memory by the rules the stores (``EventStore``) keep them by: ids `evt-N` in scheduling
/// order, ``EventRules`` checked against the events not cancelled that end after now, an occurrence of a recurring
/// schedule created once (``EventProblem/alreadyScheduled(_:)`` after that, even when cancelled), a move through
/// ``ScheduledEvent/moved(start:end:timeZone:others:check:)``, and a cancellation that gives an event whose run started
/// a new revision so that run is told. `responder simulate` keeps a scenario's events here and drives them with what
/// the server's run driver uses (``EventSchedule``, ``EventPreparation``, ``EventAlert``), so they behave alike.
public struct EventBook: Sendable, Equatable {
    /// Every event, in scheduling order.
    public private(set) var events: [ScheduledEvent] = []

    /// An empty book.
    public init() {}

    /// The event `id`, nil when there is none.
    public func event(id: String) -> ScheduledEvent? {
        events.first { $0.id == id }
    }

    /// The latest event called `name`, nil when there is none.
    public func event(named name: String) -> ScheduledEvent? {
        events.last { $0.name == name }
    }

    /// Stores `draft` as the next `evt-<n>` when ``EventRules`` accepts it against the events not cancelled that end
    /// after `now`; the problem instead (``EventProblem/alreadyScheduled(_:)`` for an occurrence that exists).
    public mutating func schedule(_ draft: EventDraft, playbooks: PlaybookSet, now: Date) -> Result<ScheduledEvent, EventProblem> {
        if let occurrence = draft.occurrence,
           let existing = events.first(where: { $0.playbook == draft.playbook && $0.occurrence == occurrence }) {
            return .failure(.alreadyScheduled(existing.id))
        }
        let others = events.filter { $0.cancelledAt == nil && $0.end > now }
        switch EventRules.check(draft, playbooks: playbooks, others: others, now: now) {
        case .failure(let problem):
            return .failure(problem)
        case .success(let prepareAt):
            let event = ScheduledEvent(
                id: "evt-\(events.count + 1)", playbook: draft.playbook, name: draft.name, start: draft.start, end: draft.end,
                timeZone: draft.timeZone, prepareAt: prepareAt, labels: draft.labels, annotations: draft.annotations,
                scheduledBy: draft.scheduledBy, createdAt: now, occurrence: draft.occurrence
            )
            events.append(event)
            return .success(event)
        }
    }

    /// Schedules the occurrences among `drafts` (what ``EventSchedule/drafts(for:now:)`` asks for at `now`) that are
    /// not events yet, as the server's run driver does; an occurrence the rules refuse is returned with its problem
    /// and is asked for again next time, as by the driver.
    public mutating func scheduleOccurrences(_ drafts: [EventDraft], playbooks: PlaybookSet, now: Date)
        -> [(draft: EventDraft, outcome: Result<ScheduledEvent, EventProblem>)] {
        let existing = Set(events.compactMap { event in event.occurrence.map { "\(event.playbook) \($0)" } })
        return drafts.filter { !existing.contains("\($0.playbook) \($0.occurrence ?? "")") }
            .map { draft in (draft, schedule(draft, playbooks: playbooks, now: now)) }
    }

    /// Moves event `id` to `start`...`end` (its zone too when `timeZone` is given) when
    /// ``EventRules/checkMove(of:start:end:playbooks:others:now:)`` accepts it; the problem instead, nil when there is
    /// no such event.
    public mutating func move(id: String, start: Date, end: Date, timeZone: String?, playbooks: PlaybookSet,
                              now: Date) -> Result<ScheduledEvent, EventProblem>? {
        guard let index = events.firstIndex(where: { $0.id == id }) else { return nil }
        let others = events.filter { $0.cancelledAt == nil && $0.end > now && $0.id != id }
        let moved = events[index].moved(start: start, end: end, timeZone: timeZone, others: others) { stored, others in
            EventRules.checkMove(of: stored, start: start, end: end, playbooks: playbooks, others: others, now: now)
        }
        if case .success(let event) = moved { events[index] = event }
        return moved
    }

    /// Cancels event `id` by `actor`: one whose run started gets a new revision so the run is told (as `mode` says). A
    /// second cancel changes nothing. Nil when there is no such event.
    public mutating func cancel(id: String, by actor: String, mode: ScheduledEvent.CancelMode, now: Date) -> ScheduledEvent? {
        guard let index = events.firstIndex(where: { $0.id == id }) else { return nil }
        guard events[index].cancelledAt == nil else { return events[index] }
        events[index].cancelledAt = now
        events[index].cancelledBy = actor
        events[index].cancelMode = mode
        if events[index].preparedAt != nil { events[index].revision += 1 }
        return events[index]
    }

    /// Events not cancelled and not prepared whose preparation time is at or before `now`, oldest first, then events
    /// whose run must be told of a move or a cancellation.
    public func due(at now: Date) -> [ScheduledEvent] {
        let waiting = events.filter { $0.cancelledAt == nil && $0.preparedAt == nil && $0.prepareAt <= now }
        // A stable sort: events preparing at the same instant keep their scheduling order, as the stores' `seq`.
        let byTime = waiting.enumerated().sorted { ($0.element.prepareAt, $0.offset) < ($1.element.prepareAt, $1.offset) }
        return byTime.map(\.element) + events.filter(\.runNeedsUpdate)
    }

    /// The earliest preparation time of an event not cancelled and not prepared; the distant past when a run waits for
    /// an update. Nil when nothing is to come.
    public var nextPreparation: Date? {
        if events.contains(where: \.runNeedsUpdate) { return .distantPast }
        return events.filter { $0.cancelledAt == nil && $0.preparedAt == nil }.map(\.prepareAt).min()
    }

    /// Marks `event` prepared at its revision (its alert is then handed to the engine) when it is still at that
    /// revision and due; false when it changed in between.
    public mutating func markPrepared(_ event: ScheduledEvent, at now: Date) -> Bool {
        guard let index = events.firstIndex(where: { $0.id == event.id }), events[index].revision == event.revision else {
            return false
        }
        let stored = events[index]
        guard (stored.cancelledAt == nil && stored.preparedAt == nil) || stored.runNeedsUpdate else { return false }
        events[index].preparedAt = stored.preparedAt ?? now
        events[index].preparedRevision = stored.revision
        return true
    }
}
