import ResponderCore

/// Carries out one scale step against a backend, with the guarantees a person scaling by hand would keep:
///
/// - Step-downs (ladder steps, or any step below its planned `from`) never raise, and scale-ups never lower: a target
///   already past the value is left alone.
/// - A step-down never goes below what the autoscaler currently wants when that is demand (its desired count above its
///   min), nor below an autoscaler min the run did not raise.
/// - A scale-up of a target with an autoscaler raises the autoscaler's min (and max, if needed) to the new count so
///   the autoscaler does not undo it; the original min/max go into the run's snapshot, and step-downs lower the min
///   again (never below the original).
/// - A re-check (the step started before a crash, outcome unknown) reads the target first and reports success
///   without acting when the value is already there.
struct ScaleStep: Sendable {
    /// Target name.
    var target: String
    /// The planned absolute count.
    var requested: Int
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

    /// Whether this step lowers the count.
    var isStepDown: Bool { step.phase == .ladder || (step.from.map { requested < $0 } ?? false) }

    private func apply(on backend: any ScalingBackend) async throws(BackendError) -> StepResult {
        let current = try await backend.replicas()
        let autoscaler = try await backend.autoscaler()
        let key = SnapshotEntry.autoscalerKey(target)
        var raisedFrom: SnapshotEntry?
        if let stored = snapshot[key] { raisedFrom = SnapshotEntry(key: key, value: stored) }
        var goal = requested
        var notes: [String] = []
        if isStepDown {
            guard current > requested else {
                return .success(detail: "\(backend.label) already at \(current) (step-down to \(requested)): left alone",
                                snapshot: [:])
            }
            if let autoscaler {
                let floor = Self.autoscalerFloor(autoscaler, raisedFrom: raisedFrom)
                if floor > goal {
                    goal = min(floor, current)
                    notes.append("kept at \(goal): the autoscaler wants \(floor)")
                }
            }
        }
        if !isStepDown, current > requested {
            // Someone (or the autoscaler) already went further: a scale-up never lowers.
            return .success(detail: "\(backend.label) already at \(current) (scale-up to \(requested)): left alone",
                            snapshot: [:])
        }
        var newSnapshot: [String: String] = [:]
        if let autoscaler {
            let bounds = Self.autoscalerBounds(for: goal, stepDown: isStepDown, state: autoscaler, raisedFrom: raisedFrom)
            if bounds.min != autoscaler.min || bounds.max != autoscaler.max {
                if raisedFrom == nil { newSnapshot[key] = SnapshotEntry.autoscalerValue(autoscaler) }
                try await backend.setAutoscaler(min: bounds.min, max: bounds.max)
                notes.append("autoscaler min/max \(autoscaler.min)/\(autoscaler.max) → \(bounds.min)/\(bounds.max)")
            }
        }
        if current == goal {
            let why = step.recheck ? "already applied (re-checked after a restart)" : "already at the value"
            return .success(detail: "\(backend.label) at \(current): \(why)" + Self.suffix(notes), snapshot: newSnapshot)
        }
        try await backend.setReplicas(goal)
        return .success(detail: "\(backend.label): replicas \(current) → \(goal)" + Self.suffix(notes), snapshot: newSnapshot)
    }

    /// Lowest count a step-down may leave: the autoscaler's demand (desired above its min), and its min when the
    /// run did not raise that min (someone else's floor).
    static func autoscalerFloor(_ state: AutoscalerState, raisedFrom: SnapshotEntry?) -> Int {
        var floor = 0
        if let desired = state.desired, desired > state.min { floor = desired }
        if case .autoscaler(_, let originalMin, _)? = raisedFrom {
            floor = max(floor, originalMin)
        } else {
            floor = max(floor, state.min)
        }
        return floor
    }

    /// The autoscaler bounds that hold `goal`: a scale-up raises min (and max) to it; a step-down lowers a min the
    /// run raised, to the goal but never below the original.
    static func autoscalerBounds(for goal: Int, stepDown: Bool, state: AutoscalerState,
                                 raisedFrom: SnapshotEntry?) -> (min: Int, max: Int) {
        if stepDown {
            guard case .autoscaler(_, let originalMin, _)? = raisedFrom, state.min > goal else { return (state.min, state.max) }
            return (max(goal, originalMin), state.max)
        }
        return (max(state.min, goal), max(state.max, goal))
    }

    private static func suffix(_ notes: [String]) -> String { notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")" }
}
