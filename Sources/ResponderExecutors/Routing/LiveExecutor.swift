import Foundation
import Logging
import ResponderCore

/// The executor that acts on the world: it routes each step to the backend of its target (Kubernetes, ECS, compose,
/// a command pair), runs HTTP calls and commands, and hands dry-run steps to `dryRun` (the recording executor).
///
/// Every step reads before it writes (see ``ScaleStep`` and ``ChangeStep``), so a retry or a re-check after a restart
/// is harmless, and every failure is classified: ``StepResult/retryable(_:)`` for throttling, timeouts, 5xx, conflicts
/// and lost connections (the engine retries with backoff, then escalates), ``StepResult/permanent(_:)`` for
/// refusals a person must fix.
public struct LiveExecutor: StepExecutor {
    private let backends: any TargetBackends
    private let http: HTTPCallRunner
    private let commands: CommandStepRunner
    private let dryRun: any StepExecutor
    private let alert: @Sendable (String) async -> AlertTemplate?
    private let logger: Logger

    /// Creates the executor. `alert` finds the alert a run was started by (for HTTP and command templates);
    /// `dryRun` records steps of dry-run playbooks instead of acting.
    public init(backends: any TargetBackends, http: HTTPCallRunner, commands: CommandStepRunner, dryRun: any StepExecutor,
                alert: @escaping @Sendable (String) async -> AlertTemplate?, logger: Logger) {
        self.backends = backends
        self.http = http
        self.commands = commands
        self.dryRun = dryRun
        self.alert = alert
        self.logger = logger
    }

    /// Executes `step`, or records it when `dryRun` is set.
    public func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun isDryRun: Bool) async -> StepResult {
        if isDryRun { return await dryRun.execute(step, runID: runID, snapshot: snapshot, dryRun: true) }
        let result = await act(step, runID: runID, snapshot: snapshot)
        switch result {
        case .success(let detail, _):
            logger.info("step done", metadata: ["run": "\(runID)", "step": "\(step.index)", "detail": "\(detail)"])
        case .retryable(let message), .permanent(let message):
            logger.warning("step failed", metadata: ["run": "\(runID)", "step": "\(step.index)", "error": "\(message)",
                                                     "retryable": "\(result.isRetryable)"])
        case .waiting(let wait):
            logger.info("step waits for its load checks", metadata: ["run": "\(runID)", "step": "\(step.index)",
                                                                     "check": "\(wait.check)", "reason": "\(wait.reason)"])
        }
        return result
    }

    /// Current replica counts, read from each target's system; targets that cannot be read are missing.
    public func replicas(of targets: [String]) async -> [String: Int] {
        await read(targets) { backend throws(BackendError) in try await backend.replicas() }
    }

    /// What each target's autoscaler wants now (HPA desired replicas), where it says.
    public func autoscalerDesired(of targets: [String]) async -> [String: Int] {
        await read(targets) { backend throws(BackendError) in try await backend.autoscaler()?.desired }
    }

    private func act(_ step: RunStep, runID: String, snapshot: [String: String]) async -> StepResult {
        // The alert is read only for the actions that can use its values; the rest render without it.
        var template: AlertTemplate?
        if case .action(let action) = step.work, action.readsAlertValues {
            template = await alert(runID)
        }
        let request: StepRequest
        switch StepRendering.prepare(step, snapshot: snapshot, template: template) {
        case .request(let prepared): request = prepared
        case .refused(let message): return .permanent(message)
        case .alertUnavailable: return Self.noAlert(runID)
        }
        let change = ChangeStep(snapshot: snapshot, recheck: step.recheck)
        do throws(BackendError) {
            switch request {
            case .restore:
                return try await change.restore(using: backends)
            case .scale(let name, let replicas, let stepDown):
                let backend = try await backends.backend(for: name)
                return await ScaleStep(target: name, requested: replicas, stepDown: stepDown, step: step, snapshot: snapshot)
                    .run(on: backend)
            case .autoscaler(let name, let min, let max):
                return try await change.autoscaler(name, min: min, max: max, on: backends.backend(for: name))
            case .env(let name, let values):
                return try await change.env(name, set: values, on: backends.backend(for: name))
            case .annotate(let name, let object, let values):
                return try await change.annotate(name, object: object, set: values, on: backends.backend(for: name))
            case .http(let prepared):
                return await http.run(prepared)
            case .command(let prepared):
                return await commands.run(prepared)
            case .notify(let text):
                return .success(detail: "notified: \(text)", snapshot: [:])
            }
        } catch {
            return error.retryable ? .retryable(error.message) : .permanent(error.message)
        }
    }

    private static func noAlert(_ runID: String) -> StepResult {
        .retryable("the alert of run \(runID) could not be read from the store and this step uses its values; "
            + "the step will be retried")
    }

    private func read(_ targets: [String], _ value: @escaping @Sendable (any ScalingBackend) async throws(BackendError) -> Int?)
        async -> [String: Int] {
        let backends = self.backends
        let logger = self.logger
        return await withTaskGroup(of: (String, Int?).self) { group in
            for name in Set(targets) {
                group.addTask {
                    do {
                        return (name, try await value(backends.backend(for: name)))
                    } catch {
                        logger.warning("target could not be read", metadata: ["target": "\(name)", "error": "\(error)"])
                        return (name, nil)
                    }
                }
            }
            var counts: [String: Int] = [:]
            for await (name, count) in group { if let count { counts[name] = count } }
            return counts
        }
    }
}

extension StepResult {
    /// True for a retryable failure.
    var isRetryable: Bool { if case .retryable = self { true } else { false } }
}
