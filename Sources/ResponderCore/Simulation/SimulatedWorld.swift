/// The dry-run executor of a simulation: a map of replica counts that scale steps change; every other step is
/// recorded as done. What a step sends, whether it is refused, and whether a scale is left alone are decided by
/// ``StepRendering`` and ``ScaleDecision``, the code path the live and dry-run executors of `serve` take, so a
/// scenario shows what the server would do. Only the outside world is simulated: backends always answer.
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

    /// Carries out `step` with the run's alert `template`: scale steps set the count, the rest is recorded;
    /// snapshotting actions report what they would have captured, so a `restore` can say what it puts back. A step
    /// the server would refuse fails here for good too.
    mutating func execute(_ step: RunStep, snapshot: [String: String], template: AlertTemplate?) -> Outcome {
        let request: StepRequest
        switch StepRendering.prepare(step, snapshot: snapshot, template: template) {
        case .request(let prepared):
            request = prepared
        case .refused(let message):
            return Outcome(result: .permanent(message), summary: "\(step.work.kindName) refused", outcome: "refused: \(message)")
        case .alertUnavailable:
            let message = "the run's alert is unknown to the simulation"
            return Outcome(result: .permanent(message), summary: "\(step.work.kindName) refused", outcome: "refused: \(message)")
        }
        func done(_ summary: String, _ snapshot: [String: String] = [:]) -> Outcome {
            let text = "dry-run: \(request.display)"
            return Outcome(result: .success(detail: text, snapshot: snapshot), summary: summary, outcome: text)
        }
        switch request {
        case .scale(let target, let requested, let stepDown):
            let from = replicas[target] ?? targets[target]?.bounds.floor ?? 0
            let decision = ScaleDecision.decide(label: target, requested: requested, stepDown: stepDown, current: from,
                                                autoscaler: nil, originalMin: nil, recheck: false)
            let to = decision.replicas ?? from
            replicas[target] = to
            if to != from { changed.insert(target) }
            let text = to == from ? decision.detail : "replicas \(from) -> \(to)"
            var outcome = Outcome(result: .success(detail: text, snapshot: [:]), summary: "scale \(target) \(from) -> \(to)", outcome: text)
            outcome.from = from
            outcome.to = to
            return outcome
        case .restore(let keys):
            let text = keys.isEmpty ? "nothing snapshotted to restore" : "restored " + keys.joined(separator: ", ")
            return Outcome(result: .success(detail: text, snapshot: [:]), summary: "restore", outcome: text)
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
        case .http(let prepared):
            return done("http \(prepared.method) \(prepared.url)")
        case .command(let prepared):
            return done("command " + ActionDescriber.commandLine(prepared.argv))
        case .notify:
            return done("notify")
        }
    }
}
