/// Why an action link token was refused.
///
/// The server answers 403 for ``malformed`` and ``tampered`` and 410 for ``expired``. None of the cases carries the
/// token or any part of it, so the error is safe to log.
public enum ActionTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a token at all: too long, wrong shape, not base64url, or claims that do not decode.
    case malformed
    /// The MAC does not match any key in the ring (altered token, or signed with a key we do not hold).
    case tampered
    /// Authentic, but its expiry has passed.
    case expired

    /// The HTTP status the server answers with.
    public var httpStatus: Int {
        switch self {
        case .malformed, .tampered: return 403
        case .expired: return 410
        }
    }

    /// What went wrong, for logs and the result page.
    public var description: String {
        switch self {
        case .malformed: return "the action link is not valid"
        case .tampered: return "the action link's signature does not match"
        case .expired: return "the action link has expired"
        }
    }
}
