import Foundation

/// Everything the planner looks at; it reads nothing else.
public struct PlanInput: Sendable {
    /// The alert.
    public var alert: NormalizedAlert
    /// Targets and playbooks.
    public var playbooks: PlaybookSet
    /// Current replica counts by target name; a target missing here is assumed at its floor (and the plan says so).
    public var replicas: [String: Int]
    /// What each target's autoscaler currently wants, by target name, when known.
    public var autoscalerDesired: [String: Int]
    /// A scheduled event window for pre-event playbooks (else taken from the alert's `event_start` / `event_end`
    /// annotations, if present).
    public var event: EventWindow?
    /// The current time.
    public var now: Date
    /// The configuration's blast-radius limits (a playbook's own are in the playbook); the plan notes the steps they
    /// would stop.
    public var limits: ActionLimits?

    /// Creates planner input.
    public init(alert: NormalizedAlert, playbooks: PlaybookSet, replicas: [String: Int] = [:],
                autoscalerDesired: [String: Int] = [:], event: EventWindow? = nil, now: Date, limits: ActionLimits? = nil) {
        self.alert = alert
        self.playbooks = playbooks
        self.replicas = replicas
        self.autoscalerDesired = autoscalerDesired
        self.event = event
        self.now = now
        self.limits = limits
    }

    /// A known event's start and end.
    public struct EventWindow: Sendable, Equatable {
        /// When the event starts.
        public var start: Date
        /// When it ends.
        public var end: Date

        /// Creates a window.
        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    /// The explicit window, or the one in the alert's annotations.
    public var effectiveEvent: EventWindow? {
        if let event { return event }
        guard let start = alert.annotations["event_start"].flatMap(RFC3339.parse),
              let end = alert.annotations["event_end"].flatMap(RFC3339.parse), end >= start
        else { return nil }
        return EventWindow(start: start, end: end)
    }
}
