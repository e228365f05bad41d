/// The system behind one target (a Kubernetes workload, an ECS service, a compose service, a command pair), as the
/// run executor sees it: read and set replicas, and where the system has them, the autoscaler's bounds, the
/// workload's environment and its annotations.
///
/// Every setter takes absolute values, so repeating a call is harmless. Implementations live in the adapter targets
/// (`ResponderExecutors`, `ResponderAWS`); the defaults below refuse what a backend does not support.
public protocol ScalingBackend: Sendable {
    /// What it is, for messages: `Kubernetes Deployment prod/api`, `ECS service hyperverge-prod/worker`.
    var label: String { get }

    /// The replica count the system is set to (spec / desiredCount), not how many are ready.
    func replicas() async throws(BackendError) -> Int

    /// Sets the replica count.
    func setReplicas(_ count: Int) async throws(BackendError)

    /// The autoscaler's bounds and what it currently wants; nil when the target has no autoscaler configured.
    func autoscaler() async throws(BackendError) -> AutoscalerState?

    /// Sets the autoscaler's min and max.
    func setAutoscaler(min: Int, max: Int) async throws(BackendError)

    /// Current values of the named environment variables of the workload's container; unset names are absent.
    func environment(_ names: [String]) async throws(BackendError) -> [String: String]

    /// Sets (value) or removes (nil) environment variables of the workload's container.
    func setEnvironment(_ changes: [String: String?]) async throws(BackendError)

    /// Current values of the named annotations on `object`; absent keys are missing.
    func annotations(on object: Action.AnnotatedObject, keys: [String]) async throws(BackendError) -> [String: String]

    /// Sets (value) or removes (nil) annotations on `object`.
    func setAnnotations(on object: Action.AnnotatedObject, _ changes: [String: String?]) async throws(BackendError)

    /// The exact request `operation` would send (method, path or argv, body), for dry-run records; no I/O.
    func request(for operation: BackendOperation) -> String
}

/// A change a backend can make, described without making it (dry-run).
public enum BackendOperation: Sendable, Equatable {
    /// Set replicas.
    case setReplicas(Int)
    /// Set autoscaler min and max.
    case setAutoscaler(min: Int, max: Int)
    /// Set or remove environment variables.
    case setEnvironment([String: String?])
    /// Set or remove annotations on an object.
    case setAnnotations(Action.AnnotatedObject, [String: String?])
}

/// An autoscaler's bounds (Kubernetes HPA min/maxReplicas, Application Auto Scaling Min/MaxCapacity).
public struct AutoscalerState: Sendable, Equatable {
    /// Lower bound.
    public var min: Int
    /// Upper bound.
    public var max: Int
    /// What it currently wants (HPA `status.desiredReplicas`); nil when the system does not say.
    public var desired: Int?

    /// Creates a state.
    public init(min: Int, max: Int, desired: Int? = nil) {
        self.min = min
        self.max = max
        self.desired = desired
    }
}

/// Why a backend call failed, whether trying again may help, and what to do about it.
public struct BackendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// True for throttling, timeouts, 5xx, conflicts and lost connections; false for refusals that need a person.
    public var retryable: Bool
    /// What happened and what to do (never a secret).
    public var message: String

    /// Creates an error.
    public init(retryable: Bool, message: String) {
        self.retryable = retryable
        self.message = message
    }

    /// A failure that needs a person (RBAC, a wrong name, an unsupported action).
    public static func permanent(_ message: String) -> BackendError { BackendError(retryable: false, message: message) }

    /// A failure that may pass on retry.
    public static func retryable(_ message: String) -> BackendError { BackendError(retryable: true, message: message) }

    /// The message.
    public var description: String { message }
}

extension ScalingBackend {
    /// No autoscaler unless the backend says otherwise.
    public func autoscaler() async throws(BackendError) -> AutoscalerState? { nil }

    /// Refused: this backend has no autoscaler.
    public func setAutoscaler(min: Int, max: Int) async throws(BackendError) {
        throw .permanent("\(label) has no autoscaler Responder can change: remove the autoscaler action for it")
    }

    /// Refused: this backend has no environment Responder can patch.
    public func environment(_ names: [String]) async throws(BackendError) -> [String: String] {
        throw .permanent("\(label) has no environment Responder can patch: env actions need a Kubernetes target")
    }

    /// Refused: this backend has no environment Responder can patch.
    public func setEnvironment(_ changes: [String: String?]) async throws(BackendError) {
        throw .permanent("\(label) has no environment Responder can patch: env actions need a Kubernetes target")
    }

    /// Refused: this backend has no annotations.
    public func annotations(on object: Action.AnnotatedObject, keys: [String]) async throws(BackendError) -> [String: String] {
        throw .permanent("\(label) has no annotations: annotate actions need a Kubernetes target")
    }

    /// Refused: this backend has no annotations.
    public func setAnnotations(on object: Action.AnnotatedObject, _ changes: [String: String?]) async throws(BackendError) {
        throw .permanent("\(label) has no annotations: annotate actions need a Kubernetes target")
    }
}
