/// What one run step does, with every alert value rendered and checked: the single answer ``StepRendering`` gives
/// to `simulate`, the dry-run executor and the live executors, so the three cannot disagree on what a step sends
/// or whether it may run.
public enum StepRequest: Sendable, Equatable {
    /// Set a target's replica count to an absolute value; `stepDown` says the step may only lower it.
    case scale(target: String, replicas: Int, stepDown: Bool)
    /// Set the autoscaler's min and/or max.
    case autoscaler(target: String, min: Int?, max: Int?)
    /// Set environment variables.
    case env(target: String, values: [String: String])
    /// Set or remove annotations.
    case annotate(target: String, object: Action.AnnotatedObject, values: [String: String?])
    /// Send this HTTP request.
    case http(PreparedHTTPRequest)
    /// Start this process.
    case command(PreparedCommand)
    /// Tell people this text.
    case notify(String)
    /// Put back the run's snapshot entries with these keys.
    case restore(keys: [String])

    /// The target it touches, if any.
    public var target: String? {
        switch self {
        case .scale(let target, _, _), .autoscaler(let target, _, _), .env(let target, _), .annotate(let target, _, _):
            return target
        case .http, .command, .notify, .restore:
            return nil
        }
    }

    /// The request in one line, as `plan`, `simulate` and the dry-run record show it.
    public var display: String {
        switch self {
        case .scale(let target, let replicas, _):
            return "scale \(target) to \(replicas)"
        case .autoscaler(let target, let min, let max):
            let bounds = [min.map { "min \($0)" }, max.map { "max \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return "set autoscaler of \(target): \(bounds)"
        case .env(let target, let values):
            return "set env of \(target): " + values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        case .annotate(let target, let object, let values):
            let changes = values.sorted { $0.key < $1.key }.map { key, value in value.map { "\(key)=\($0)" } ?? "remove \(key)" }
            return "annotate \(object == .hpa ? "HPA of " : "")\(target): " + changes.joined(separator: ", ")
        case .http(let request):
            return request.display
        case .command(let command):
            return command.display
        case .notify(let text):
            return text
        case .restore(let keys):
            return keys.isEmpty ? "restore: nothing was snapshotted" : "restore " + keys.joined(separator: ", ")
        }
    }
}
