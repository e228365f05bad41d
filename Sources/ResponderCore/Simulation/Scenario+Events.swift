import Foundation

/// A scenario's scheduled events: `schedule`, `move_event` and `cancel_event` items, applied at their virtual time as
/// the events API applies them (``EventBook``, ``EventRules``). Events are referred to by name.
extension Scenario {
    /// `schedule:`: a new event.
    public struct EventScheduling: Sendable, Equatable {
        /// The event as the API would read it (times already resolved).
        public var draft: EventDraft
        /// When set, the rules must refuse it with a message containing this text.
        public var refused: String?

        /// Creates a scheduling.
        public init(draft: EventDraft, refused: String? = nil) {
            self.draft = draft
            self.refused = refused
        }
    }

    /// `move_event:`: a new start and/or end for the event called ``event``.
    public struct EventMove: Sendable, Equatable {
        /// The event's name.
        public var event: String
        /// The new start; nil keeps it.
        public var start: Date?
        /// The new end; nil keeps it.
        public var end: Date?
        /// The zone the times were written in, stored on the event when given.
        public var timeZone: String?
        /// When set, the rules must refuse the move with a message containing this text.
        public var refused: String?

        /// Creates a move.
        public init(event: String, start: Date? = nil, end: Date? = nil, timeZone: String? = nil, refused: String? = nil) {
            self.event = event
            self.start = start
            self.end = end
            self.timeZone = timeZone
            self.refused = refused
        }
    }

    /// `cancel_event:`: the event called ``event`` cancelled; a started run steps down now or is aborted (``mode``).
    public struct EventCancellation: Sendable, Equatable {
        /// The event's name.
        public var event: String
        /// What happens to its run, when it started.
        public var mode: ScheduledEvent.CancelMode
        /// Who cancels it.
        public var actor: String
        /// When set, the cancellation must be refused (the event was already cancelled) with a message containing this.
        public var refused: String?

        /// Creates a cancellation.
        public init(event: String, mode: ScheduledEvent.CancelMode = .ladder, actor: String = "simulator", refused: String? = nil) {
            self.event = event
            self.mode = mode
            self.actor = actor
            self.refused = refused
        }
    }
}
