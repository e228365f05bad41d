import Foundation
import ResponderCore

/// `events`: a body of `POST /api/events` through what the server does with it: decode (``EventRequest``), read the
/// times (``EventTime``), check the rules against the repository's playbooks and two stored events (``EventRules``),
/// and for an accepted event, the alert it becomes and its plan (``EventAlert``, ``Planner``); and the same body as a
/// `PATCH` of a stored event whose run started.
///
/// Invariants: an accepted event starts before it ends, prepares at or before its start (or now, when the start is
/// within the grace in the past), and plans exactly the one playbook it names, a pre-event one, with every step due
/// (the window is known); an accepted move of a started event keeps its start and preparation time and its update
/// alert carries the new end; a refusal says something.
public enum EventsTarget {
    /// Stored events the overlap check sees: one on the autolytiq targets, one cancelled.
    static let stored: [ScheduledEvent] = {
        let start = FuzzFixtures.now.addingTimeInterval(86_400)
        return [
            ScheduledEvent(id: "evt-1", playbook: "autolytiq-pre-event", name: "stored", start: start,
                           end: start.addingTimeInterval(7200), prepareAt: start, scheduledBy: "fuzz", createdAt: FuzzFixtures.now),
            ScheduledEvent(id: "evt-2", playbook: "labelmint-pre-event", name: "cancelled", start: start,
                           end: start.addingTimeInterval(7200), prepareAt: start, scheduledBy: "fuzz", createdAt: FuzzFixtures.now,
                           cancelledAt: FuzzFixtures.now, cancelledBy: "fuzz"),
        ]
    }()

    /// Runs one body.
    public static func run(_ bytes: [UInt8]) throws {
        guard case .success(let request) = EventRequest.decode(bytes) else { return }
        let draft: EventDraft
        switch request.draft() {
        case .success(let read): draft = read
        case .failure(let problem):
            if problem.description.isEmpty { throw FuzzInvariantViolation(target: "events", "a refusal said nothing") }
            return
        }
        let set = FuzzFixtures.playbooks
        try checkMove(draft, set: set)
        let prepareAt: Date
        switch EventRules.check(draft, playbooks: set, others: stored, now: FuzzFixtures.now) {
        case .failure(let problem):
            if problem.description.isEmpty { throw FuzzInvariantViolation(target: "events", "a refusal said nothing") }
            return
        case .success(let date): prepareAt = date
        }
        guard draft.start < draft.end, prepareAt <= max(draft.start, FuzzFixtures.now) else {
            throw FuzzInvariantViolation(target: "events", "accepted \(draft.start)–\(draft.end) preparing at \(prepareAt)")
        }
        let event = ScheduledEvent(id: "evt-3", playbook: draft.playbook, name: draft.name, start: draft.start, end: draft.end,
                                   timeZone: draft.timeZone, prepareAt: prepareAt, labels: draft.labels,
                                   annotations: draft.annotations, scheduledBy: draft.scheduledBy, createdAt: FuzzFixtures.now)
        let plan = Planner.plan(PlanInput(alert: EventAlert.alert(for: event), playbooks: set, now: prepareAt))
        guard plan.timelines.map(\.playbook) == [draft.playbook], plan.timelines.first?.kind == .preEvent else {
            throw FuzzInvariantViolation(target: "events", "event for \(draft.playbook) planned \(plan.timelines.map(\.playbook))")
        }
        // Undo steps are due when the run ends, whenever that is; every other step of an event has a time.
        if let undated = plan.timelines.first?.steps.first(where: { $0.due == nil && $0.phase != .undo }) {
            throw FuzzInvariantViolation(target: "events", "step \(undated.index) of an event has no due time")
        }
    }

    /// The same body as a `PATCH` of the stored event `evt-1` once its run started: an accepted move keeps its start
    /// and its preparation time (only the end moves), and the update alert says what changed and carries the new end.
    static func checkMove(_ draft: EventDraft, set: PlaybookSet) throws {
        var started = stored[0]
        started.preparedAt = started.prepareAt
        started.preparedRevision = started.revision
        var moved = draft
        moved.playbook = started.playbook
        guard case .success(let prepareAt) = EventRules.check(moved, playbooks: set, others: stored, moving: started,
                                                            now: FuzzFixtures.now) else { return }
        guard moved.start == started.start, prepareAt == started.prepareAt, moved.end > moved.start else {
            throw FuzzInvariantViolation(target: "events", "a started event moved its start or preparation: \(moved.start), \(prepareAt)")
        }
        var update = started
        update.end = moved.end
        update.revision += 1
        let alert = EventAlert.alert(for: update)
        guard alert.annotations[EventAlert.changeAnnotation] != nil,
              alert.annotations["event_end"].flatMap(RFC3339.parse) == RFC3339.parse(RFC3339.format(moved.end)) else {
            throw FuzzInvariantViolation(target: "events", "the update of a started event does not say what changed")
        }
    }
}
