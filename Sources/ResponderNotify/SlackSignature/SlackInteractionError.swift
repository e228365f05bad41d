/// Why a Slack interaction body was refused (the server answers 400). Messages never echo the payload.
public enum SlackInteractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is larger than the limit.
    case tooLarge(limit: Int)
    /// The body is not valid form encoding (bad `%` escape or not UTF-8).
    case malformedForm
    /// No `payload` field, or more than one.
    case missingPayload
    /// The payload is not JSON, or JSON we refuse (duplicate keys, too deep); the detail says where.
    case notJSON(String)
    /// The payload's `type` is not `block_actions`; carries the type when it is a plain identifier.
    case unsupportedType(String?)
    /// The `actions` array is missing or empty.
    case noActions
    /// A field is missing, of the wrong type, too long, or not allowed (a `response_url` that is not https).
    case invalidField(String)

    /// What is wrong with the request.
    public var description: String {
        switch self {
        case .tooLarge(let limit): return "Slack interaction body is larger than \(limit) bytes"
        case .malformedForm: return "Slack interaction body is not valid application/x-www-form-urlencoded UTF-8"
        case .missingPayload: return "Slack interaction body must have exactly one payload field"
        case .notJSON(let detail): return "Slack interaction payload is not acceptable JSON: \(detail)"
        case .unsupportedType(let type): return "Slack interaction type \(type.map { "\"\($0)\"" } ?? "(unreadable)") is not supported; expected block_actions"
        case .noActions: return "Slack block_actions payload has no actions"
        case .invalidField(let detail): return "Slack interaction payload: \(detail)"
        }
    }
}
