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
    /// False for a scale that changes nothing (the live executor would leave the target alone).
    var makesCall = true

    /// What rendering a step gives: a call, or why it must not be made.
    enum Rendering: Sendable, Equatable {
        /// The call to record.
        case call(DryRunCall)
        /// Refused for good (a command parameter failed its pattern, an alert value would change a request).
        case refused(String)
        /// The step uses alert values and the run's alert is not in the store: retryable.
        case unavailable(String)
    }

    /// Renders `step` through ``StepRendering`` (the code path `simulate` and the live executors take), with the
    /// run's alert when the store has it. A scale is decided by ``ScaleDecision`` against `current`, the simulated
    /// count of its target (nil when unknown: the planned count is recorded); a scale that changes nothing is recorded
    /// as "no call" with the count it leaves.
    static func render(_ step: RunStep, snapshot: [String: String], template: AlertTemplate?, current: Int?) -> Rendering {
        let request: StepRequest
        switch StepRendering.prepare(step, snapshot: snapshot, template: template) {
        case .request(let prepared): request = prepared
        case .refused(let message): return .refused(message)
        case .alertUnavailable:
            return .unavailable("the run's alert is not in the store and this step uses its values; the step will be retried")
        }
        let target = request.target ?? step.target
        var call = DryRunCall(action: step.work.kindName, target: target, value: nil, request: request.display)
        switch request {
        case .scale(let name, let replicas, let stepDown):
            call.value = replicas
            if let current {
                let decision = ScaleDecision.decide(label: name, requested: replicas, stepDown: stepDown, current: current,
                                                    autoscaler: nil, originalMin: nil, recheck: step.recheck)
                call.value = decision.replicas ?? current
                call.makesCall = decision.replicas != nil
                call.request = decision.replicas.map { "scale \(name) to \($0)" } ?? "no call: \(decision.detail)"
            }
        case .autoscaler(let name, _, _):
            call.snapshot = ["autoscaler:\(name)": RecordingExecutor.unknownOriginal]
        case .env(let name, let values):
            call.snapshot = Dictionary(uniqueKeysWithValues: values.keys.map { ("env:\(name):\($0)", RecordingExecutor.unknownOriginal) })
        case .annotate(let name, let object, let values):
            let prefix = object == .hpa ? "hpa-annotation" : "annotation"
            call.snapshot = Dictionary(uniqueKeysWithValues: values.keys.map { ("\(prefix):\(name):\($0)", RecordingExecutor.unknownOriginal) })
        case .http, .command, .notify, .restore:
            break
        }
        return .call(call)
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
