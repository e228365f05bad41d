import ResponderCore

/// The exact request a live backend would send for a step (the Kubernetes PATCH with its body, the ECS UpdateService
/// call), for dry-run records; nil for steps without a target backend (HTTP calls, commands, notifications, restores).
public struct ExactRequests: Sendable {
    private let backends: any TargetBackends

    /// Describes steps through `backends`.
    public init(backends: any TargetBackends) {
        self.backends = backends
    }

    /// The exact request a step would send (for dry-run records), when its target's backend can say; nil otherwise.
    public func callAsFunction(_ step: RunStep) async -> String? {
        guard case .action(let action) = step.work, let name = action.target,
              let backend = try? await backends.backend(for: name) else { return nil }
        switch action {
        case .scale:
            return step.to.map { backend.request(for: .setReplicas($0)) }
        case .autoscaler(_, let min, let max):
            guard let min, let max else { return nil }
            return backend.request(for: .setAutoscaler(min: min, max: max))
        case .env(_, let values):
            return backend.request(for: .setEnvironment(values.mapValues { Optional($0) }))
        case .annotate(_, let object, let values):
            return backend.request(for: .setAnnotations(object, values))
        case .http, .command, .notify:
            return nil
        }
    }
}
