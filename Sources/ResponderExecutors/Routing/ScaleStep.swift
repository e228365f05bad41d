import ResponderCore

/// Carries out one scale step against a backend: reads the target's count and autoscaler, lets ``ScaleDecision``
/// (the rules `simulate` and the dry-run executor use too) decide, then writes what it decided: the autoscaler bounds
/// first, then the count. A re-check (the step started before a crash, outcome unknown) therefore reports success
/// without acting when the value is already there.
struct ScaleStep: Sendable {
    /// Target name.
    var target: String
    /// The planned absolute count.
    var requested: Int
    /// Whether the step may only lower the count.
    var stepDown: Bool
    /// The step being carried out.
    var step: RunStep
    /// The run's snapshot so far.
    var snapshot: [String: String]

    /// Reads, decides, acts; returns the step's result.
    func run(on backend: any ScalingBackend) async -> StepResult {
        do {
            return try await apply(on: backend)
        } catch {
            return error.retryable ? .retryable(error.message) : .permanent(error.message)
        }
    }

    private func apply(on backend: any ScalingBackend) async throws(BackendError) -> StepResult {
        let current = try await backend.replicas()
        let autoscaler = try await backend.autoscaler()
        let key = SnapshotEntry.autoscalerKey(target)
        var originalMin: Int?
        if let stored = snapshot[key], case .autoscaler(_, let min, _)? = SnapshotEntry(key: key, value: stored) {
            originalMin = min
        }
        let decision = ScaleDecision.decide(label: backend.label, requested: requested, stepDown: stepDown, current: current,
                                            autoscaler: autoscaler, originalMin: originalMin, recheck: step.recheck)
        var newSnapshot: [String: String] = [:]
        if let bounds = decision.autoscaler, let autoscaler {
            if decision.snapshotsAutoscaler { newSnapshot[key] = SnapshotEntry.autoscalerValue(autoscaler) }
            try await backend.setAutoscaler(min: bounds.min, max: bounds.max)
        }
        if let replicas = decision.replicas {
            try await backend.setReplicas(replicas)
        }
        return .success(detail: decision.detail, snapshot: newSnapshot)
    }
}
