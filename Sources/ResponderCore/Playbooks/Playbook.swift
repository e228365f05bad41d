import Foundation

/// What an alert means and what to do about it: which alerts match, the actions on firing, the step-down ladder, the
/// gates that keep it safe.
public struct Playbook: Sendable, Equatable {
    /// The three sequence kinds.
    public enum Kind: String, Sendable, Equatable, CaseIterable, Codable {
        /// Scale out now; step down on a ladder once the alert resolves.
        case emergencyScale = "emergency-scale"
        /// Scale out ahead of a known event; step down and restore after the event ends plus a hold.
        case preEvent = "pre-event"
        /// Come down gradually while the alert (e.g. low CPU) fires.
        case scaleDown = "scale-down"
    }

    /// Unique name.
    public var name: String
    /// Sequence kind.
    public var kind: Kind
    /// Free text for people.
    public var description: String?
    /// Which alerts start it.
    public var match: Match
    /// Actions run, in order, when it starts.
    public var actions: [Action]
    /// The step-down ladder, if any.
    public var ladder: Ladder?
    /// Safety gates.
    public var gates: Gates
    /// How actions are undone, in action order: each carried out once when a run ends for any reason, in reverse order,
    /// if the action it undoes succeeded (`undo:` on an action), or always (`cleanup:`).
    public var undo: [Undo] = []

    /// The undo steps in the order they run: the actions' undos in reverse action order, then `cleanup:` in order.
    public var undoOrder: [Undo] {
        undo.filter { $0.undoes != nil }.reversed() + undo.filter { $0.undoes == nil }
    }

    /// The targets its actions and ladder act on.
    public var targets: Set<String> {
        Set(actions.compactMap(\.target) + (ladder?.levels.map(\.target) ?? []))
    }
    /// For `pre-event`: how long before the event start the actions run, and the hold after its end.
    public var event: EventTiming?
    /// For `pre-event`: a recurring window whose occurrences become scheduled events.
    public var schedule: EventSchedule?
    /// After a run of this playbook ends, firings within this window start nothing.
    public var cooldown: Duration
    /// A firing of the same alert within this window joins the existing run instead of starting one.
    public var dedupWindow: Duration
    /// What a step whose due time passed long ago (an outage) does.
    public var missedDeadline: MissedDeadlinePolicy
    /// Whether to page (PagerDuty) when it starts; emergency-scale pages by default.
    public var page: Bool
    /// Record what would be done instead of doing it.
    public var dryRun: Bool
    /// Its own blast-radius limits (`limits:`), counting only its runs' actions; the configuration's apply too.
    public var limits: ActionLimits?
    /// Where it was defined.
    public var location: FileLocation

    /// Creates a playbook.
    public init(
        name: String, kind: Kind, description: String? = nil, match: Match, actions: [Action], ladder: Ladder? = nil,
        gates: Gates = Gates(), event: EventTiming? = nil, schedule: EventSchedule? = nil, cooldown: Duration = .zero, dedupWindow: Duration = .seconds(300),
        missedDeadline: MissedDeadlinePolicy = .fire, page: Bool? = nil, dryRun: Bool = false, location: FileLocation
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.match = match
        self.actions = actions
        self.ladder = ladder
        self.gates = gates
        self.event = event
        self.schedule = schedule
        self.cooldown = cooldown
        self.dedupWindow = dedupWindow
        self.missedDeadline = missedDeadline
        self.page = page ?? (kind == .emergencyScale)
        self.dryRun = dryRun
        self.location = location
    }

    /// Which alerts a playbook applies to.
    public struct Match: Sendable, Equatable {
        /// Allowed sources; empty means any.
        public var sources: [AlertSource]
        /// All must hold.
        public var matchers: [AlertMatcher]

        /// Creates a match block.
        public init(sources: [AlertSource] = [], matchers: [AlertMatcher]) {
            self.sources = sources
            self.matchers = matchers
        }
    }

    /// A ladder: every `every`, each listed target goes to its next level.
    public struct Ladder: Sendable, Equatable {
        /// Wait after the ladder's trigger (resolve, event end, or firing for scale-down) before the first step.
        public var hold: Duration
        /// Wait between steps.
        public var every: Duration
        /// Per target, the absolute replica counts of successive steps.
        public var levels: [(target: String, values: [LadderLevel])]
        /// Whether the last step restores every value the run snapshotted (HPA min/max, env, annotations).
        public var restore: Bool

