import Foundation

/// A playbook being carried out for an alert: its steps, their state, and what happened, all of which is persisted so
/// a restart continues exactly where the run was.
public struct Run: Sendable, Equatable, Codable, Identifiable {
    /// Stable id (`run-<n>`).
    public var id: String
    /// Playbook carried out.
    public var playbook: String
    /// Its kind.
    public var kind: Playbook.Kind
    /// Targets the run owns (one active run per target).
    public var targets: [String]
    /// Fingerprint of the alert that started it.
    public var alertFingerprint: String
    /// `alertname` of that alert, for people.
    public var alertName: String?
    /// Lifecycle state.
    public var status: RunStatus
    /// When it started.
    public var startedAt: Date
    /// When the alert resolved (the ladder's anchor), if it has.
    public var resolvedAt: Date?
    /// When it was put on hold, while held.
    public var heldAt: Date?
    /// When it ended.
    public var endedAt: Date?
    /// Who acknowledged it, if anyone.
    public var acknowledgedBy: String?
    /// Steps in execution order.
    public var steps: [RunStep]
    /// Original values captured before the run changed them (HPA min/max, env, annotations), restored by `restore`.
    public var snapshot: [String: String]
    /// What happened, oldest first.
    public var history: [RunEvent]
    /// Whether the playbook is dry-run.
    public var dryRun: Bool
    /// The playbook's gates and windows as they were when the run started (a reload does not change a running run).
    public var policy: RunPolicy
    /// Set when the run's work ended (how: completed, aborted, preempted, failed) while undo steps are still to run;
    /// the run stays open, owning nothing, until they finish, then takes this status.
    public var closing: RunStatus?
    /// Keys of the pauses and limits the run's thread was told about, so each is told once, not at every step.
    public var notices: [String]?

    /// Creates a run.
    public init(id: String, playbook: String, kind: Playbook.Kind, targets: [String], alertFingerprint: String,
                alertName: String?, status: RunStatus = .active, startedAt: Date, steps: [RunStep], dryRun: Bool,
                policy: RunPolicy) {
        self.id = id
        self.playbook = playbook
        self.kind = kind
        self.targets = targets
        self.alertFingerprint = alertFingerprint
        self.alertName = alertName
        self.status = status
        self.startedAt = startedAt
        self.steps = steps
        self.snapshot = [:]
        self.history = []
        self.dryRun = dryRun
        self.policy = policy
    }

    /// True while the run can still act (active or held), including while it undoes its actions.
    public var isOpen: Bool { status == .active || status == .held }

    /// True while the run owns its targets: open and not closing (undo steps only).
    public var isLive: Bool { isOpen && closing == nil }

    /// The first step that has not finished, if any; undo steps count only once the run is closing.
    public var nextStepIndex: Int? {
        steps.firstIndex { !$0.status.isFinished && ($0.phase != .undo || closing != nil) }
    }

    /// The earliest due time among unfinished steps that have one.
    public var nextDue: Date? { steps.filter { !$0.status.isFinished }.compactMap(\.due).min() }
}

/// The parts of a playbook that govern a run once it started.
public struct RunPolicy: Sendable, Equatable, Codable {
    /// Re-fire during the ladder.
    public var onRefire: Playbook.RefirePolicy
    /// Resolve during a scale-down.
    public var onResolve: Playbook.ResolvePolicy
    /// Ladder steps wait for an acknowledgement.
    public var requireAck: Bool
    /// Steps overdue after an outage.
    public var missedDeadline: Playbook.MissedDeadlinePolicy
    /// Firings of the same alert within this long of the start join the run.
    public var dedupWindow: Duration
    /// After the run ends, firings of its playbook start nothing for this long.
    public var cooldown: Duration
    /// Page PagerDuty: trigger at the start, acknowledge on ack, resolve at the end.
    public var page: Bool
    /// The playbook's own blast-radius limits (counting only its runs' actions).
    public var limits: ActionLimits?

    /// The policy of `playbook`.
    public init(_ playbook: Playbook) {
        onRefire = playbook.gates.onRefire
        onResolve = playbook.gates.onResolve
        requireAck = playbook.gates.requireAck
        missedDeadline = playbook.missedDeadline
        dedupWindow = playbook.dedupWindow
        cooldown = playbook.cooldown
        page = playbook.page
        limits = playbook.limits
    }

