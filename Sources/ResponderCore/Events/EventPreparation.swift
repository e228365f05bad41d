import Foundation

/// What to do with an event whose preparation is due, decided from the event, its playbook and the clock: prepare it
/// (journal its alert), or record it as missed. Its preparation may be late after downtime: a window that is over is
/// missed, and one still running follows the playbook's `missed_deadline` (caught up once: there is one event).
public enum EventPreparation: Equatable, Sendable {
    /// Journal its alert now; `late` says why it is late, when it is.
    case prepare(late: String?)
    /// Do not run it; cancel it as missed, saying why.
    case miss(String)
    /// It was cancelled with `cancel=abort` after its run started: abort that run.
    case abortRun

    /// The actor recorded on a missed event.
    public static let missedBy = "responder"

    /// The decision for `event` at `now`, given `playbooks` and the grace after which a preparation counts as missed.
    public static func decide(_ event: ScheduledEvent, playbooks: PlaybookSet, now: Date, grace: Duration) -> EventPreparation {
        // A later revision of an event whose run started only tells that run (a move, a cancellation).
        if event.runNeedsUpdate {
            return event.cancelledAt != nil && event.cancelMode == .abort ? .abortRun : .prepare(late: nil)
        }
        guard let playbook = playbooks.playbooks.first(where: { $0.name == event.playbook }), playbook.kind == .preEvent else {
            return .miss("missed: playbook \(event.playbook) is not a loaded pre-event playbook")
        }
        guard event.effectiveEnd > now else {
            return .miss("missed: its window ended \(RFC3339.format(event.effectiveEnd)) before it was prepared (was Responder down?)")
        }
        let lateness = now.timeIntervalSince(event.prepareAt)
        guard lateness > grace.timeInterval else { return .prepare(late: nil) }
        let late = "preparation due \(RFC3339.format(event.prepareAt)) is \(Int(lateness)) s late"
        switch playbook.missedDeadline {
        case .skip:
            return .miss("missed: \(late) (missed_deadline: skip)")
        case .fire, .waitForAck:
            return .prepare(late: "\(late); caught up once (missed_deadline: \(playbook.missedDeadline.rawValue))")
        }
    }
}
