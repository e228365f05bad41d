import Foundation

/// What a new or moved event must satisfy, checked before it is stored: a pure function of the draft, the playbooks,
/// the other events and the clock.
public enum EventRules {
    /// How far in the past a start may lie (a request sent at 18:00 for 18:00 arrives a little late).
    public static let pastGrace: Duration = .seconds(300)
    /// The longest window: past it, a typo in a year is more likely than an event.
    public static let longestWindow: Duration = .seconds(31 * 86_400)
    /// At most this many labels, and annotations.
    public static let maxEntries = 32
    /// The longest name, label or annotation value, in characters.
    public static let maxText = 1_024

    /// The preparation time of `draft` (start − the playbook's lead, or `now` when that has passed, except for an
    /// occurrence of a schedule) when it may be scheduled; else the problem.
    /// `others` are the stored events. `moving` is the stored event `draft` moves (left out of the overlap check): a
    /// cancelled one cannot move, and one whose run started keeps its start and preparation time and may only change
    /// its end (to no earlier than now, less ``pastGrace``).
    public static func check(_ draft: EventDraft, playbooks: PlaybookSet, others: [ScheduledEvent], moving: ScheduledEvent? = nil,
                             now: Date) -> Result<Date, EventProblem> {
        if let moving, moving.cancelledAt != nil { return .failure(.cancelled(moving.id)) }
        guard let playbook = playbooks.playbooks.first(where: { $0.name == draft.playbook }) else {
            let preEvent = playbooks.playbooks.filter { $0.kind == .preEvent }.map(\.name).sorted()
            return .failure(.unknownPlaybook(draft.playbook, preEvent: preEvent))
        }
        guard playbook.kind == .preEvent else { return .failure(.notPreEvent(playbook.name, kind: playbook.kind.rawValue)) }
        if let problem = textProblem(draft) { return .failure(problem) }
        guard draft.end > draft.start else { return .failure(.endNotAfterStart(start: draft.start, end: draft.end)) }
        guard draft.end.timeIntervalSince(draft.start) <= longestWindow.timeInterval else {
            return .failure(.windowTooLong(start: draft.start, end: draft.end))
        }
        let started = moving.flatMap { $0.preparedAt == nil ? nil : $0 }
        if let started {
            guard draft.start == started.start else { return .failure(.startLocked(id: started.id, start: started.start)) }
            guard started.end > now.addingTimeInterval(-pastGrace.timeInterval) else { return .failure(.ended(started.id)) }
            guard draft.end >= now.addingTimeInterval(-pastGrace.timeInterval) else {
                return .failure(.endInPast(end: draft.end, now: now))
            }
        } else if draft.occurrence == nil || moving != nil, draft.start < now.addingTimeInterval(-pastGrace.timeInterval) {
            // An occurrence in progress is created late (a new schedule, downtime); its preparation decides.
            return .failure(.startInPast(start: draft.start, now: now))
        }
        if let clashes = overlaps(draft, playbook: playbook, playbooks: playbooks, others: others, movingID: moving?.id) {
            return .failure(.overlaps(clashes))
        }
        if let started { return .success(started.prepareAt) }
        let lead = playbook.event?.lead ?? .zero
        let prepareAt = draft.start.addingTimeInterval(-min(lead.timeInterval, 366 * 86_400))
        // Scheduled (or moved) with less than the lead ahead: the preparation is due now, not late. An occurrence of a
        // schedule keeps start − lead, so one created after downtime is judged by the playbook's missed_deadline.
        return .success(draft.occurrence == nil || moving != nil ? max(prepareAt, now) : prepareAt)
    }