    enum CodingKeys: String, CodingKey {
        case onRefire, onResolve, requireAck, missedDeadline, dedupWindow, cooldown, page, limits
    }

    /// Decodes a stored policy; runs stored before `page` existed page when they are emergency-scale runs (the
    /// playbook default), which the run decoder cannot tell here, so they read as not paging.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        onRefire = try container.decode(Playbook.RefirePolicy.self, forKey: .onRefire)
        onResolve = try container.decode(Playbook.ResolvePolicy.self, forKey: .onResolve)
        requireAck = try container.decode(Bool.self, forKey: .requireAck)
        missedDeadline = try container.decode(Playbook.MissedDeadlinePolicy.self, forKey: .missedDeadline)
        dedupWindow = try container.decode(Duration.self, forKey: .dedupWindow)
        cooldown = try container.decode(Duration.self, forKey: .cooldown)
        page = try container.decodeIfPresent(Bool.self, forKey: .page) ?? false
        limits = try container.decodeIfPresent(ActionLimits.self, forKey: .limits)
    }
}

/// Lifecycle of a run.
public enum RunStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Steps fire as they come due.
    case active
    /// On hold: nothing fires until resumed.
    case held
    /// Every step finished.
    case completed
    /// Stopped by a person, a re-fire or a resolve.
    case aborted
    /// Replaced by an emergency run on the same target.
    case preempted
    /// A step failed for good.
    case failed
}

/// One step of a run.
public struct RunStep: Sendable, Equatable, Codable {
    /// Position in the run.
    public var index: Int
    /// `actions` or `ladder`.
    public var phase: Plan.Step.Phase
    /// What `offsetSeconds` counts from.
    public var anchor: Plan.Anchor
    /// Offset from the anchor.
    public var offsetSeconds: Int
    /// Absolute due time, once the anchor's time is known.
    public var due: Date?
    /// What to do: a playbook action, or (ladder) a scale to `to`, or a restore.
    public var work: Work
    /// Target touched, if any.
    public var target: String?
    /// Absolute replicas after a scale step.
    public var to: Int?
    /// Replicas before the step, as planned.
    public var from: Int?
    /// When `due` was last set (resume moves a step only by the part of a hold after it was scheduled).
    public var scheduledAt: Date?
    /// Human description from the plan.
    public var detail: String
    /// Execution state.
    public var status: StepStatus
    /// Attempts made so far.
    public var attempts: Int
    /// When it was last started.
    public var startedAt: Date?
    /// When it finished.
    public var finishedAt: Date?
    /// Outcome text (what the executor reported, why it was skipped).
    public var outcome: String?
    /// The outbound requests live attempts made (`attempt 1: PATCH https://…/scale → HTTP 200`), the latest
    /// ``maxRequests``; nil when none was made (dry-run steps are in the dry-run ledger instead).
    public var requests: [String]?
    /// Most requests a step keeps.
    public static let maxRequests = 64
    /// True when a restart found it started but not finished: the executor re-checks the target before re-applying.
    public var recheck: Bool
    /// True once someone acknowledged it while it waited (gates.require_ack, missed deadline wait-for-ack).
    public var acknowledged: Bool
    /// Load checks that must hold before it runs (ladder steps of a playbook with `gates.checks`).
    public var checks: [LoadCheck]?
    /// For an undo step: the index of the step it undoes (nil for a `cleanup:` step, which always runs).
    public var undoes: Int?
    /// How long its load checks kept it waiting, and why (kept after it ran, for the report).
    public var wait: StepWait?
    /// What keeps it from running (a pause, a limit) while it waits, and since when; cleared when it runs.
    public var blocked: StepBlock?
    /// Set when someone acknowledged it while it was held over a limit: that limit no longer stops it.
    public var limitWaived: Bool?

    /// Creates a pending step.
    public init(index: Int, phase: Plan.Step.Phase, anchor: Plan.Anchor, offsetSeconds: Int, due: Date?, work: Work,
                target: String?, to: Int?, detail: String) {
        self.index = index
        self.phase = phase
        self.anchor = anchor
        self.offsetSeconds = offsetSeconds
        self.due = due
        self.work = work
        self.target = target
        self.to = to
        self.detail = detail
        self.status = .pending
        self.attempts = 0
        self.recheck = false
        self.acknowledged = false
    }

