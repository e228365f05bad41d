/// Why an inbound delivery was refused. Each case maps to an HTTP status and a message that tells the sender what to fix.
public enum IngestError: Error, Equatable, Sendable {
    /// The body is not well-formed JSON (or contains a duplicated object key).
    case malformedJSON(String)
    /// A field is missing, has the wrong type, or holds an invalid value.
    case invalidField(String)
    /// The payload declares a version this server does not understand.
    case unsupportedVersion(String)
    /// Credentials are missing or wrong.
    case unauthorized(String)
    /// The signature does not verify.
    case badSignature(String)
    /// The request is well-formed but refused by policy (certificate URL, topic).
    case forbidden(String)
    /// The message is older than the accepted window.
    case stale(String)
    /// The body exceeds the route's cap.
    case tooLarge(limit: Int)
    /// Content type not accepted by this route.
    case unsupportedMediaType(String)

    /// The HTTP status code the server answers with.
    public var httpStatus: Int {
        switch self {
        case .malformedJSON, .invalidField, .unsupportedVersion, .stale: return 400
        case .unauthorized: return 401
        case .badSignature, .forbidden: return 403
        case .tooLarge: return 413
        case .unsupportedMediaType: return 415
        }
    }

    /// A message for the JSON error body; never contains secrets.
    public var message: String {
        switch self {
        case .malformedJSON(let m): return "malformed JSON: \(m)"
        case .invalidField(let m): return m
        case .unsupportedVersion(let m): return m
        case .unauthorized(let m): return m
        case .badSignature(let m): return m
        case .forbidden(let m): return m
        case .stale(let m): return m
        case .tooLarge(let limit): return "request body exceeds the \(limit)-byte limit for this route"
        case .unsupportedMediaType(let m): return m
        }
    }
}