    /// The preparation time of `stored` moved to `start`...`end` when it may move (``check(_:playbooks:others:moving:now:)``
    /// of a draft with its playbook, name, labels and annotations); else the problem. The events API and the
    /// simulator's ``EventBook`` check a move through it.
    public static func checkMove(of stored: ScheduledEvent, start: Date, end: Date, playbooks: PlaybookSet,
                                 others: [ScheduledEvent], now: Date) -> Result<Date, EventProblem> {
        let draft = EventDraft(playbook: stored.playbook, name: stored.name, start: start, end: end, labels: stored.labels,
                               annotations: stored.annotations, scheduledBy: stored.scheduledBy, occurrence: stored.occurrence)
        return check(draft, playbooks: playbooks, others: others, moving: stored, now: now)
    }

    /// The events `draft` overlaps on shared targets, nil when none: an overlap is allowed when the event that starts
    /// later has a playbook with `event.overlap: extend` (its run joins the earlier one and extends its window).
    private static func overlaps(_ draft: EventDraft, playbook: Playbook, playbooks: PlaybookSet, others: [ScheduledEvent],
                                 movingID: String?) -> [EventProblem.Overlap]? {
        let targets = playbook.targets
        let byName = Dictionary(playbooks.playbooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let clashes = others.compactMap { other -> EventProblem.Overlap? in
            guard other.id != movingID, other.cancelledAt == nil, other.start < draft.end, draft.start < other.effectiveEnd,
                  let otherPlaybook = byName[other.playbook] else { return nil }
            let shared = targets.intersection(otherPlaybook.targets)
            guard !shared.isEmpty else { return nil }
            // A known event and an occurrence of a recurring window may overlap: the event's run takes over from the
            // window's (or the window's joins the event's), and the capacity stays until both have ended.
            if (draft.occurrence == nil) != (other.occurrence == nil) { return nil }
            let later = other.start > draft.start ? otherPlaybook : playbook
            if later.event?.overlap == .extend { return nil }
            return EventProblem.Overlap(id: other.id, name: other.name, start: other.start, end: other.end, targets: shared.sorted())
        }
        return clashes.isEmpty ? nil : clashes
    }

    private static func textProblem(_ draft: EventDraft) -> EventProblem? {
        if draft.name.trimmingCharacters(in: .whitespaces).isEmpty { return .invalidText("name is empty") }
        if draft.name.count > maxText { return .invalidText("name is longer than \(maxText) characters") }
        if draft.scheduledBy.count > 200 { return .invalidText("the actor is longer than 200 characters") }
        for (what, entries) in [("labels", draft.labels), ("annotations", draft.annotations)] {
            if entries.count > maxEntries { return .invalidText("more than \(maxEntries) \(what)") }
            for (key, value) in entries {
                if key.isEmpty || key.count > 128 { return .invalidText("\(what): a name must have 1 to 128 characters") }
                if key.hasPrefix("responder_") { return .invalidText("\(what): \(key) is reserved (names starting with responder_)") }
                if value.count > maxText { return .invalidText("\(what): \(key) is longer than \(maxText) characters") }
            }
        }
        return nil
    }
}

/// A request to schedule (or move) an event, before it has an id.
public struct EventDraft: Sendable, Equatable {
    /// The pre-event playbook.
    public var playbook: String
    /// Its name.
    public var name: String
    /// Start.
    public var start: Date
    /// End.
    public var end: Date
    /// The IANA zone the times were given in, if any.
    public var timeZone: String?
    /// Labels for templates.
    public var labels: [String: String]
    /// Annotations for templates.
    public var annotations: [String: String]
    /// Who asks.
    public var scheduledBy: String
    /// For an occurrence of a playbook's recurring schedule: its ``EventWindowOccurrence/identity``.
    public var occurrence: String?

    /// Creates a draft.
    public init(playbook: String, name: String, start: Date, end: Date, timeZone: String? = nil,
                labels: [String: String] = [:], annotations: [String: String] = [:], scheduledBy: String,
                occurrence: String? = nil) {
        self.occurrence = occurrence
        self.playbook = playbook
        self.name = name
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.labels = labels
        self.annotations = annotations
        self.scheduledBy = scheduledBy
    }
}
