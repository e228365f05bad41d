import Foundation
import NIOHTTP1

/// Reads AWS JSON error answers (`{"__type": "...#Code", "message": "..."}`) and sorts them into ``AWSError`` cases.
enum AWSErrorClassifier {
    /// Codes that mean "slow down".
    static let throttling: Set<String> = [
        "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling", "ThrottledException",
        "RequestThrottled", "RequestThrottledException", "SlowDown",
    ]
    /// Codes that mean the credentials themselves were refused.
    static let badCredentials: Set<String> = [
        "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredToken",
        "ExpiredTokenException", "InvalidClientTokenId", "IncompleteSignature", "IncompleteSignatureException",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "RequestExpired", "InvalidAccessKeyId",
        "AuthFailure",
    ]
    /// Codes that mean a missing IAM permission.
    static let denied: Set<String> = ["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "NotAuthorized"]
    /// Codes that mean the addressed resource does not exist (or no longer runs).
    static let missing: Set<String> = [
        "ServiceNotFoundException", "ClusterNotFoundException", "ServiceNotActiveException", "ObjectNotFoundException",
        "ResourceNotFoundException",
    ]
    /// Codes that mean the request itself is wrong.
    static let invalid: Set<String> = [
        "ValidationException", "InvalidParameterException", "InvalidParameterValueException", "ClientException",
        "SerializationException", "UnknownOperationException", "LimitExceededException", "ValidationError",
        "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter",
    ]
    /// Codes that mean another change is under way.
    static let conflicts: Set<String> = ["ConcurrentUpdateException", "ConflictException", "UpdateInProgressException"]

    /// The error code and message of an error answer: `__type` (namespace before `#` dropped), else the
    /// `x-amzn-ErrorType` header (anything after `:` dropped); `message`, `Message` or `errorMessage`.
    static func parse(body: [UInt8], headers: HTTPHeaders) -> (code: String?, message: String) {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        var code = (object?["__type"] as? String) ?? (object?["code"] as? String)
        if code == nil, let header = headers.first(name: "x-amzn-ErrorType") {
            code = header.split(separator: ":", maxSplits: 1).first.map(String.init)
        }
        if let raw = code, let hash = raw.lastIndex(of: "#") { code = String(raw[raw.index(after: hash)...]) }
        let message = (object?["message"] as? String) ?? (object?["Message"] as? String)
            ?? (object?["errorMessage"] as? String) ?? ""
        return (code.flatMap { $0.isEmpty ? nil : $0 }, message)
    }

    /// The case for an answer with `status`, `code` and `message` to a call of `operation`.
    static func classify(
        status: Int, code: String?, message: String, operation: String, resource: String, accessKeyId: String
    ) -> AWSError {
        let detail = AWSErrorDetail(operation: operation, status: status, code: code ?? "HTTP \(status)", message: message)
        let known = code ?? ""
        if throttling.contains(known) || status == 429 { return .throttled(detail) }
        if conflicts.contains(known) { return .conflict(detail) }
        if badCredentials.contains(known) { return .invalidCredentials(detail, accessKeyId: accessKeyId) }
        if denied.contains(known) { return .accessDenied(detail, permission: operation) }
        if missing.contains(known) { return .notFound(detail, resource: resource) }
        if status >= 500 { return .serviceFailure(detail) }
        if invalid.contains(known) { return .invalidRequest(detail) }
        if status == 403 { return .accessDenied(detail, permission: operation) }
        return .unexpected(detail)
    }

    /// `message` without any secret of `credentials`, cut to 300 characters (signature errors can quote the
    /// canonical request, which holds the session token).
    static func scrub(_ message: String, credentials: AWSCredentials) -> String {
        var text = message
        for secret in [credentials.secretAccessKey, credentials.sessionToken ?? ""] where secret.count >= 8 {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return text
    }
}
