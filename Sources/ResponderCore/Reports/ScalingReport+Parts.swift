import Foundation

extension ScalingReport {
    /// Something a person did to the run, read from its history.
    public struct PersonAction: Sendable, Equatable, Codable {
        /// When.
        public var at: Date
        /// `acknowledged`, `held`, `resumed` or `aborted`.
        public var action: String
        /// Who, as the history names them.
        public var actor: String

        /// Creates an entry.
        public init(at: Date, action: String, actor: String) {
            self.at = at
            self.action = action
            self.actor = actor
        }
    }

    /// A step carried out that changed something.
    public struct Change: Sendable, Equatable, Codable {
        /// When it finished.
        public var at: Date
        /// Step index.
        public var step: Int
        /// `actions`, `ladder` or `undo`.
        public var phase: String
        /// Target touched, if any.
        public var target: String?
        /// What it did (the plan's description).
        public var action: String
        /// Replicas before (scale steps).
        public var from: Int?
        /// Replicas after (scale steps).
        public var to: Int?
        /// `responder (alert NAME)`, or the person whose acknowledgement let it run.
        public var by: String
        /// What the executor reported.
        public var outcome: String?

        enum CodingKeys: String, CodingKey {
            case at, step, phase, target, action, from, to, by, outcome
        }
    }

    /// Replica counts of one target over the run.
    public struct TargetLevels: Sendable, Equatable, Codable {
        /// Target.
        public var target: String
        /// Replicas before the run's first scale step on it.
        public var initial: Int?
        /// The highest count it had during the run (the initial count included).
        public var peak: Int?
        /// The count after the last scale step carried out (the initial count when none was).
        public var final: Int?
        /// Each level it was scaled to, in order, with how long it stayed there.
        public var levels: [Level]
    }

    /// A count a target was at, and for how long.
    public struct Level: Sendable, Equatable, Codable {
        /// Replicas.
        public var replicas: Int
        /// When it was set.
        public var since: Date
        /// When it changed again; nil when it still is (the run's end or the report's time bounds it).
        public var until: Date?
        /// Seconds at this level up to `until`, or to the end of the run (or the report's time).
        public var seconds: Int
    }

    /// A step held by its load checks.
    public struct CheckWait: Sendable, Equatable, Codable {
        /// Step index.
        public var step: Int
        /// Target of the step.
        public var target: String?
        /// The check that held it (its condition).
        public var check: String
        /// When it began waiting.
        public var since: Date
        /// When the wait ended; nil while it still waits.
        public var until: Date?
        /// True while the step still waits.
        public var waiting: Bool
        /// Seconds it was held (to the end of the run, or the report's time, while waiting).
        public var heldSeconds: Int
        /// How many times the checks were read.
        public var readings: Int
        /// The last thing the checks said.
        public var lastReason: String
        /// The value that failed the check last; nil when it could not be evaluated.
        public var lastValue: Double?

        enum CodingKeys: String, CodingKey {
            case step, target, check, since, until, waiting, readings
            case heldSeconds = "held_seconds", lastReason = "last_reason", lastValue = "last_value"
        }
    }

    /// An undo step and what became of it.
    public struct UndoOutcome: Sendable, Equatable, Codable {
        /// Step index.
        public var step: Int
        /// The step it undoes; nil for a cleanup step.
        public var undoes: Int?
        /// Target touched, if any.
        public var target: String?
        /// What it does.
        public var action: String
        /// `done`, `failed`, `skipped`, `cancelled`, `pending`, …
        public var status: String
        /// What the executor reported, or why it did not run.
        public var outcome: String?
        /// When it finished.
        public var finishedAt: Date?

        enum CodingKeys: String, CodingKey {
            case step, undoes, target, action, status, outcome
            case finishedAt = "finished_at"
        }
    }

    /// A step that failed, was skipped or was cancelled.
    public struct StepProblem: Sendable, Equatable, Codable {
        /// Step index.
        public var step: Int
        /// `actions` or `ladder`.
        public var phase: String
        /// Target touched, if any.
        public var target: String?
        /// What it would have done.
        public var action: String
        /// `failed`, `skipped` or `cancelled`.
        public var status: String
        /// Why.
        public var outcome: String?
    }
}
