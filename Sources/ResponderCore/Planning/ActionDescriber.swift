/// Human-readable descriptions of actions for plans, with alert values rendered and command parameters validated.
enum ActionDescriber {
    /// Kubernetes object names (RFC 1123 labels), the default pattern for command parameters.
    static let kubernetesName = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"

    static func describe(
        _ action: Action,
        template: AlertTemplate,
        targets: [String: Target],
        notes: inout [String]
    ) -> String {
        if action.isDryRunOnly { notes.append("dry_run: true on the action: recorded, never made, even when the run acts") }
        if let name = action.target, case .kubernetes(let k8s)? = targets[name]?.backend, let cluster = k8s.cluster {
            notes.append("in cluster \(cluster)")
        }
        switch action {
        case .scale(let target, _):
            return "scale \(target)"
        case .autoscaler(let target, let min, let max):
            let bounds = [min.map { "min \($0)" }, max.map { "max \($0)" }].compactMap { $0 }.joined(separator: ", ")
            switch targets[target]?.backend {
            case .kubernetes(let k8s): return "HPA \(k8s.hpa ?? "?") \(bounds)"
            case .ecs: return "scalable target \(bounds)"
            default: return "autoscaler \(bounds)"
            }
        case .env(let target, let values):
            return "env of \(target): " + values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        case .annotate(let target, let object, let values):
            let changes = values.sorted { $0.key < $1.key }.map { key, value in value.map { "\(key)=\($0)" } ?? "remove \(key)" }
            return "annotate \(object == .hpa ? "HPA of " : "")\(target): " + changes.joined(separator: ", ")
        case .http(let call):
            return rendered(action, template: template, notes: &notes) ?? "\(call.method) \(call.url)"
        case .command(let call):
            return rendered(action, template: template, notes: &notes) ?? "run " + commandLine(call.argv)
        case .notify(let message):
            return rendered(action, template: template, notes: &notes) ?? message
        }
    }

    /// The request an `http`, `command` or `notify` action makes for this alert, rendered by the code path the
    /// executors take; nil (with a note saying why the step will fail) when it is refused.
    private static func rendered(_ action: Action, template: AlertTemplate, notes: inout [String]) -> String? {
        do {
            switch try StepRendering.request(for: action, step: nil, values: TemplateValues(template)) {
            case .http(let request): return request.display
            case .command(let command):
                let env = command.environment.isEmpty ? "" : " with env " + command.environment.keys.sorted().joined(separator: ", ")
                return "run " + commandLine(command.argv) + env
            case .notify(let text): return text
            default: return nil
            }
        } catch {
            notes.append("refused: \(error); the step will fail and the run stop there")
            return nil
        }
    }

    /// argv as one line, arguments with spaces quoted.
    static func commandLine(_ argv: [String]) -> String {
        argv.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// What a ladder with `restore: true` puts back for this action, if it snapshots anything.
    static func snapshotDescription(_ action: Action) -> String? {
        switch action {
        case .autoscaler(let target, _, _): return "autoscaler min/max of \(target)"
        case .env(let target, let values): return "env \(values.keys.sorted().joined(separator: ", ")) of \(target)"
        case .annotate(let target, let object, let values):
            return "annotations \(values.keys.sorted().joined(separator: ", ")) on \(object == .hpa ? "HPA of " : "")\(target)"
        case .scale, .http, .command, .notify: return nil
        }
    }

    /// How a scale-up of an HPA-managed target is made to stick.
    static func autoscalerNotes(target: Target?, from: Int, to: Int) -> [String] {
        guard to > from, case .kubernetes(let k8s)? = target?.backend, let hpa = k8s.hpa else { return [] }
        return ["HPA \(hpa): minReplicas raised to \(to) so the autoscaler keeps it (original restored later)"]
    }
}

/// Validation of alert values before they may become a command argument.
public enum CommandParameterCheck {
    /// The value when it matches `pattern` (`k8s-name`: at most 63 characters, or an anchored regex: at most 253) and
    /// does not start with `-`; else nil.
    public static func validated(_ value: String, pattern: String) -> String? {
        let limit = pattern == "k8s-name" ? 63 : 253
        guard !value.isEmpty, !value.hasPrefix("-"), value.utf8.count <= limit else { return nil }
        let source = pattern == "k8s-name" ? ActionDescriber.kubernetesName : "^(?:\(pattern))$"
        guard let regex = try? Regex(source), (try? regex.wholeMatch(in: value)) != nil else { return nil }
        return value
    }
}

extension Action {
    /// `scale`, `autoscaler`, `env`, `annotate`, `http`, `command` or `notify`.
    public var kindName: String {
        switch self {
        case .scale: return "scale"
        case .autoscaler: return "autoscaler"
        case .env: return "env"
        case .annotate: return "annotate"
        case .http: return "http"
        case .command: return "command"
        case .notify: return "notify"
        }
    }
}
