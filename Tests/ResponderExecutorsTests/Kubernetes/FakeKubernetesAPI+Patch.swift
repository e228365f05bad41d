// PATCH handling of the fake Kubernetes API server (a fake that enforces the real API's contract, not the real API).
import Foundation

extension FakeKubernetesAPI {
    static let mergePatch = "application/merge-patch+json"
    static let strategicMergePatch = "application/strategic-merge-patch+json"

    static func patch(
        _ route: Route, stored: FakeJSON, manager: String, headers: [String: String], body: [UInt8], state: inout State
    ) -> Reply {
        let contentType = headers["content-type"]?.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) }
        guard let contentType, contentType == mergePatch || contentType == strategicMergePatch else {
            return status(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                + "application/merge-patch+json, application/strategic-merge-patch+json")
        }
        guard let patch = FakeJSON.parse(body), patch.object != nil else {
            return status(400, "BadRequest", "error decoding patch: the patch is not a JSON object")
        }
        let isWorkload = route.resource != hpas
        // Stricter than the real server, which also takes strategic merge patches here: Responder must use merge
        // patches for scale and HPA bounds, and the fake pins that.
        if (route.subresource == "scale" || !isWorkload) && contentType != mergePatch {
            return status(415, "UnsupportedMediaType", "the fake accepts only \(mergePatch) for \(route.rbacName)")
        }
        // A JSON merge patch that touches a workload's spec replaces its containers list whole (wiping the other
        // containers and env); the real server would apply it and usually then reject the result. The fake refuses
        // it outright so the mistake cannot pass unnoticed.
        if isWorkload && route.subresource == nil && contentType == mergePatch && patch["spec"] != nil {
            return status(415, "UnsupportedMediaType",
                "the fake requires \(strategicMergePatch) for changes to a \(route.resource.kind)'s spec")
        }
        let current = route.subresource == "scale" ? scale(of: stored) : stored
        let patched: FakeJSON
        do {
            patched = contentType == mergePatch ? current.mergePatched(with: patch) : try current.strategicMerged(with: patch)
        } catch {
            return status(400, "BadRequest", "unsupported strategic merge patch directive \(error)")
        }
        let currentVersion = current[path: "metadata.resourceVersion"]
        if patched[path: "metadata.resourceVersion"] != currentVersion {
            return status(409, "Conflict",
                "Operation cannot be fulfilled on \(route.resource.plural).\(route.resource.group) \"\(route.name)\": the object "
                + "has been modified; please apply your changes to the latest version and try again",
                details: ["name": .string(route.name), "group": .string(route.resource.group), "kind": .string(route.resource.plural)])
        }
        if patched[path: "metadata.name"] != current[path: "metadata.name"]
            || patched[path: "metadata.namespace"] != current[path: "metadata.namespace"] {
            return status(400, "BadRequest", "the name of the object does not match the name on the URL")
        }
        var updated: FakeJSON
        if route.subresource == "scale" {
            let replicas = patched[path: "spec.replicas"] ?? 0
            guard let count = replicas.int, count >= 0 else {
                return invalid("Scale", "autoscaling", route.name, "spec.replicas", replicas, "must be greater than or equal to 0")
            }
            updated = stored
            updated["spec"]?["replicas"] = .int(count)
            updated["status"] = ["replicas": .int(count)]
        } else {
            if let failure = validate(patched, route) {
                return failure
            }
            updated = patched
        }
        // A write through the scale subresource is recorded on the workload, in the workload's apiVersion.
        updated = FakeManagedFields.record(
            old: stored, updated: updated, manager: manager, apiVersion: "\(route.resource.group)/\(route.resource.version)",
            subresource: route.subresource, time: Date())
        state.revision += 1
        updated["metadata"]?["resourceVersion"] = .string(String(state.revision))
        state.objects[route.key] = updated
        return Reply(status: 200, body: (route.subresource == "scale" ? scale(of: updated) : updated).text)
    }

    /// A 422 Status with the API's message shape.
    static func invalid(_ kind: String, _ group: String, _ name: String, _ field: String, _ value: FakeJSON, _ detail: String) -> Reply {
        status(422, "Invalid", "\(kind).\(group) \"\(name)\" is invalid: \(field): Invalid value: \(value.text): \(detail)",
               details: ["name": .string(name), "group": .string(group), "kind": .string(kind)])
    }

    /// A 422 for a missing field.
    static func required(_ kind: String, _ group: String, _ name: String, _ field: String) -> Reply {
        status(422, "Invalid", "\(kind).\(group) \"\(name)\" is invalid: \(field): Required value",
               details: ["name": .string(name), "group": .string(group), "kind": .string(kind)])
    }

    /// The validation the real API applies to the fields Responder changes.
    static func validate(_ object: FakeJSON, _ route: Route) -> Reply? {
        let kind = route.resource.kind
        let group = route.resource.group
        for (key, value) in object[path: "metadata.annotations"]?.object ?? [:] where value.string == nil {
            return invalid(kind, group, route.name, "metadata.annotations[\(key)]", value, "must be a string")
        }
        if route.resource == hpas {
            let max = object[path: "spec.maxReplicas"] ?? .null
            guard let maxCount = max.int, maxCount >= 1 else {
                return invalid(kind, group, route.name, "spec.maxReplicas", max, "must be greater than or equal to 1")
            }
            if let min = object[path: "spec.minReplicas"] {
                guard let minCount = min.int, minCount >= 1 else {
                    return invalid(kind, group, route.name, "spec.minReplicas", min, "must be greater than or equal to 1")
                }
                if minCount > maxCount {
                    return invalid(kind, group, route.name, "spec.maxReplicas", max, "must be greater than or equal to `minReplicas`")
                }
            }
            return nil
        }
        guard let containers = object[path: "spec.template.spec.containers"]?.array, !containers.isEmpty else {
            return required(kind, group, route.name, "spec.template.spec.containers")
        }
        for (index, container) in containers.enumerated() {
            let field = "spec.template.spec.containers[\(index)]"
            if container["name"]?.string?.isEmpty ?? true {
                return required(kind, group, route.name, "\(field).name")
            }
            if container["image"]?.string?.isEmpty ?? true {
                return required(kind, group, route.name, "\(field).image")
            }
            for (position, variable) in (container["env"]?.array ?? []).enumerated() {
                if variable["name"]?.string?.isEmpty ?? true {
                    return required(kind, group, route.name, "\(field).env[\(position)].name")
                }
                if let value = variable["value"], value.string == nil {
                    return invalid(kind, group, route.name, "\(field).env[\(position)].value", value, "must be a string")
                }
                if !(variable["value"]?.string ?? "").isEmpty, variable["valueFrom"] != nil {
                    return invalid(kind, group, route.name, "\(field).env[\(position)].valueFrom", "",
                                   "may not be specified when `value` is not empty")
                }
            }
        }
        return nil
    }
}
