import Foundation

/// A pre-event playbook's recurring `schedule:`: each occurrence of its window becomes a scheduled event ``ahead`` of
/// time (visible in `GET /api/events`, cancellable one by one), prepared and stepped down like any other event.
public struct EventSchedule: Sendable, Equatable {
    /// How far ahead occurrences become events: from an hour to 31 days.
    public static let aheadRange: ClosedRange<Duration> = .seconds(3_600)...EventRules.longestWindow
    /// The default: a week, so the coming week's windows can be seen and cancelled.
    public static let defaultAhead: Duration = .seconds(7 * 86_400)

    /// When occurrences start, how long they last, in which zone, and the dates left out.
    public var window: RecurringWindow
    /// How far ahead of its preparation an occurrence becomes an event.
    public var ahead: Duration
    /// The events' name (default: the playbook's name); each is followed by its local start.
    public var name: String?

    /// Creates a schedule.
    public init(window: RecurringWindow, ahead: Duration = EventSchedule.defaultAhead, name: String? = nil) {
        self.window = window
        self.ahead = ahead
        self.name = name
    }

    /// The events the schedules of `playbooks` ask for at `now`: every occurrence that has not ended and whose
    /// preparation (start − the playbook's lead) is at most ``ahead`` away, as drafts a store creates once each (by
    /// playbook and ``EventWindowOccurrence/identity``). Occurrences already over are never asked for, so after
    /// downtime at most the one in progress is caught up (as the playbook's `missed_deadline` says).
    public static func drafts(for playbooks: PlaybookSet, now: Date) -> [EventDraft] {
        playbooks.playbooks.flatMap { playbook -> [EventDraft] in
            guard playbook.kind == .preEvent, let schedule = playbook.schedule else { return [] }
            let lead = min(playbook.event?.lead ?? .zero, Limits.duration.upperBound).timeInterval
            let through = now.addingTimeInterval(schedule.ahead.timeInterval + lead)
            return schedule.window.occurrences(from: now, through: through, limit: 100).map { occurrence in
                EventDraft(playbook: playbook.name, name: "\(schedule.name ?? playbook.name) \(occurrence.scheduled)",
                           start: occurrence.start, end: occurrence.end, timeZone: occurrence.timeZoneIdentifier,
                           labels: [:], annotations: ["schedule": schedule.window.cron.text],
                           scheduledBy: scheduledBy, occurrence: occurrence.identity)
            }
        }
    }

    /// The occurrences among `events` that the playbooks' schedules no longer ask for (the cron, zone or except dates
    /// changed, the schedule or its playbook was removed): not prepared, not cancelled, preparation still ahead, and
    /// within the horizon where ``drafts(for:now:)`` would list them. Cancelling them lets the changed schedule's own
    /// occurrences be created instead of being refused as overlaps.
    public static func stale(_ events: [ScheduledEvent], playbooks: PlaybookSet, now: Date) -> [ScheduledEvent] {
        let wanted = Set(drafts(for: playbooks, now: now).compactMap { draft in draft.occurrence.map { "\(draft.playbook) \($0)" } })
        let byName = Dictionary(playbooks.playbooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return events.filter { event in
            guard let occurrence = event.occurrence, event.scheduledBy == scheduledBy, event.preparedAt == nil,
                  event.cancelledAt == nil, event.prepareAt > now else { return false }
            guard let playbook = byName[event.playbook], playbook.kind == .preEvent, let schedule = playbook.schedule else {
                return true
            }
            let lead = min(playbook.event?.lead ?? .zero, Limits.duration.upperBound).timeInterval
            let horizon = now.addingTimeInterval(schedule.ahead.timeInterval + lead)
            return event.start <= horizon && !wanted.contains("\(event.playbook) \(occurrence)")
        }
    }

    /// The first instant after `now` at which ``drafts(for:now:)`` asks for an occurrence it does not ask for at `now`
    /// (its preparation comes within ``ahead``), looking at occurrences that start by `through` plus that reach; nil
    /// when none does. A simulation, which jumps from one due time to the next, stops there so each occurrence becomes an
    /// event when the server would make it one.
    public static func nextDraftTime(for playbooks: PlaybookSet, after now: Date, through: Date) -> Date? {
        playbooks.playbooks.compactMap { playbook -> Date? in
            guard playbook.kind == .preEvent, let schedule = playbook.schedule else { return nil }
            let lead = min(playbook.event?.lead ?? .zero, Limits.duration.upperBound).timeInterval
            let reach = schedule.ahead.timeInterval + lead
            let horizon = now.addingTimeInterval(reach)
            // Occurrences in progress at the horizon are returned too (they overlap it) and were asked for already.
            return schedule.window.occurrences(from: horizon, through: through.addingTimeInterval(reach), limit: 1_000)
                .first { $0.start > horizon }.map { $0.start.addingTimeInterval(-reach) }
        }.min()
    }

    /// Who schedules occurrences.
    public static let scheduledBy = "schedule"
}
