/// The fields Responder reads from API objects; everything else in the JSON is ignored.
enum KubernetesObjects {
    /// The `Metadata` part Responder reads.
    struct Metadata: Decodable {
        /// `resourceVersion`.
        var resourceVersion: String?
        /// `annotations`.
        var annotations: [String: String]?
    }

    /// Any object, for its metadata.
    struct Object: Decodable {
        /// `metadata`.
        var metadata: Metadata?
    }

    /// autoscaling/v1 Scale.
    struct Scale: Decodable {
        /// The `Spec` part Responder reads.
        struct Spec: Decodable {
            /// `replicas`.
            var replicas: Int?
        }
        /// `spec`.
        var spec: Spec?
    }

    /// autoscaling/v2 HorizontalPodAutoscaler.
    struct HorizontalPodAutoscaler: Decodable {
        /// The `Spec` part Responder reads.
        struct Spec: Decodable {
            /// `minReplicas`.
            var minReplicas: Int?
            /// `maxReplicas`.
            var maxReplicas: Int
        }
        /// The `Status` part Responder reads.
        struct Status: Decodable {
            /// `desiredReplicas`.
            var desiredReplicas: Int?
        }
        /// `metadata`.
        var metadata: Metadata?
        /// `spec`.
        var spec: Spec
        /// `status`.
        var status: Status?
    }

    /// apps/v1 Deployment or StatefulSet, down to its containers' env.
    struct Workload: Decodable {
        /// The `Spec` part Responder reads.
        struct Spec: Decodable {
            /// `template`.
            var template: Template
        }
        /// The `Template` part Responder reads.
        struct Template: Decodable {
            /// `spec`.
            var spec: PodSpec
        }
        /// The `PodSpec` part Responder reads.
        struct PodSpec: Decodable {
            /// `containers`.
            var containers: [Container]
        }
        /// The `Container` part Responder reads.
        struct Container: Decodable {
            /// `name`.
            var name: String
            /// `env`.
            var env: [EnvVar]?
        }
        /// The `EnvVar` part Responder reads.
        struct EnvVar: Decodable {
            /// `name`.
            var name: String
            /// `value`.
            var value: String?
            /// `valueFrom`.
            var valueFrom: Source?
        }
        /// Where a `valueFrom` variable comes from (names only; never a value).
        struct Source: Decodable {
            /// The `KeyReference` part Responder reads.
            struct KeyReference: Decodable {
                /// `name`.
                var name: String?
                /// `key`.
                var key: String?
            }
            /// The `FieldReference` part Responder reads.
            struct FieldReference: Decodable {
                /// `fieldPath`.
                var fieldPath: String?
            }
            /// The `ResourceReference` part Responder reads.
            struct ResourceReference: Decodable {
                /// `resource`.
                var resource: String?
            }
            /// `secretKeyRef`.
            var secretKeyRef: KeyReference?
            /// `configMapKeyRef`.
            var configMapKeyRef: KeyReference?
            /// `fieldRef`.
            var fieldRef: FieldReference?
            /// `resourceFieldRef`.
            var resourceFieldRef: ResourceReference?
        }
        /// `metadata`.
        var metadata: Metadata?
        /// `spec`.
        var spec: Spec
    }
}

/// One container of a workload and its environment, as read from the API.
public struct KubernetesContainer: Sendable, Equatable {
    /// One environment variable.
    public enum Variable: Sendable, Equatable {
        /// A plain `value` (an absent value is the empty string, as the API omits empty values).
        case value(String)
        /// A `valueFrom` reference, described (`secret db/password`); Responder neither reports nor overwrites these.
        case reference(String)
    }

    /// Container name.
    public var name: String
    /// Variables by name (the last entry wins, as in the kubelet).
    public var environment: [String: Variable]

    /// Creates a container.
    public init(name: String, environment: [String: Variable]) {
        self.name = name
        self.environment = environment
    }
}

/// A description of the reference, for errors.
extension KubernetesObjects.Workload.Source {
    /// `secret NAME/KEY`, `configMap NAME/KEY`, `field PATH`, `resource NAME`.
    var summary: String {
        if let ref = secretKeyRef {
            return "secret \(ref.name ?? "?")/\(ref.key ?? "?")"
        }
        if let ref = configMapKeyRef {
            return "configMap \(ref.name ?? "?")/\(ref.key ?? "?")"
        }
        if let ref = fieldRef {
            return "field \(ref.fieldPath ?? "?")"
        }
        if let ref = resourceFieldRef {
            return "resource \(ref.resource ?? "?")"
        }
        return "a reference"
    }
}