    /// What a step does.
    public enum Work: Sendable, Equatable, Codable {
        /// A playbook action (scale values already resolved into `to`).
        case action(Action)
        /// Put back everything in the run's snapshot.
        case restore

        /// Whether the step is only recorded whatever the run does (an action with `dry_run: true`).
        public var isDryRunOnly: Bool {
            if case .action(let action) = self { return action.isDryRunOnly }
            return false
        }
    }

    /// A step's wait for its load checks.
    public struct StepWait: Sendable, Equatable, Codable {
        /// When it began waiting.
        public var since: Date
        /// When the checks last said something.
        public var lastChecked: Date
        /// When the checks held (or the wait otherwise ended); nil while waiting.
        public var until: Date?
        /// How many times the checks were read.
        public var checks: Int
        /// The last thing they said.
        public var last: GateWait

        /// Creates a wait.
        public init(since: Date, last: GateWait) {
            self.since = since
            self.lastChecked = since
            self.checks = 1
            self.last = last
        }
    }

    /// A pause or limit a due step waits for.
    public struct StepBlock: Sendable, Equatable, Codable {
        /// The pause id or limit key (``LimitHit/key``).
        public var key: String
        /// Why, for people: `paused by pause-3 (...)`.
        public var reason: String
        /// When it began waiting (kept while one block follows another).
        public var since: Date

        /// Whether a limit holds the step (else a pause does).
        public var isLimit: Bool { key.hasPrefix(LimitHit.keyPrefix) }

        /// Creates a block.
        public init(key: String, reason: String, since: Date) {
            self.key = key
            self.reason = reason
            self.since = since
        }
    }

    /// `run-<id>/step-<index>/attempt-<n>`: one key per attempt (a step re-run after a restart is a new attempt; the
    /// dry-run ledger keeps one record per step whatever the attempt).
    public func idempotencyKey(runID: String) -> String {
        "\(runID)/step-\(index)/attempt-\(max(attempts, 1))"
    }
}

/// Execution state of a step.
public enum StepStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Waiting for its due time (or its anchor).
    case pending
    /// Due, but waiting for an acknowledgement.
    case waitingAck = "waiting_ack"
    /// Handed to the executor; outcome not yet recorded.
    case running
    /// Done.
    case done
    /// Not done on purpose (missed deadline with `skip`, already at the value).
    case skipped
    /// Cancelled (abort, preemption, re-fire).
    case cancelled
    /// Failed for good.
    case failed

    /// Whether the step will never run again.
    public var isFinished: Bool { self == .done || self == .skipped || self == .cancelled || self == .failed }
}

/// A line of a run's history.
public struct RunEvent: Sendable, Equatable, Codable {
    /// When.
    public var at: Date
    /// What happened, for people: `started by alert QueueDepthHigh`, `step 2 done: replicas 9`, `held by alice`.
    public var message: String
    /// For a line that counts alerts joining the run: how many joined since it was written (later joins update it in
    /// place while nothing else happens, so a flood of alerts is one line and one chat reply, not one per alert).
    public var joined: Int?
    /// What kind of moment this is, for lines a timeline marks (an acknowledgement, a hold...); nil for the others and
    /// for lines stored before kinds were recorded.
    public var kind: Kind?

    /// The moments of a run that its timeline marks.
    public enum Kind: String, Sendable, Codable, Equatable, CaseIterable {
        /// Someone acknowledged the run.
        case acknowledged
        /// The run was held, by a person or after a load check waited its longest.
        case held
        /// A held run was resumed.
        case resumed
        /// The run's alert fired again.
        case refired
        /// A pause stopped one of its steps.
        case paused
        /// A blast-radius limit stopped one of its steps.
        case overLimit = "over_limit"
        /// A step waits for its load checks.
        case gateWait = "gate_wait"
    }

    /// Creates an event.
    public init(at: Date, message: String, joined: Int? = nil, kind: Kind? = nil) {
        self.at = at
        self.message = message
        self.joined = joined
        self.kind = kind
    }
}
