import ResponderCore

/// A Kubernetes Deployment or StatefulSet (and its HPA, when the target names one) as a ``ScalingBackend``.
///
/// Replicas go through the scale subresource; autoscaler bounds through the autoscaling/v2 HPA, patched with the
/// resourceVersion just read so a concurrent change is a retryable conflict rather than a lost update; env through a
/// strategic merge patch of one container (others untouched); annotations through a merge patch. Variables that come
/// from a secret, configMap or field (`valueFrom`) are neither reported nor overwritten: both are refused with a
/// permanent error naming the reference.
public struct KubernetesBackend: ScalingBackend {
    /// The target's coordinates.
    public let target: Target.Kubernetes
    private let client: KubernetesClient

    /// Creates the backend of `target` over `client`.
    public init(_ target: Target.Kubernetes, client: KubernetesClient) {
        self.target = target
        self.client = client
    }

    /// `Kubernetes Deployment prod/api`, with ` (cluster eu-west)` on a cluster other than the default.
    public var label: String {
        let cluster = target.cluster.map { " (cluster \($0))" } ?? ""
        return "Kubernetes \(target.kind.rawValue) \(target.namespace)/\(target.name)\(cluster)"
    }

    private var workload: KubernetesObjectReference {
        KubernetesObjectReference(.workload(target.kind), namespace: target.namespace, name: target.name)
    }

    private var hpa: KubernetesObjectReference? {
        target.hpa.map { KubernetesObjectReference(.horizontalPodAutoscalers, namespace: target.namespace, name: $0) }
    }

    /// `spec.replicas` of the scale subresource (0 to 100,000, else a permanent error).
    public func replicas() async throws(BackendError) -> Int {
        let count: Int
        do { count = try await client.replicas(of: workload) } catch { throw error.backendError }
        return try BackendError.checkedCount(count, "spec.replicas", of: label)
    }

    /// Patches the scale subresource.
    public func setReplicas(_ count: Int) async throws(BackendError) {
        do { try await client.setReplicas(of: workload, to: count) } catch { throw error.backendError }
    }

    /// The HPA's min, max and desired replicas (each 0 to 100,000, else a permanent error); nil without `hpa`.
    public func autoscaler() async throws(BackendError) -> AutoscalerState? {
        guard let hpa else { return nil }
        let found: AutoscalerState
        do {
            let state = try await client.autoscaler(hpa)
            found = AutoscalerState(min: state.minReplicas, max: state.maxReplicas, desired: state.desiredReplicas)
        } catch {
            throw error.backendError
        }
        return try BackendError.checkedAutoscaler(
            found, fields: ("spec.minReplicas", "spec.maxReplicas", "status.desiredReplicas"), of: "\(label)'s HPA")
    }

    /// Reads the HPA, then patches min and max with the resourceVersion read (409 → retryable).
    public func setAutoscaler(min: Int, max: Int) async throws(BackendError) {
        let hpa = try requireHPA()
        do {
            let current = try await client.autoscaler(hpa)
            try await client.setAutoscaler(hpa, min: min, max: max, resourceVersion: current.resourceVersion)
        } catch {
            throw error.backendError
        }
    }

    /// Plain values of the named variables of the target's container; a `valueFrom` variable is a permanent error.
    public func environment(_ names: [String]) async throws(BackendError) -> [String: String] {
        do throws(KubernetesError) {
            let container = try await selectedContainer()
            var values: [String: String] = [:]
            for name in names {
                switch container.environment[name] {
                case .value(let value): values[name] = value
                case .reference(let source): throw referenceError(name, source: source, container: container.name)
                case nil: continue
                }
            }
            return values
        } catch {
            throw error.backendError
        }
    }

    /// Reads the workload (to find the container and refuse `valueFrom` variables), then strategic-merge-patches
    /// the container's env.
    public func setEnvironment(_ changes: [String: String?]) async throws(BackendError) {
        guard !changes.isEmpty else { return }
        do throws(KubernetesError) {
            let container = try await selectedContainer()
            for name in changes.keys.sorted() {
                if case .reference(let source) = container.environment[name] {
                    throw referenceError(name, source: source, container: container.name)
                }
            }
            try await client.setEnvironment(of: workload, container: container.name, changes: changes)
        } catch {
            throw error.backendError
        }
    }

    /// The named annotations of the workload or its HPA.
    public func annotations(on object: Action.AnnotatedObject, keys: [String]) async throws(BackendError) -> [String: String] {
        let reference = try annotated(object)
        do {
            let all = try await client.annotations(of: reference)
            return all.filter { keys.contains($0.key) }
        } catch {
            throw error.backendError
        }
    }

    /// Merge-patches annotations of the workload or its HPA.
    public func setAnnotations(on object: Action.AnnotatedObject, _ changes: [String: String?]) async throws(BackendError) {
        let reference = try annotated(object)
        guard !changes.isEmpty else { return }
        do { try await client.setAnnotations(of: reference, changes: changes) } catch { throw error.backendError }
    }

    /// The request each change sends. Without I/O the HPA's resourceVersion is unknown (the real patch carries it),
    /// and with no `container` configured the first container's name is shown as `<first container>`.
    public func request(for operation: BackendOperation) -> String {
        switch operation {
        case .setReplicas(let count):
            return client.text(of: KubernetesPatches.scale(workload, replicas: count))
        case .setAutoscaler(let min, let max):
            guard let hpa else { return noHPAError.message }
            return client.text(of: KubernetesPatches.autoscaler(hpa, min: min, max: max, resourceVersion: nil))
        case .setEnvironment(let changes):
            let container = target.container ?? "<first container>"
            return client.text(of: KubernetesPatches.environment(workload, container: container, changes: changes))
        case .setAnnotations(let object, let changes):
            do {
                return client.text(of: KubernetesPatches.annotations(try annotated(object), changes: changes))
            } catch {
                return error.message
            }
        }
    }

    private var noHPAError: BackendError {
        .permanent("\(label) has no HPA configured: set `hpa:` on the target to the HorizontalPodAutoscaler's name, "
                   + "or remove the autoscaler action")
    }

    private func requireHPA() throws(BackendError) -> KubernetesObjectReference {
        guard let hpa else { throw noHPAError }
        return hpa
    }

    private func annotated(_ object: Action.AnnotatedObject) throws(BackendError) -> KubernetesObjectReference {
        switch object {
        case .workload: return workload
        case .hpa: return try requireHPA()
        }
    }

    private func selectedContainer() async throws(KubernetesError) -> KubernetesContainer {
        let containers = try await client.containers(of: workload)
        if let name = target.container {
            guard let container = containers.first(where: { $0.name == name }) else {
                let existing = containers.map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw KubernetesError(.unsupported, message:
                    "\(label) has no container \"\(name)\"; its containers are \(existing.isEmpty ? "none" : existing): "
                    + "fix the target's container.")
            }
            return container
        }
        guard let first = containers.first else {
            throw KubernetesError(.unsupported, message: "\(label) has no containers in its pod template.")
        }
        return first
    }

    private func referenceError(_ name: String, source: String, container: String) -> KubernetesError {
        KubernetesError(.unsupported, message:
            "\(name) in container \"\(container)\" of \(label) comes from \(source) (valueFrom): Responder only reads and "
            + "sets plain values; change the reference itself, or use another variable name.")
    }
}
