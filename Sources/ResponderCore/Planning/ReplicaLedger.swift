/// The replica counts a timeline moves through, target by target, with the rules every change obeys: bounds,
/// `max_step`, never below what the autoscaler wants on the way down, never up during a step-down.
struct ReplicaLedger {
    private let targets: [String: Target]
    private let autoscalerDesired: [String: Int]
    private var current: [String: Int]
    private var assumed: Set<String> = []

    init(targets: [String: Target], replicas: [String: Int], autoscalerDesired: [String: Int]) {
        self.targets = targets
        self.current = replicas
        self.autoscalerDesired = autoscalerDesired
    }

    /// The count now, assuming the floor (once noted) when unknown.
    mutating func count(of name: String, notes: inout [String]) -> Int {
        if let value = current[name] { return value }
        let floor = targets[name]?.bounds.floor ?? 0
        current[name] = floor
        assumed.insert(name)
        notes.append("current replicas of \(name) unknown; assumed its floor \(floor)")
        return floor
    }

    /// Applies a requested absolute count and returns (from, to) after the rules; `stepDown` forbids increases.
    mutating func set(
        _ name: String,
        requested: Int,
        stepDown: Bool,
        respectAutoscaler: Bool,
        notes: inout [String]
    ) -> (from: Int, to: Int) {
        let from = count(of: name, notes: &notes)
        guard let bounds = targets[name]?.bounds else { return (from, from) }
        var value = requested
        if value > bounds.ceiling {
            notes.append("clamped to ceiling \(bounds.ceiling) (asked \(requested))")
            value = bounds.ceiling
        }
        if value < bounds.floor {
            notes.append("clamped to floor \(bounds.floor) (asked \(requested))")
            value = bounds.floor
        }
        // Saturating: counts read from a backend and playbook bounds are range-checked where they enter, but a
        // difference of two extreme values must clamp, never trap.
        if let maxStep = bounds.maxStep, SaturatingArithmetic.subtract(value, from).magnitude > maxStep.magnitude {
            let limited = value > from ? SaturatingArithmetic.add(from, maxStep) : SaturatingArithmetic.subtract(from, maxStep)
            notes.append("limited by max_step \(maxStep) (asked \(value))")
            value = limited
        }
        if value < from, respectAutoscaler, let wanted = autoscalerDesired[name], value < wanted {
            notes.append("autoscaler wants \(wanted): not going below it (asked \(value))")
            // Never below what the autoscaler wants, and never up on the way down either.
            value = min(from, wanted)
        }
        if stepDown, value > from {
            notes.append("already at \(from), below this level (\(value)): no change")
            value = from
        }
        current[name] = value
        return (from, value)
    }
}
