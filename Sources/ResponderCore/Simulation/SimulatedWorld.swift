/// The dry-run executor of a simulation: a map of replica counts that scale steps change; every other step is
/// recorded as done. It always succeeds, so a timeline shows what the playbooks do, not how the world fails.
struct SimulatedWorld {
    /// Replica counts of every target.
    private(set) var replicas: [String: Int]
    /// Targets whose count a step changed.
    private(set) var changed: Set<String> = []
    private let targets: [String: Target]

    /// Every target at its floor, except the counts given.
    init(targets: [String: Target], replicas: [String: Int]) {
        self.targets = targets
        var counts = targets.mapValues(\.bounds.floor)
        counts.merge(replicas) { _, given in given }
        self.replicas = counts
    }

    /// What executing one step did.
    struct Outcome {
        /// Reported to the engine.
        var result: StepResult
        /// Replicas before (scale steps).
        var from: Int?
        /// Replicas after (scale steps).
        var to: Int?
        /// Short form for expectations.
        var summary: String
        /// For people.
        var outcome: String
    }

    /// Carries out `step`: scale steps set the count, the rest is recorded; snapshotting actions report what they
    /// would have captured, so a `restore` can say what it puts back.
    mutating func execute(_ step: RunStep, snapshot: [String: String]) -> Outcome {
        switch step.work {
        case .restore:
            let keys = snapshot.keys.sorted()
            let text = keys.isEmpty ? "nothing snapshotted to restore" : "restored " + keys.joined(separator: ", ")
            return Outcome(result: .success(detail: text, snapshot: [:]), summary: "restore", outcome: text)
        case .action(let action):
            return execute(action, step: step)
        }
    }

    private mutating func execute(_ action: Action, step: RunStep) -> Outcome {
        func done(_ summary: String, _ snapshot: [String: String] = [:]) -> Outcome {
            let text = "dry-run: \(step.detail)"
            return Outcome(result: .success(detail: text, snapshot: snapshot), summary: summary, outcome: text)
        }
        switch action {
        case .scale(let target, let change):
            let bounds = targets[target]?.bounds
            let from = replicas[target] ?? bounds?.floor ?? 0
            var to = TimelineBuilder.requested(change, current: from, bounds: bounds)
            // The engine resolves every scale to an absolute count already clamped; clamp anyway so a count the
            // simulation shows is one the bounds allow.
            if let bounds { to = min(max(to, bounds.floor), bounds.ceiling) }
            replicas[target] = to
            if to != from { changed.insert(target) }
            let text = to == from ? "already at \(to): no change" : "replicas \(from) -> \(to)"
            var outcome = Outcome(result: .success(detail: text, snapshot: [:]), summary: "scale \(target) \(from) -> \(to)", outcome: text)
            outcome.from = from
            outcome.to = to
            return outcome
        case .autoscaler(let target, let min, let max):
            let limits = [min.map { "min \($0)" }, max.map { "max \($0)" }].compactMap { $0 }.joined(separator: " ")
            return done("autoscaler \(target) \(limits)", ["autoscaler min/max of \(target)": "(simulated original)"])
        case .env(let target, let values):
            let pairs = values.sorted { $0.key < $1.key }
            let snapshot = Dictionary(uniqueKeysWithValues: pairs.map { ("env \($0.key) of \(target)", "(simulated original)") })
            return done("env \(target) " + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: " "), snapshot)
        case .annotate(let target, let object, let values):
            let pairs = values.sorted { $0.key < $1.key }
            let snapshot = Dictionary(uniqueKeysWithValues: pairs.map {
                ("annotation \($0.key) on \(object.rawValue) of \(target)", "(simulated original)")
            })
            let changes = pairs.map { key, value in value.map { "\(key)=\($0)" } ?? "-\(key)" }
            return done("annotate \(target) \(object.rawValue) " + changes.joined(separator: " "), snapshot)
        case .http:
            return done("http \(step.detail)")
        case .command:
            let line = step.detail.hasPrefix("run ") ? String(step.detail.dropFirst(4)) : step.detail
            return done("command \(line)")
        case .notify:
            return done("notify")
        }
    }
}
