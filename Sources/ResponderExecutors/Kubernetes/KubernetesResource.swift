import ResponderCore

/// A Kubernetes API resource type (group, version, plural), optionally one of its subresources: what a request's path
/// is built from and what RBAC rules name.
public struct KubernetesResource: Sendable, Equatable {
    /// API group; empty for the core group.
    public var group: String
    /// API version within the group.
    public var version: String
    /// Plural resource name as it appears in paths and RBAC rules (`deployments`).
    public var plural: String
    /// Kind, for people (`Deployment`).
    public var kind: String
    /// Subresource (`scale`), if any.
    public var subresource: String?

    /// Creates a resource type.
    public init(group: String, version: String, plural: String, kind: String, subresource: String? = nil) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.subresource = subresource
    }

    /// apps/v1 Deployments.
    public static let deployments = KubernetesResource(group: "apps", version: "v1", plural: "deployments", kind: "Deployment")
    /// apps/v1 StatefulSets.
    public static let statefulSets = KubernetesResource(group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet")
    /// autoscaling/v2 HorizontalPodAutoscalers.
    public static let horizontalPodAutoscalers = KubernetesResource(
        group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler"
    )

    /// The resource type of a workload kind.
    public static func workload(_ kind: Target.Kubernetes.WorkloadKind) -> KubernetesResource {
        switch kind {
        case .deployment: return .deployments
        case .statefulSet: return .statefulSets
        }
    }

    /// The same resource's `scale` subresource.
    public var scale: KubernetesResource {
        var copy = self
        copy.subresource = "scale"
        return copy
    }

    /// The name RBAC rules use: `deployments` or `deployments/scale`.
    public var rbacName: String {
        subresource.map { "\(plural)/\($0)" } ?? plural
    }

    /// `/apis/GROUP/VERSION` (or `/api/VERSION` for the core group).
    public var groupVersionPath: String {
        group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
    }
}

/// One named object of a resource type in a namespace.
public struct KubernetesObjectReference: Sendable, Equatable, CustomStringConvertible {
    /// Resource type (with subresource, if the request addresses one).
    public var resource: KubernetesResource
    /// Namespace.
    public var namespace: String
    /// Object name.
    public var name: String

    /// Creates a reference.
    public init(_ resource: KubernetesResource, namespace: String, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    /// The API path: `/apis/apps/v1/namespaces/prod/deployments/api/scale`.
    public var path: String {
        var path = "\(resource.groupVersionPath)/namespaces/\(Self.segment(namespace))/\(resource.plural)/\(Self.segment(name))"
        if let subresource = resource.subresource {
            path += "/\(subresource)"
        }
        return path
    }

    /// `Deployment prod/api` (or `Deployment prod/api (scale)`).
    public var description: String {
        let base = "\(resource.kind) \(namespace)/\(name)"
        return resource.subresource.map { "\(base) (\($0))" } ?? base
    }

    // Kubernetes names are DNS labels/subdomains, but a typo in a playbook must not be able to reach another path.
    private static func segment(_ value: String) -> String {
        percentEncoded(value, keepingDots: value != "." && value != "..")
    }

    /// `value` with every byte outside RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) percent-encoded, so
    /// it stays one path segment or one query value; without `keepingDots`, dots are encoded too.
    static func percentEncoded(_ value: String, keepingDots: Bool = true) -> String {
        var allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        if !keepingDots {
            allowed.remove(".")
        }
        var result = ""
        for byte in value.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if allowed.contains(character) {
                result.append(character)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
