/// Why a request claiming to come from Slack was refused (the server answers 401). Never carries the signature,
/// the body or the signing secret.
public enum SlackSignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `X-Slack-Request-Timestamp` or `X-Slack-Signature` is absent or empty.
    case missing
    /// The timestamp is not a decimal integer of seconds.
    case malformedTimestamp
    /// The timestamp is further than the window from now, in the past or the future.
    case stale
    /// The signature is not `v0=` and the HMAC-SHA256 of `v0:<timestamp>:<body>` in hex.
    case mismatch
    /// The same timestamp and signature were already accepted within the window.
    case replayed
    /// The replay guard is full of unexpired entries, so it cannot tell a replay from a new request.
    case replayGuardFull

    /// What went wrong, for the log.
    public var description: String {
        switch self {
        case .missing: return "Slack request without X-Slack-Request-Timestamp or X-Slack-Signature"
        case .malformedTimestamp: return "Slack request timestamp is not an integer"
        case .stale: return "Slack request timestamp is outside the accepted window (stale, replayed or clock skew)"
        case .mismatch: return "Slack request signature does not match (wrong signing secret or altered body)"
        case .replayed: return "Slack request was already accepted once (replay)"
        case .replayGuardFull: return "too many recent Slack requests to check for replays; refused"
        }
    }
}
