/// Why credentials could not be had. Never carries a secret key, session token or web identity token.
public enum AWSCredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source is not set up here (its variables or file are absent); a chain moves on to the next source.
    case notConfigured(source: String, reason: String)
    /// The source is set up but wrongly (a disallowed URL, a missing variable of a pair, a refused role); needs a person.
    case invalid(source: String, reason: String)
    /// The source is set up but did not answer in time or answered 5xx; trying again may help.
    case unavailable(source: String, reason: String)
    /// Every source of a chain was tried and none is configured.
    case noCredentials(tried: [String])

    /// True when trying again may help.
    public var retryable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    /// What went wrong and where.
    public var description: String {
        switch self {
        case .notConfigured(let source, let reason): return "AWS credentials (\(source)): not configured: \(reason)"
        case .invalid(let source, let reason): return "AWS credentials (\(source)): \(reason)"
        case .unavailable(let source, let reason): return "AWS credentials (\(source)) unavailable: \(reason)"
        case .noCredentials(let tried):
            return "no AWS credentials found; tried, in order: " + tried.joined(separator: "; ")
        }
    }
}
