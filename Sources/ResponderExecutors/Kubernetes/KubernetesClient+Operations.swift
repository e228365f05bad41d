/// An HPA's bounds, what it wants, and the version they were read at.
public struct KubernetesAutoscaler: Sendable, Equatable {
    /// `spec.minReplicas` (1 when absent, the API's default).
    public var minReplicas: Int
    /// `spec.maxReplicas`.
    public var maxReplicas: Int
    /// `status.desiredReplicas`, when the controller has reported it.
    public var desiredReplicas: Int?
    /// `metadata.resourceVersion`, the precondition for a patch that must not overwrite a concurrent change.
    public var resourceVersion: String?

    /// Creates a state.
    public init(minReplicas: Int, maxReplicas: Int, desiredReplicas: Int? = nil, resourceVersion: String? = nil) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.desiredReplicas = desiredReplicas
        self.resourceVersion = resourceVersion
    }
}

extension KubernetesClient {
    /// `spec.replicas` of a Deployment's or StatefulSet's scale subresource (0 when absent: the API omits zero).
    public func replicas(of workload: KubernetesObjectReference) async throws(KubernetesError) -> Int {
        var object = workload
        object.resource = workload.resource.scale
        let scale = try await decode(KubernetesObjects.Scale.self, .get(object), expected: "a Scale")
        return scale.spec?.replicas ?? 0
    }

    /// Sets `spec.replicas` through the scale subresource (merge patch).
    public func setReplicas(of workload: KubernetesObjectReference, to count: Int) async throws(KubernetesError) {
        _ = try await send(KubernetesPatches.scale(workload, replicas: count))
    }

    /// The HPA's bounds, desired replicas and resource version.
    public func autoscaler(_ hpa: KubernetesObjectReference) async throws(KubernetesError) -> KubernetesAutoscaler {
        let object = try await decode(KubernetesObjects.HorizontalPodAutoscaler.self, .get(hpa),
                                      expected: "a HorizontalPodAutoscaler with spec.maxReplicas")
        return KubernetesAutoscaler(
            minReplicas: object.spec.minReplicas ?? 1, maxReplicas: object.spec.maxReplicas,
            desiredReplicas: object.status?.desiredReplicas, resourceVersion: object.metadata?.resourceVersion
        )
    }

    /// Sets the HPA's bounds (merge patch); with `resourceVersion`, a concurrent change since that version is a 409.
    public func setAutoscaler(_ hpa: KubernetesObjectReference, min: Int, max: Int, resourceVersion: String?) async throws(KubernetesError) {
        _ = try await send(KubernetesPatches.autoscaler(hpa, min: min, max: max, resourceVersion: resourceVersion))
    }

    /// The containers of a workload's pod template with their environment.
    public func containers(of workload: KubernetesObjectReference) async throws(KubernetesError) -> [KubernetesContainer] {
        let object = try await decode(KubernetesObjects.Workload.self, .get(workload),
                                      expected: "a \(workload.resource.kind) with spec.template.spec.containers")
        return object.spec.template.spec.containers.map { container in
            var environment: [String: KubernetesContainer.Variable] = [:]
            for variable in container.env ?? [] {
                environment[variable.name] = variable.valueFrom.map { .reference($0.summary) } ?? .value(variable.value ?? "")
            }
            return KubernetesContainer(name: container.name, environment: environment)
        }
    }

    /// Sets (value) or removes (nil) variables of one container (strategic merge patch, merged by name).
    public func setEnvironment(
        of workload: KubernetesObjectReference, container: String, changes: [String: String?]
    ) async throws(KubernetesError) {
        _ = try await send(KubernetesPatches.environment(workload, container: container, changes: changes))
    }

    /// `metadata.annotations` of an object (empty when it has none).
    public func annotations(of object: KubernetesObjectReference) async throws(KubernetesError) -> [String: String] {
        let read = try await decode(KubernetesObjects.Object.self, .get(object), expected: "a \(object.resource.kind)")
        return read.metadata?.annotations ?? [:]
    }

    /// Sets (value) or removes (nil) annotations of an object (merge patch).
    public func setAnnotations(of object: KubernetesObjectReference, changes: [String: String?]) async throws(KubernetesError) {
        _ = try await send(KubernetesPatches.annotations(object, changes: changes))
    }
}
