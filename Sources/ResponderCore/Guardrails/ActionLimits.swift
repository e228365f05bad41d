import Foundation

/// Blast-radius limits (`limits:` in the configuration and in a playbook): how many actions Responder takes per
/// target and in total within a window, and how many targets one run may touch. A step over a limit waits for the
/// window to free a slot, or holds its run for an acknowledgement.
public struct ActionLimits: Sendable, Equatable, Codable {
    /// At most this many actions on one target within the window.
    public var perTarget: Rate?
    /// At most this many actions on all targets together within the window.
    public var total: Rate?
    /// At most this many distinct targets touched by one run.
    public var targetsPerRun: Int?
    /// What a step over a limit does.
    public var onLimit: OverLimit

    /// Creates limits; nil parts do not limit.
    public init(perTarget: Rate? = nil, total: Rate? = nil, targetsPerRun: Int? = nil, onLimit: OverLimit = .wait) {
        self.perTarget = perTarget
        self.total = total
        self.targetsPerRun = targetsPerRun
        self.onLimit = onLimit
    }

    /// Whether nothing is limited.
    public var isEmpty: Bool { perTarget == nil && total == nil && targetsPerRun == nil }

    /// Ranges the loader and the configuration enforce: 1 to 10,000 actions, windows of 1 minute to 1 day (the action
    /// ledger keeps a day), 1 to 1,000 targets per run.
    public static let actions: ClosedRange<Int> = 1...10_000
    /// Window range.
    public static let window: ClosedRange<Duration> = .seconds(60) ... .seconds(86_400)
    /// Targets-per-run range.
    public static let targets: ClosedRange<Int> = 1...1_000

    /// What is out of range (`per_target.window 2d is outside 1m to 1d`), nil when nothing is: checked where
    /// limits enter (configuration, playbooks, stored runs), so counting with them can never trap.
    public func problem() -> String? {
        for (name, rate) in [("per_target", perTarget), ("total", total)] {
            guard let rate else { continue }
            guard Self.actions.contains(rate.actions) else {
                return "\(name).actions \(rate.actions) is outside \(Limits.text(Self.actions))"
            }
            guard Self.window.contains(rate.window) else {
                return "\(name).window is outside \(Limits.text(Self.window))"
            }
        }
        if let targetsPerRun, !Self.targets.contains(targetsPerRun) {
            return "targets_per_run \(targetsPerRun) is outside \(Limits.text(Self.targets))"
        }
        return nil
    }

    /// `N actions per window`.
    public struct Rate: Sendable, Equatable, Codable {
        /// Most actions within `window`.
        public var actions: Int
        /// The sliding window.
        public var window: Duration

        /// Creates a rate.
        public init(actions: Int, window: Duration) {
            self.actions = actions
            self.window = window
        }

        /// `6 actions per 1h`.
        public var text: String { "\(actions) action\(actions == 1 ? "" : "s") per \(window.playbookText)" }
    }

    /// What a step over a limit does.
    public enum OverLimit: String, Sendable, Equatable, Codable, CaseIterable {
        /// It waits until the window frees a slot (a targets-per-run limit never frees one: it holds instead).
        case wait
        /// The run waits for an acknowledgement, which lets that one step through.
        case hold
    }
}

/// One action Responder took (or handed to an executor), kept for a day to count against ``ActionLimits``. One
/// record per step of a run: a retry or a re-check moves its time, it does not add another.
public struct ActionRecord: Sendable, Equatable, Codable {
    /// The run.
    public var runID: String
    /// The step's index.
    public var step: Int
    /// The run's playbook (a playbook's own limits count only its actions).
    public var playbook: String
    /// The target touched, if any.
    public var target: String?
    /// When it was handed out.
    public var at: Date
    /// Whether it only recorded (a dry-run run): dry-run and live actions are counted apart.
    public var dryRun: Bool

    /// Creates a record.
    public init(runID: String, step: Int, playbook: String, target: String?, at: Date, dryRun: Bool) {
        self.runID = runID
        self.step = step
        self.playbook = playbook
        self.target = target
        self.at = at
        self.dryRun = dryRun
    }
}
