import Foundation

/// Why an event cannot be scheduled or moved; each says what to change.
public enum EventProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// An event already scheduled on some of the same targets at an overlapping time.
    public struct Overlap: Sendable, Equatable {
        /// Its id.
        public var id: String
        /// Its name.
        public var name: String
        /// Its start.
        public var start: Date
        /// Its end.
        public var end: Date
        /// The targets both act on.
        public var targets: [String]

        /// Describes one overlapping event.
        public init(id: String, name: String, start: Date, end: Date, targets: [String]) {
            self.id = id
            self.name = name
            self.start = start
            self.end = end
            self.targets = targets
        }
    }

    /// No playbook has that name.
    case unknownPlaybook(String, preEvent: [String])
    /// The playbook is not `pre-event`.
    case notPreEvent(String, kind: String)
    /// The end is not after the start.
    case endNotAfterStart(start: Date, end: Date)
    /// The window is longer than ``EventRules/longestWindow``.
    case windowTooLong(start: Date, end: Date)
    /// The start lies further in the past than ``EventRules/pastGrace``.
    case startInPast(start: Date, now: Date)
    /// Other events overlap on the same targets.
    case overlaps([Overlap])
    /// A name, label or annotation is empty, too long, too many or reserved.
    case invalidText(String)
    /// The event was cancelled: it cannot move.
    case cancelled(String)
    /// This occurrence of a schedule is already an event (maybe cancelled).
    case alreadyScheduled(String)
    /// The event's run started: its start stays (only its end can move).
    case startLocked(id: String, start: Date)
    /// The event's window is over: it cannot move.
    case ended(String)
    /// A new end lies further in the past than ``EventRules/pastGrace``.
    case endInPast(end: Date, now: Date)

    /// What is wrong and what to do.
    public var description: String {
        switch self {
        case .unknownPlaybook(let name, let preEvent):
            let known = preEvent.isEmpty ? "no pre-event playbook is loaded" : "pre-event playbooks: \(preEvent.joined(separator: ", "))"
            return "no playbook named \(name) (\(known))"
        case .notPreEvent(let name, let kind):
            return "playbook \(name) is \(kind), not pre-event: events run pre-event playbooks"
        case .endNotAfterStart(let start, let end):
            return "the end (\(RFC3339.format(end))) must be after the start (\(RFC3339.format(start)))"
        case .windowTooLong(let start, let end):
            return "the window \(RFC3339.format(start)) to \(RFC3339.format(end)) is longer than 31 days: check the dates"
        case .startInPast(let start, let now):
            return "the start \(RFC3339.format(start)) is in the past (now \(RFC3339.format(now)); up to 5 minutes late is accepted)"
        case .overlaps(let others):
            let list = others.map {
                "\($0.id) \"\($0.name)\" \(RFC3339.format($0.start)) to \(RFC3339.format($0.end)) on \($0.targets.joined(separator: ", "))"
            }
            return "overlaps \(list.joined(separator: "; ")): move or cancel it first"
        case .invalidText(let detail):
            return detail
        case .cancelled(let id):
            return "event \(id) was cancelled: schedule a new one"
        case .alreadyScheduled(let id):
            return "this occurrence is already event \(id)"
        case .startLocked(let id, let start):
            return "event \(id) has started preparing: its start stays \(RFC3339.format(start)); move only its end, "
                + "or cancel it and schedule a new one"
        case .ended(let id):
            return "event \(id) is over: schedule a new one"
        case .endInPast(let end, let now):
            return "the end \(RFC3339.format(end)) is in the past (now \(RFC3339.format(now))): to end it now, cancel it"
        }
    }
}
