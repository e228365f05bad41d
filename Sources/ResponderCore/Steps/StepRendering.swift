/// Turns a run step into the request it makes: the one code path that decides whether a step may run and what it
/// sends, shared by `simulate`, the dry-run executor, the live executors and the planner's step details.
public enum StepRendering {
    /// Highest replica count a step may set (the loaders enforce the same bound).
    public static let maxReplicas = 100_000

    /// What a step comes to.
    public enum Outcome: Sendable, Equatable {
        /// The request to make.
        case request(StepRequest)
        /// The step must not run; it fails for good with this message.
        case refused(String)
        /// The step uses alert values and the run's alert could not be read; trying again may help.
        case alertUnavailable
    }

    /// Renders `step` of a run whose snapshot is `snapshot`, reading alert values from `template` (nil when the run's
    /// alert could not be read).
    public static func prepare(_ step: RunStep, snapshot: [String: String], template: AlertTemplate?) -> Outcome {
        switch step.work {
        case .restore:
            return .request(.restore(keys: snapshot.keys.sorted()))
        case .action(let action):
            do {
                return .request(try request(for: action, step: step, values: TemplateValues(template)))
            } catch {
                switch error {
                case .refused(let message): return .refused(message + consequence(of: action))
                case .alertUnavailable: return .alertUnavailable
                }
            }
        }
    }

    /// What a refusal means for the step, said after its cause.
    private static func consequence(of action: Action) -> String {
        switch action {
        case .http: return ": the request was not sent"
        case .command: return ": the command was not run"
        default: return ": the step was not carried out"
        }
    }

    /// The request of one playbook action as a step of a run (`step` gives a scale's absolute count).
    static func request(for action: Action, step: RunStep?, values: TemplateValues) throws(TemplateRefusal) -> StepRequest {
        switch action {
        case .scale(let target, let change):
            var requested = step?.to
            if requested == nil, case .to(let count) = change { requested = count }
            guard let requested else { throw .refused("scale of \(target) has no absolute replica count") }
            guard (0...maxReplicas).contains(requested) else {
                throw .refused("scale of \(target) to \(requested) is outside 0 to \(maxReplicas): not applied")
            }
            let stepDown = step.map { $0.phase == .ladder || ($0.from.map { requested < $0 } ?? false) } ?? false
            return .scale(target: target, replicas: requested, stepDown: stepDown)
        case .autoscaler(let target, let min, let max):
            for bound in [min, max].compactMap({ $0 }) where !(0...maxReplicas).contains(bound) {
                throw .refused("autoscaler of \(target): \(bound) is outside 0 to \(maxReplicas): not applied")
            }
            return .autoscaler(target: target, min: min, max: max)
        case .env(let target, let set):
            return .env(target: target, values: set)
        case .annotate(let target, let object, let set):
            return .annotate(target: target, object: object, values: set)
        case .http(let call):
            return .http(try HTTPRequestRenderer.render(call, values: values))
        case .command(let call):
            return .command(try CommandRenderer.render(call, values: values))
        case .notify(let message):
            return .notify(try values.render(message))
        }
    }
}
