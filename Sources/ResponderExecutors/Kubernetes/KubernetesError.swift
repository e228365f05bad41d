import ResponderCore

/// Why a Kubernetes API call failed, with a message that says what to do; never carries the bearer token or key
/// material.
public struct KubernetesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// 401: the credentials were rejected (token expired, revoked or for another cluster).
        case unauthorized
        /// 403: RBAC does not allow the verb on the resource.
        case forbidden
        /// 404: the object (or the API) does not exist.
        case notFound
        /// 409: the object changed since it was read.
        case conflict
        /// 422 (or 400): the API rejected the change as invalid.
        case invalid
        /// 429: the API server is throttling.
        case throttled
        /// 5xx: the API server failed.
        case serverError
        /// Another unexpected HTTP status.
        case unexpectedStatus
        /// The connection failed or timed out.
        case transport
        /// The answer could not be understood.
        case unparsableResponse
        /// The request cannot be made as asked (unknown container, value from a secret, no HPA configured).
        case unsupported
        /// Local credentials could not be read (token file missing or empty).
        case credentials
    }

    /// What kind of failure.
    public var kind: Kind
    /// HTTP status, when the API answered.
    public var statusCode: Int?
    /// What happened and what to do.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, statusCode: Int? = nil, message: String) {
        self.kind = kind
        self.statusCode = statusCode
        self.message = message
    }

    /// True when repeating the call may help: conflicts, throttling, server errors and lost connections.
    public var retryable: Bool {
        switch kind {
        case .conflict, .throttled, .serverError, .transport: return true
        case .unauthorized, .forbidden, .notFound, .invalid, .unexpectedStatus, .unparsableResponse, .unsupported, .credentials:
            return false
        }
    }

    /// The same failure with its message prefixed `cluster NAME: `, so people know which cluster answered.
    public func on(cluster: String) -> KubernetesError {
        var copy = self
        copy.message = "cluster \(cluster): \(message)"
        return copy
    }

    /// The same failure for the run executor.
    public var backendError: BackendError {
        BackendError(retryable: retryable, message: message)
    }

    /// The message.
    public var description: String { message }
}
