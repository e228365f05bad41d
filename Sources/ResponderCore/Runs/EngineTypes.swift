import Foundation

/// Something that happened, fed to ``RunEngine/handle(_:now:)``.
public enum EngineEvent: Sendable {
    /// An accepted alert, with the playbooks active now and the replica counts the executors reported.
    case alert(NormalizedAlert, playbooks: PlaybookSet, replicas: [String: Int], autoscalerDesired: [String: Int])
    /// Time passed; fire what is due.
    case tick
    /// The executor finished a step.
    case stepFinished(runID: String, step: Int, result: StepResult, requests: [String] = [])
    /// A person acted on a run.
    case command(runID: String, RunCommand, actor: String)
}

/// What an executor reports for a step.
public enum StepResult: Sendable, Equatable {
    /// Done; `snapshot` holds original values captured before the change (merged into the run's snapshot).
    case success(detail: String, snapshot: [String: String])
    /// Failed in a way that may pass on retry (timeouts, 5xx, 409, throttling).
    case retryable(String)
    /// Failed for good (403, 404, 422, a refused parameter).
    case permanent(String)
    /// Not run: its load checks did not hold (or could not be evaluated); it waits and is tried again.
    case waiting(GateWait)
}

/// What a person can do to a run.
public enum RunCommand: String, Sendable, Equatable, CaseIterable, Codable {
    /// Acknowledge: noted, mirrored to PagerDuty, and it releases steps waiting for an ack.
    case ack
    /// Hold the step-down: nothing fires until resumed.
    case hold
    /// Resume after a hold; remaining steps keep their spacing.
    case resume
    /// Stop the run: every pending step is cancelled.
    case abort
}

/// What the engine asks its driver to do.
public enum EngineEffect: Sendable, Equatable {
    /// Run this step (with its idempotency key); report back with ``EngineEvent/stepFinished(runID:step:result:)``.
    case execute(runID: String, step: RunStep, snapshot: [String: String], dryRun: Bool)
    /// Tell people (Slack, PagerDuty, the log).
    case notify(runID: String?, message: String)
}

/// Why a command was refused.
public enum RunCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such run.
    case unknownRun(String)
    /// The run has ended.
    case finished(String, RunStatus)
    /// The command does not apply now (resume of a run that is not held).
    case notApplicable(String)

    /// What went wrong, for the API answer.
    public var description: String {
        switch self {
        case .unknownRun(let id): return "no run \(id)"
        case .finished(let id, let status): return "run \(id) has ended (\(status.rawValue))"
        case .notApplicable(let message): return message
        }
    }
}

/// Tunables of the engine.
public struct EngineSettings: Sendable, Equatable {
    /// A step more than this late counts as a missed deadline (its playbook's policy applies).
    public var missedDeadlineGrace: Duration
    /// Attempts before a retryable failure becomes final.
    public var maxAttempts: Int
    /// Delay before the first retry; doubles each time.
    public var retryBackoff: Duration
    /// Longest retry delay.
    public var maxRetryBackoff: Duration
    /// How long ended runs stay in memory (cooldown, status pages).
    public var keepEnded: Duration
    /// Every new run is dry-run, whatever its playbook says (the server's `executors.dry_run`).
    public var forceDryRun: Bool
    /// How often a step waiting for a pause looks again (a pause lifted on another replica is seen this late at most).
    public var pauseRecheck: Duration = .seconds(15)
    /// The configuration's blast-radius limits, applied to every run (its playbook's own limits apply too).
    public var limits: ActionLimits?

    /// Creates settings.
    public init(missedDeadlineGrace: Duration = .seconds(300), maxAttempts: Int = 5, retryBackoff: Duration = .seconds(5),
                maxRetryBackoff: Duration = .seconds(300), keepEnded: Duration = .seconds(86_400), forceDryRun: Bool = false) {
        self.missedDeadlineGrace = missedDeadlineGrace
        self.maxAttempts = maxAttempts
        self.retryBackoff = retryBackoff
        self.maxRetryBackoff = maxRetryBackoff
        self.keepEnded = keepEnded
        self.forceDryRun = forceDryRun
    }
}
