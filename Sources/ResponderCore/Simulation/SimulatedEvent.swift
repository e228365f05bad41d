/// A scheduled event changing during a simulation: a scenario item (`schedule`, `move_event`, `cancel_event`) or the
/// simulated run driver (a recurring schedule's occurrence, a preparation, a missed event).
public struct SimulatedEvent: Sendable, Equatable {
    /// What happened to it.
    public enum Change: String, Sendable, Equatable {
        /// Scheduled (by the scenario, or by a playbook's recurring schedule).
        case scheduled
        /// Its window moved.
        case moved
        /// Cancelled.
        case cancelled
        /// Its preparation started: its alert went to the engine.
        case preparing
        /// Not run (its preparation came too late), and cancelled as missed.
        case missed
        /// A schedule, move or cancellation the rules refused; nothing changed.
        case refused
    }

    /// What happened.
    public var change: Change
    /// `evt-<n>`; nil for a new event that was refused.
    public var eventID: String?
    /// The event's name.
    public var name: String
    /// Its playbook.
    public var playbook: String
    /// What people are told (``EventAnnouncement``), or why it was refused.
    public var message: String

    /// Creates an entry.
    public init(change: Change, eventID: String?, name: String, playbook: String, message: String) {
        self.change = change
        self.eventID = eventID
        self.name = name
        self.playbook = playbook
        self.message = message
    }

    /// True when the server would tell people in chat (everything but a refusal, which only its caller sees).
    public var announced: Bool { change != .refused }
}
