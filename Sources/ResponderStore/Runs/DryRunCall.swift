import Foundation
import GRDB
import ResponderCore

/// The call the dry-run executor would make for one step, before it is recorded.
struct DryRunCall: Sendable, Equatable {
    /// `scale`, `autoscaler`, `env`, `annotate`, `http`, `command`, `notify` or `restore`.
    var action: String
    /// Target touched, if any.
    var target: String?
    /// Replicas for a scale.
    var value: Int?
    /// Readable rendering of the request.
    var request: String
    /// Originals the real executor would capture (placeholders in dry-run).
    var snapshot: [String: String] = [:]

    /// What rendering a step gives: a call, or why it must not be made.
    enum Rendering: Sendable, Equatable {
        /// The call to record.
        case call(DryRunCall)
        /// Refused for good (a command parameter failed its pattern, a scale without an absolute count).
        case refused(String)
    }

    /// Renders `step`. `template` is the run's alert when the journal has it: HTTP and notify strings are rendered
    /// with it and command parameters take their values from it; without it those strings are recorded raw and a
    /// command parameter has no value, so it is refused.
    static func render(_ step: RunStep, snapshot: [String: String], template: AlertTemplate?) -> Rendering {
        let action: Action
        switch step.work {
        case .restore:
            let keys = snapshot.keys.sorted()
            let request = keys.isEmpty ? "restore: nothing was snapshotted" : "restore " + keys.joined(separator: ", ")
            return .call(DryRunCall(action: "restore", target: step.target, value: nil, request: request))
        case .action(let value):
            action = value
        }
        let target = step.target ?? action.target
        switch action {
        case .scale(let name, let change):
            let replicas: Int?
            if case .to(let count) = change { replicas = count } else { replicas = step.to }
            guard let replicas else { return .refused("scale of \(name) has no absolute replica count") }
            return .call(DryRunCall(action: "scale", target: name, value: replicas, request: "scale \(name) to \(replicas)"))
        case .autoscaler(let name, let min, let max):
            let bounds = [min.map { "min \($0)" }, max.map { "max \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return .call(DryRunCall(action: "autoscaler", target: name, value: nil, request: "set autoscaler of \(name): \(bounds)",
                                    snapshot: ["autoscaler:\(name)": RecordingExecutor.unknownOriginal]))
        case .env(let name, let values):
            let pairs = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let originals = Dictionary(uniqueKeysWithValues: values.keys.map { ("env:\(name):\($0)", RecordingExecutor.unknownOriginal) })
            return .call(DryRunCall(action: "env", target: name, value: nil,
                                    request: "set env of \(name): " + pairs.joined(separator: ", "), snapshot: originals))
        case .annotate(let name, let object, let values):
            let changes = values.sorted { $0.key < $1.key }.map { key, value in value.map { "\(key)=\($0)" } ?? "remove \(key)" }
            let prefix = object == .hpa ? "hpa-annotation" : "annotation"
            let originals = Dictionary(uniqueKeysWithValues: values.keys.map { ("\(prefix):\(name):\($0)", RecordingExecutor.unknownOriginal) })
            return .call(DryRunCall(action: "annotate", target: name, value: nil,
                                    request: "annotate \(object == .hpa ? "HPA of " : "")\(name): " + changes.joined(separator: ", "),
                                    snapshot: originals))
        case .http(let call):
            let render = { (text: String) in template?.render(text) ?? text }
            var request = "\(call.method) \(render(call.url))"
            // Header values often carry credentials: record only their names.
            if !call.headers.isEmpty { request += " headers " + call.headers.keys.sorted().joined(separator: ", ") }
            if let body = call.body { request += " body " + render(body) }
            return .call(DryRunCall(action: "http", target: target, value: nil, request: request))
        case .command(let call):
            return command(call, target: target, template: template)
        case .notify(let message):
            return .call(DryRunCall(action: "notify", target: target, value: nil, request: template?.render(message) ?? message))
        }
    }

    /// argv with validated parameters substituted, as a JSON array; refused when a parameter fails its pattern.
    private static func command(_ call: Action.CommandCall, target: String?, template: AlertTemplate?) -> Rendering {
        var values: [String: String] = [:]
        for (name, parameter) in call.params.sorted(by: { $0.key < $1.key }) {
            let value = template?.value(of: parameter.from) ?? ""
            guard let valid = CommandParameterCheck.validated(value, pattern: parameter.pattern) else {
                let why = template == nil ? " (the run's alert is not in the journal, so it has no value)" : ""
                return .refused("parameter \(name) from \(parameter.from) refused by its pattern\(why): the command was not run")
            }
            values[name] = valid
        }
        let argv = call.argv.map { argument in
            values.reduce(argument) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let request = (try? encoder.encode(argv)).map { String(decoding: $0, as: UTF8.self) } ?? argv.joined(separator: " ")
        return .call(DryRunCall(action: "command", target: target, value: nil, request: request))
    }

    /// The alert the run was started by, as a template context, when both the run and its alert are in the file.
    static func template(forRun runID: String, in db: Database) throws -> AlertTemplate? {
        guard let run = try Row.fetchOne(db, sql: "SELECT playbook, alert_fingerprint FROM run WHERE id = ?", arguments: [runID]) else {
            return nil
        }
        let fingerprint: String = run["alert_fingerprint"]
        // Prefer the firing alert: its labels are the ones the playbook matched.
        let row = try Row.fetchOne(
            db,
            sql: "SELECT * FROM alert WHERE fingerprint = ? ORDER BY status = 'firing' DESC, id DESC LIMIT 1",
            arguments: [fingerprint]
        )
        guard let row, let alert = try? JournalRows.alert(row) else { return nil }
        return AlertTemplate(alert: alert.alert, playbook: run["playbook"])
    }
}
