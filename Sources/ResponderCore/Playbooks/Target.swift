/// Something Responder can scale, with the bounds every action on it is clamped to.
public struct Target: Sendable, Equatable {
    /// Unique name playbooks refer to (`api`, `worker`, `api-gateway`).
    public var name: String
    /// What it is and how to reach it.
    public var backend: Backend
    /// Replica bounds.
    public var bounds: Bounds
    /// Free text for people.
    public var description: String?
    /// Where it was defined.
    public var location: FileLocation

    /// Creates a target.
    public init(name: String, backend: Backend, bounds: Bounds, description: String? = nil, location: FileLocation) {
        self.name = name
        self.backend = backend
        self.bounds = bounds
        self.description = description
        self.location = location
    }

    /// Replica bounds of a target.
    public struct Bounds: Sendable, Equatable {
        /// Never scale below this (at least 1 unless the target explicitly allows 0).
        public var floor: Int
        /// Never scale above this.
        public var ceiling: Int
        /// Largest change one action may make; nil is unlimited.
        public var maxStep: Int?
        /// Whether a floor of 0 (scale to zero) was explicitly allowed.
        public var allowZero: Bool

        /// Creates bounds.
        public init(floor: Int, ceiling: Int, maxStep: Int? = nil, allowZero: Bool = false) {
            self.floor = floor
            self.ceiling = ceiling
            self.maxStep = maxStep
            self.allowZero = allowZero
        }
    }

    /// The system behind a target.
    public enum Backend: Sendable, Equatable {
        /// A Kubernetes Deployment or StatefulSet, optionally with its HorizontalPodAutoscaler.
        case kubernetes(Kubernetes)
        /// An ECS service, optionally with its Application Auto Scaling scalable target.
        case ecs(ECS)
        /// A docker compose service.
        case compose(Compose)
        /// Anything else, through a pair of commands (argv, never a shell).
        case command(Command)

        /// `kubernetes`, `ecs`, `compose` or `command`.
        public var kindName: String {
            switch self {
            case .kubernetes: return "kubernetes"
            case .ecs: return "ecs"
            case .compose: return "compose"
            case .command: return "command"
            }
        }
    }

    /// Kubernetes workload coordinates.
    public struct Kubernetes: Sendable, Equatable {
        /// `Deployment` or `StatefulSet`.
        public var kind: WorkloadKind
        /// Namespace.
        public var namespace: String
        /// Workload name.
        public var name: String
        /// HorizontalPodAutoscaler that controls it, if any.
        public var hpa: String?
        /// Container whose env is patched (default: the first container).
        public var container: String?
        /// Cluster of `kubernetes.clusters` in the configuration; nil is the default cluster.
        public var cluster: String?

        /// The name of the default cluster (the top-level `kubernetes.kubeconfig`, `context`, `in_cluster`).
        public static let defaultCluster = "default"

        /// Creates Kubernetes coordinates.
        public init(
            kind: WorkloadKind, namespace: String, name: String, hpa: String? = nil, container: String? = nil, cluster: String? = nil
        ) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.hpa = hpa
            self.container = container
            self.cluster = cluster == Self.defaultCluster ? nil : cluster
        }

        /// The cluster the workload lives in: its `cluster:` or `default`.
        public var clusterName: String { cluster ?? Self.defaultCluster }

        /// Workload kinds with a `scale` subresource.
        public enum WorkloadKind: String, Sendable, Equatable, CaseIterable {
            /// apps/v1 Deployment.
            case deployment = "Deployment"
            /// apps/v1 StatefulSet.
            case statefulSet = "StatefulSet"
        }
    }

    /// ECS service coordinates.
    public struct ECS: Sendable, Equatable {
        /// Cluster name.
        public var cluster: String
        /// Service name.
        public var service: String
        /// AWS region (default from the environment).
        public var region: String?
        /// Whether the service has an Application Auto Scaling scalable target whose min/max Responder manages.
        public var scalableTarget: Bool

        /// Creates ECS coordinates.
        public init(cluster: String, service: String, region: String? = nil, scalableTarget: Bool = false) {
            self.cluster = cluster
            self.service = service
            self.region = region
            self.scalableTarget = scalableTarget
        }
    }

    /// docker compose coordinates.
    public struct Compose: Sendable, Equatable {
        /// Compose project name (`-p`).
        public var project: String
        /// Service name.
        public var service: String
        /// Compose file (`-f`), if not the default.
        public var file: String?

        /// Creates compose coordinates.
        public init(project: String, service: String, file: String? = nil) {
            self.project = project
            self.service = service
            self.file = file
        }
    }

    /// Commands that read and set the replica count of anything else.
    public struct Command: Sendable, Equatable {
        /// argv printing the current count on stdout; nil when it cannot be read.
        public var get: [String]?
        /// argv setting the count; `{replicas}` is replaced by the absolute value.
        public var set: [String]

        /// Creates a command pair.
        public init(get: [String]?, set: [String]) {
            self.get = get
            self.set = set
        }
    }
}
