import Foundation

/// The requests Responder sends for each change, built without I/O.
public enum KubernetesPatches {
    /// Merge patch of a workload's scale subresource: `{"spec":{"replicas":N}}`.
    public static func scale(_ workload: KubernetesObjectReference, replicas: Int) -> KubernetesRequest {
        var object = workload
        object.resource = workload.resource.scale
        return .patch(object, .merge, body: KubernetesJSON.string(["spec": ["replicas": replicas]]))
    }

    /// Merge patch of an HPA's bounds; with `resourceVersion` the API refuses it (409) if the HPA changed since it was
    /// read, instead of silently overwriting someone else's change.
    public static func autoscaler(_ hpa: KubernetesObjectReference, min: Int, max: Int, resourceVersion: String?) -> KubernetesRequest {
        var patch: [String: Any] = ["spec": ["minReplicas": min, "maxReplicas": max]]
        if let resourceVersion {
            patch["metadata"] = ["resourceVersion": resourceVersion]
        }
        return .patch(hpa, .merge, body: KubernetesJSON.string(patch))
    }

    /// Strategic merge patch of one container's env (what `kubectl set env` sends): containers and env entries merge
    /// by name, so other containers and other variables are untouched; nil removes a variable.
    public static func environment(_ workload: KubernetesObjectReference, container: String, changes: [String: String?]) -> KubernetesRequest {
        let env: [[String: Any]] = changes.keys.sorted().map { name in
            if let value = changes[name] ?? nil {
                return ["name": name, "value": value]
            }
            return ["name": name, "$patch": "delete"]
        }
        let patch: [String: Any] = ["spec": ["template": ["spec": ["containers": [["name": container, "env": env]]]]]]
        return .patch(workload, .strategicMerge, body: KubernetesJSON.string(patch))
    }

    /// Merge patch of an object's annotations: `{"metadata":{"annotations":{"k":"v","gone":null}}}`.
    public static func annotations(_ object: KubernetesObjectReference, changes: [String: String?]) -> KubernetesRequest {
        var annotations: [String: Any] = [:]
        for (key, value) in changes {
            annotations[key] = value.map { $0 as Any } ?? NSNull()
        }
        return .patch(object, .merge, body: KubernetesJSON.string(["metadata": ["annotations": annotations]]))
    }
}