        /// Creates a ladder.
        public init(hold: Duration = .zero, every: Duration, levels: [(target: String, values: [LadderLevel])], restore: Bool = false) {
            self.hold = hold
            self.every = every
            self.levels = levels
            self.restore = restore
        }

        /// Number of steps (the longest level list).
        public var stepCount: Int { levels.map(\.values.count).max() ?? 0 }

        /// Ladders compare by content, in order.
        public static func == (lhs: Ladder, rhs: Ladder) -> Bool {
            lhs.hold == rhs.hold && lhs.every == rhs.every && lhs.restore == rhs.restore
                && lhs.levels.count == rhs.levels.count
                && zip(lhs.levels, rhs.levels).allSatisfy { $0.target == $1.target && $0.values == $1.values }
        }
    }

    /// One rung of a ladder.
    public enum LadderLevel: Sendable, Equatable {
        /// An absolute replica count.
        case replicas(Int)
        /// The target's floor.
        case floor
    }

    /// Safety gates of a playbook.
    public struct Gates: Sendable, Equatable {
        /// What a re-fire of the alert during the ladder does.
        public var onRefire: RefirePolicy
        /// For `scale-down`: what the alert resolving mid-ladder does.
        public var onResolve: ResolvePolicy
        /// Wait for an acknowledgement before each ladder step.
        public var requireAck: Bool
        /// Never go below what the target's autoscaler currently wants.
        public var respectAutoscaler: Bool
        /// Load checks that must hold before ladder steps (`gates.checks`).
        public var checks: [LoadCheck]

        /// Creates gates with the safe defaults.
        public init(
            onRefire: RefirePolicy = .reEscalate, onResolve: ResolvePolicy = .abort, requireAck: Bool = false,
            respectAutoscaler: Bool = true, checks: [LoadCheck] = []
        ) {
            self.onRefire = onRefire
            self.onResolve = onResolve
            self.requireAck = requireAck
            self.respectAutoscaler = respectAutoscaler
            self.checks = checks
        }
    }

    /// An undo: an `http` or `command` action carried out when a run ends.
    public struct Undo: Sendable, Equatable {
        /// The index in ``Playbook/actions`` of the action it undoes; nil for a `cleanup:` entry, which always runs.
        public var undoes: Int?
        /// What to do.
        public var action: Action

        /// Creates an undo.
        public init(undoes: Int?, action: Action) {
            self.undoes = undoes
            self.action = action
        }
    }

    /// Re-fire handling during a ladder.
    public enum RefirePolicy: String, Sendable, Equatable, CaseIterable, Codable {
        /// Stop the ladder where it is.
        case abort
        /// Run the playbook's actions again (back up) and restart the ladder on the next resolve.
        case reEscalate = "re-escalate"
    }

    /// Resolve handling for scale-down ladders.
    public enum ResolvePolicy: String, Sendable, Equatable, CaseIterable, Codable {
        /// Stop stepping down.
        case abort
        /// Finish the ladder anyway.
        case `continue`
    }

    /// Missed-deadline handling.
    public enum MissedDeadlinePolicy: String, Sendable, Equatable, CaseIterable, Codable {
        /// Fire the step late.
        case fire
        /// Skip it and notify.
        case skip
        /// Hold until someone acknowledges.
        case waitForAck = "wait-for-ack"
    }

    /// Timing of a pre-event playbook around its event.
    public struct EventTiming: Sendable, Equatable {
        /// Run the actions this long before the event starts.
        public var lead: Duration
        /// After the event ends, wait this long before the ladder ("monitor traffic for 1 hour").
        public var hold: Duration
        /// Whether a later event may overlap an earlier one on the same targets.
        public var overlap: OverlapPolicy

        /// Creates event timing.
        public init(lead: Duration, hold: Duration, overlap: OverlapPolicy = .refuse) {
            self.lead = lead
            self.hold = hold
            self.overlap = overlap
        }
    }

    /// `event.overlap`: what scheduling an event of this playbook that overlaps an earlier one on shared targets does.
    public enum OverlapPolicy: String, Sendable, Equatable, CaseIterable, Codable {
        /// Refused, naming the event it overlaps (the default).
        case refuse
        /// Accepted: when its preparation is due, it joins the earlier event's run and extends that run's window to
        /// its own end.
        case extend
    }
}
