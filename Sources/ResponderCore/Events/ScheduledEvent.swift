import Foundation

/// A known traffic event (a launch, a sale, a release) a pre-event playbook prepares for: its run starts at
/// `prepareAt` (start − the playbook's `event.lead`), and its ladder steps down after the end (+ `event.hold`).
public struct ScheduledEvent: Sendable, Equatable, Codable {
    /// `evt-<n>`, assigned by the store.
    public var id: String
    /// The pre-event playbook it runs.
    public var playbook: String
    /// What people call it ("Black Friday launch").
    public var name: String
    /// When the traffic starts.
    public var start: Date
    /// When it ends.
    public var end: Date
    /// The IANA zone it was given in, for display (nil when given with an offset).
    public var timeZone: String?
    /// When its run starts: start − the playbook's lead at the time it was scheduled or moved.
    public var prepareAt: Date
    /// Labels templates read as `${labels.<name>}`.
    public var labels: [String: String]
    /// Annotations templates read as `${annotations.<name>}`.
    public var annotations: [String: String]
    /// Who scheduled it (the API caller's `actor`, or `schedule` for a playbook's recurring window).
    public var scheduledBy: String
    /// When it was scheduled.
    public var createdAt: Date
    /// Bumped at every move, so a run prepared for an old window is told apart.
    public var revision: Int
    /// When its alert was journaled (its run then starts through the engine, found by ``EventAlert/fingerprint(_:)``).
    public var preparedAt: Date?
    /// When it was cancelled, and by whom.
    public var cancelledAt: Date?
    /// Who cancelled it.
    public var cancelledBy: String?
    /// What a cancellation does to a run already started: its ladder starts now, or it is aborted where it stands.
    public var cancelMode: CancelMode?
    /// The revision whose alert was journaled last; behind ``revision`` when the event was moved or cancelled after
    /// its run started, until the run is told (its ladder retimed, or aborted).
    public var preparedRevision: Int?
    /// For an occurrence of a playbook's recurring `schedule`: which one (``EventWindowOccurrence/identity``), so it is
    /// created once however many replicas and restarts see it, and a cancelled one is not created again.
    public var occurrence: String?

    /// What cancelling an event whose run started does to that run.
    public enum CancelMode: String, Sendable, Equatable, Codable, CaseIterable {
        /// The ladder starts now, as if the event had ended (the default: capacity comes down gradually).
        case ladder
        /// The run is aborted where it stands (capacity stays where it is until someone scales it).
        case abort
    }

    /// True when the run started for an earlier revision and must be told of a move or a cancellation.
    public var runNeedsUpdate: Bool {
        guard preparedAt != nil, let preparedRevision else { return false }
        return preparedRevision < revision
    }

    /// The end the run's ladder counts from: the end, or the moment of a cancellation with ``CancelMode/ladder`` when
    /// that came first.
    public var effectiveEnd: Date {
        guard let cancelledAt, cancelMode == .ladder else { return end }
        return min(end, cancelledAt)
    }

    /// The store's row number in an id `evt-<n>`; nil for anything else (a lookup of a malformed id finds nothing).
    public static func sequence(of id: String) -> Int64? {
        guard id.hasPrefix("evt-"), let number = Int64(id.dropFirst(4)), number > 0, "evt-\(number)" == id else { return nil }
        return number
    }

    /// This event with a new window (and zone, when given), once `check` accepted the move of this stored event
    /// against `others` (giving the preparation time; the revision is bumped); the problem instead when `check`
    /// refuses. Both stores move events through it.
    public func moved(start: Date, end: Date, timeZone: String?, others: [ScheduledEvent],
                      check: (ScheduledEvent, [ScheduledEvent]) -> Result<Date, EventProblem>) -> Result<ScheduledEvent, EventProblem> {
        check(self, others).map { prepareAt in
            var event = self
            event.start = start
            event.end = end
            event.timeZone = timeZone ?? self.timeZone
            event.prepareAt = prepareAt
            event.revision += 1
            return event
        }
    }

    /// Creates an event.
    public init(id: String, playbook: String, name: String, start: Date, end: Date, timeZone: String? = nil,
                prepareAt: Date, labels: [String: String] = [:], annotations: [String: String] = [:],
                scheduledBy: String, createdAt: Date, revision: Int = 1, preparedAt: Date? = nil,
                cancelledAt: Date? = nil, cancelledBy: String? = nil, cancelMode: CancelMode? = nil,
                preparedRevision: Int? = nil, occurrence: String? = nil) {
        self.id = id
        self.playbook = playbook
        self.name = name
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.prepareAt = prepareAt
        self.labels = labels
        self.annotations = annotations
        self.scheduledBy = scheduledBy
        self.createdAt = createdAt
        self.revision = revision
        self.preparedAt = preparedAt
        self.cancelledAt = cancelledAt
        self.cancelledBy = cancelledBy
        self.cancelMode = cancelMode
        self.preparedRevision = preparedRevision ?? (preparedAt == nil ? nil : revision)
        self.occurrence = occurrence
    }
}
