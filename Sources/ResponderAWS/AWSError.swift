import ResponderCore

/// What an AWS API answered when it refused a call, with secrets scrubbed from the message.
public struct AWSErrorDetail: Sendable, Equatable {
    /// The IAM-style operation, e.g. `ecs:UpdateService`.
    public var operation: String
    /// The HTTP status (200 for failures reported inside a successful answer).
    public var status: Int
    /// The error code without its namespace (`ThrottlingException`), or `HTTP <status>` when there was none.
    public var code: String
    /// The message AWS gave, shortened.
    public var message: String

    /// Creates a detail.
    public init(operation: String, status: Int, code: String, message: String) {
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
    }

    /// `ThrottlingException: Rate exceeded`.
    var summary: String { message.isEmpty ? code : "\(code): \(message)" }
}

/// A failed AWS API call, classified by what can be done about it.
public enum AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Throttled (ThrottlingException, TooManyRequestsException, RequestLimitExceeded, HTTP 429): retry later.
    case throttled(AWSErrorDetail)
    /// The service failed (5xx): retry.
    case serviceFailure(AWSErrorDetail)
    /// Another change is in progress (ConcurrentUpdateException): retry.
    case conflict(AWSErrorDetail)
    /// No answer (connection refused, timeout, reset): retry.
    case transport(operation: String, reason: String)
    /// The caller lacks `permission`: grant it.
    case accessDenied(AWSErrorDetail, permission: String)
    /// The credentials were refused (unknown key, bad signature, expired token): fix the credentials.
    case invalidCredentials(AWSErrorDetail, accessKeyId: String)
    /// `resource` does not exist (or is inactive) in this account and region.
    case notFound(AWSErrorDetail, resource: String)
    /// The request was refused as invalid (ValidationException, InvalidParameterException, ClientException).
    case invalidRequest(AWSErrorDetail)
    /// Any other refusal, or an answer that could not be read.
    case unexpected(AWSErrorDetail)
    /// No credentials could be had.
    case credentials(AWSCredentialError)

    /// True for throttling, 5xx, conflicts, transport failures and credential sources that may come back.
    public var retryable: Bool {
        switch self {
        case .throttled, .serviceFailure, .conflict, .transport: return true
        case .credentials(let error): return error.retryable
        case .accessDenied, .invalidCredentials, .notFound, .invalidRequest, .unexpected: return false
        }
    }

    /// What happened and what to do.
    public var description: String {
        switch self {
        case .throttled(let detail):
            return "\(detail.operation) throttled (\(detail.summary)); will retry"
        case .serviceFailure(let detail):
            return "\(detail.operation) failed on the AWS side (HTTP \(detail.status), \(detail.summary))"
        case .conflict(let detail):
            return "\(detail.operation) conflicts with a change in progress (\(detail.summary))"
        case .transport(let operation, let reason):
            return "\(operation): no answer from AWS (\(reason))"
        case .accessDenied(let detail, let permission):
            return "\(detail.operation) denied (\(detail.summary)): allow IAM permission \(permission) "
                + "to the role or user Responder runs as"
        case .invalidCredentials(let detail, let accessKeyId):
            return "\(detail.operation): AWS refused the credentials with access key id \(accessKeyId) "
                + "(\(detail.summary)): check the credential source (environment, web identity, shared file, "
                + "container endpoint), that the key is active and the session token has not expired"
        case .notFound(let detail, let resource):
            return "\(detail.operation): \(resource) not found (\(detail.summary)): check the cluster and service "
                + "names, the region and the account"
        case .invalidRequest(let detail):
            return "\(detail.operation) refused as invalid: \(detail.summary)"
        case .unexpected(let detail):
            return "\(detail.operation) failed with HTTP \(detail.status): \(detail.summary)"
        case .credentials(let error):
            return error.description
        }
    }

    /// The error as a ``BackendError`` prefixed with `label`.
    public func backendError(label: String) -> BackendError {
        BackendError(retryable: retryable, message: "\(label): \(description)")
    }
}
