/// What a scale step does once the target's current count (and autoscaler) are known: the rules a person scaling by
/// hand would keep, decided in one place for the live executors, the dry-run executor and `simulate`.
///
/// - Step-downs never raise, and scale-ups never lower: a target already past the value is left alone.
/// - A step-down never goes below what the autoscaler currently wants when that is demand (its desired count above
///   its min), nor below an autoscaler min the run did not raise.
/// - A scale-up of a target with an autoscaler raises the autoscaler's min (and max, if needed) to the new count so the
///   autoscaler does not undo it; the original bounds are snapshotted, and step-downs lower the min again (never
///   below the original).
public struct ScaleDecision: Sendable, Equatable {
    /// The count to set; nil leaves the replicas as they are.
    public var replicas: Int?
    /// Autoscaler bounds to write before the count; nil leaves them.
    public var autoscaler: AutoscalerBounds?
    /// Whether the autoscaler's current bounds must be kept in the run's snapshot (the run had none yet).
    public var snapshotsAutoscaler: Bool
    /// What the step did, for the run history (`Deployment prod/api: replicas 4 → 9 (…)`).
    public var detail: String

    /// An autoscaler's min and max.
    public struct AutoscalerBounds: Sendable, Equatable {
        /// Lower bound.
        public var min: Int
        /// Upper bound.
        public var max: Int

        /// Creates bounds.
        public init(min: Int, max: Int) {
            self.min = min
            self.max = max
        }
    }

    /// Decides a scale of `label` (the backend's name for the target) to `requested`, given its `current` count, its
    /// autoscaler (nil when it has none or it is unknown), and the autoscaler min the run snapshotted before raising it
    /// (`originalMin`, nil when the run has not raised it). `recheck` is set for a step re-run after a restart.
    public static func decide(label: String, requested: Int, stepDown: Bool, current: Int, autoscaler: AutoscalerState?,
                              originalMin: Int?, recheck: Bool) -> ScaleDecision {
        var goal = requested
        var notes: [String] = []
        if stepDown {
            guard current > requested else {
                return leftAlone("\(label) already at \(current) (step-down to \(requested)): left alone")
            }
            if let autoscaler {
                let floor = autoscalerFloor(autoscaler, originalMin: originalMin)
                if floor > goal {
                    goal = min(floor, current)
                    notes.append("kept at \(goal): the autoscaler wants \(floor)")
                }
            }
        } else if current > requested {
            // Someone (or the autoscaler) already went further: a scale-up never lowers.
            return leftAlone("\(label) already at \(current) (scale-up to \(requested)): left alone")
        }
        var decision = ScaleDecision(replicas: nil, autoscaler: nil, snapshotsAutoscaler: false, detail: "")
        if let autoscaler {
            let bounds = autoscalerBounds(for: goal, stepDown: stepDown, state: autoscaler, originalMin: originalMin)
            if bounds.min != autoscaler.min || bounds.max != autoscaler.max {
                decision.autoscaler = bounds
                decision.snapshotsAutoscaler = originalMin == nil
                notes.append("autoscaler min/max \(autoscaler.min)/\(autoscaler.max) → \(bounds.min)/\(bounds.max)")
            }
        }
        let suffix = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
        if current == goal {
            let why = recheck ? "already applied (re-checked after a restart)" : "already at the value"
            decision.detail = "\(label) at \(current): \(why)" + suffix
        } else {
            decision.replicas = goal
            decision.detail = "\(label): replicas \(current) → \(goal)" + suffix
        }
        return decision
    }

    private static func leftAlone(_ detail: String) -> ScaleDecision {
        ScaleDecision(replicas: nil, autoscaler: nil, snapshotsAutoscaler: false, detail: detail)
    }

    /// Lowest count a step-down may leave: the autoscaler's demand (desired above its min), and its min when the
    /// run did not raise that min (someone else's floor), else the original min.
    public static func autoscalerFloor(_ state: AutoscalerState, originalMin: Int?) -> Int {
        var floor = 0
        if let desired = state.desired, desired > state.min { floor = desired }
        return max(floor, originalMin ?? state.min)
    }

    /// The autoscaler bounds that hold `goal`: a scale-up raises min (and max) to it; a step-down lowers a min the
    /// run raised, to the goal but never below the original.
    public static func autoscalerBounds(for goal: Int, stepDown: Bool, state: AutoscalerState, originalMin: Int?) -> AutoscalerBounds {
        if stepDown {
            guard let originalMin, state.min > goal else { return AutoscalerBounds(min: state.min, max: state.max) }
            return AutoscalerBounds(min: max(goal, originalMin), max: state.max)
        }
        return AutoscalerBounds(min: max(state.min, goal), max: max(state.max, goal))
    }
}
