/// Why a Slack or PagerDuty call failed, and whether (and when) to try again.
public enum NotifyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// May pass later (429, 5xx, network); `retryAfter` is the service's own `Retry-After` when it gave one.
    case retryable(String, retryAfter: Duration?)
    /// Will not pass without a person (400 with the service's reason, 401/403, a bad channel, a bad routing key).
    case permanent(String)

    /// What went wrong and what to do (never a token or a routing key).
    public var description: String {
        switch self {
        case .retryable(let message, let after): return message + (after.map { " (retry after \($0))" } ?? "")
        case .permanent(let message): return message
        }
    }
}
