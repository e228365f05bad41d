import Foundation
import ResponderCore

/// `events`: a body of `POST /api/events` through what the server does with it: decode (``EventRequest``), read the
/// times (``EventTime``), check the rules against the repository's playbooks and two stored events (``EventRules``),
/// and for an accepted event, the alert it becomes and its plan (``EventAlert``, ``Planner``).
///
/// Invariants: an accepted event starts before it ends, prepares at or before its start, and plans exactly the one
/// playbook it names, a pre-event one, with every step due (the window is known); a refusal says something.
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
        let prepareAt: Date
        switch EventRules.check(draft, playbooks: set, others: stored, now: FuzzFixtures.now) {
        case .failure(let problem):
            if problem.description.isEmpty { throw FuzzInvariantViolation(target: "events", "a refusal said nothing") }
            return
        case .success(let date): prepareAt = date
        }
        guard draft.start < draft.end, prepareAt <= draft.start else {
            throw FuzzInvariantViolation(target: "events", "accepted \(draft.start)–\(draft.end) preparing at \(prepareAt)")
        }
        let event = ScheduledEvent(id: "evt-3", playbook: draft.playbook, name: draft.name, start: draft.start, end: draft.end,
                                   timeZone: draft.timeZone, prepareAt: prepareAt, labels: draft.labels,
                                   annotations: draft.annotations, scheduledBy: draft.scheduledBy, createdAt: FuzzFixtures.now)
        let plan = Planner.plan(PlanInput(alert: EventAlert.alert(for: event), playbooks: set, now: prepareAt))
        guard plan.timelines.map(\.playbook) == [draft.playbook], plan.timelines.first?.kind == .preEvent else {
            throw FuzzInvariantViolation(target: "events", "event for \(draft.playbook) planned \(plan.timelines.map(\.playbook))")
        }
        if let undated = plan.timelines.first?.steps.first(where: { $0.due == nil }) {
            throw FuzzInvariantViolation(target: "events", "step \(undated.index) of an event has no due time")
        }
    }
}
