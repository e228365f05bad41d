import ResponderCore
import ResponderRuntime
import ResponderExecutors

/// The backends of the targets in the current playbook set: each target's kind picks its client (Kubernetes, ECS,
/// compose, command pair). A reload that changes a target takes effect at its next step.
struct ConfiguredBackends: TargetBackends {
    /// Makes the backend of a Kubernetes workload on its cluster (an error names a cluster without credentials).
    typealias KubernetesMaker = @Sendable (Target.Kubernetes) throws(BackendError) -> any ScalingBackend
    /// Makes the backend of an ECS service.
    typealias ECSMaker = @Sendable (Target.ECS) throws(BackendError) -> any ScalingBackend

    let registry: PlaybookRegistry
    let kubernetes: KubernetesMaker
    let ecs: ECSMaker?
    let ecsProblem: String
    let compose: ComposeScaler
    let commands: CommandTargetScaler

    func backend(for name: String) async throws(BackendError) -> any ScalingBackend {
        guard let target = await registry.playbooks?.targets[name] else {
            throw .permanent("target \(name) is not in the loaded playbooks: it was renamed or removed by a reload")
        }
        switch target.backend {
        case .kubernetes(let workload):
            do {
                return try kubernetes(workload)
            } catch {
                throw BackendError(retryable: error.retryable, message: "target \(name): \(error.message)")
            }
        case .ecs(let service):
            guard let ecs else { throw .permanent("target \(name) is an ECS service, but \(ecsProblem)") }
            return try ecs(service)
        case .compose(let compose):
            return ComposeBackend(compose, scaler: self.compose)
        case .command(let command):
            return CommandBackend(name: name, command, scaler: commands)
        }
    }
}
