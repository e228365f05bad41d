/// Carries out run steps against the world (Kubernetes, ECS, compose, commands, HTTP) or, in dry-run, records what
/// it would have done.
///
/// Contract: `to` values are absolute, so applying a step twice is harmless; a step with `recheck` set (started before
/// a crash, outcome unknown) is first compared with the target's current state and reported as done without being
/// re-applied when it already took effect.
public protocol StepExecutor: Sendable {
    /// Executes `step` of `runID`; `snapshot` holds the run's captured originals (for `restore`).
    func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult

    /// Current replica counts of the named targets, where they can be read (missing entries are unknown).
    func replicas(of targets: [String]) async -> [String: Int]

    /// What the autoscalers of the named targets currently want (HPA desired replicas); missing entries are unknown.
    func autoscalerDesired(of targets: [String]) async -> [String: Int]
}

extension StepExecutor {
    /// No autoscaler readings unless the executor can read them.
    public func autoscalerDesired(of targets: [String]) async -> [String: Int] { [:] }
}
