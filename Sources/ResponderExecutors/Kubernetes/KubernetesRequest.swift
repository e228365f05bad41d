import Foundation

/// One request to the Kubernetes API, described without sending it: the same value is sent by ``KubernetesClient``
/// and rendered for dry-run records.
public struct KubernetesRequest: Sendable, Equatable {
    /// HTTP method.
    public enum Method: String, Sendable, Equatable {
        /// Read.
        case get = "GET"
        /// Partial update.
        case patch = "PATCH"

        /// The RBAC verb the method needs (`get`, `patch`).
        public var verb: String { rawValue.lowercased() }
    }

    /// PATCH body types the API server understands.
    public enum PatchType: String, Sendable, Equatable {
        /// RFC 7386 JSON merge patch: objects merge, lists are replaced, null removes a key.
        case merge = "application/merge-patch+json"
        /// Kubernetes strategic merge patch: lists such as containers and env merge by name.
        case strategicMerge = "application/strategic-merge-patch+json"
    }

    /// Method.
    public var method: Method
    /// The object addressed.
    public var object: KubernetesObjectReference
    /// Patch type of the body (PATCH only).
    public var patchType: PatchType?
    /// JSON body (PATCH only), with sorted keys.
    public var body: String?
    /// The field manager a write names in its `fieldManager` query parameter (set by the client that sends it), so
    /// the API server records the changed fields under that name in `metadata.managedFields`.
    public var fieldManager: String?

    /// A GET of `object`.
    public static func get(_ object: KubernetesObjectReference) -> KubernetesRequest {
        KubernetesRequest(method: .get, object: object, patchType: nil, body: nil, fieldManager: nil)
    }

    /// A PATCH of `object` with `body` of type `type`.
    public static func patch(_ object: KubernetesObjectReference, _ type: PatchType, body: String) -> KubernetesRequest {
        KubernetesRequest(method: .patch, object: object, patchType: type, body: body, fieldManager: nil)
    }

    /// The path and, for a write with a field manager, the percent-encoded `?fieldManager=` query.
    public var pathAndQuery: String {
        guard method != .get, let fieldManager else { return object.path }
        return object.path + "?fieldManager=" + KubernetesObjectReference.percentEncoded(fieldManager)
    }

    /// `PATCH https://host:6443/apis/apps/v1/namespaces/prod/deployments/api/scale?fieldManager=responder
    /// (application/merge-patch+json) {...}`.
    public func text(server: String) -> String {
        var text = "\(method.rawValue) \(KubernetesRequest.url(server: server, path: pathAndQuery))"
        if let patchType {
            text += " (\(patchType.rawValue))"
        }
        if let body {
            text += " \(body)"
        }
        return text
    }

    /// `server` (which may carry a path prefix, as behind Rancher) joined with an API path.
    static func url(server: String, path: String) -> String {
        var base = server
        while base.hasSuffix("/") {
            base.removeLast()
        }
        return base + path
    }
}

/// JSON bodies with a stable key order, so dry-run records and the wire agree byte for byte.
enum KubernetesJSON {
    /// Serialises a JSON object tree (dictionaries, arrays, strings, numbers, NSNull) with sorted keys.
    static func string(_ object: [String: Any]) -> String {
        // Only literal trees built by KubernetesPatches reach here, so serialisation cannot fail.
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
