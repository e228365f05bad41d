import ResponderCore

/// `strict-json`: the validator every JSON body passes first (Alertmanager and SNS bodies, CloudWatch messages,
/// Slack payloads, action-link claims), at each nesting bound the server uses.
public enum StrictJSONTarget {
    /// Validates `bytes` as a body (default bound, 64), a Slack payload (32) and link claims (2).
    public static func run(_ bytes: [UInt8]) throws {
        try? StrictJSON(maxDepth: 2).validate(bytes)
        try? StrictJSON(maxDepth: 32).validate(bytes)
        try StrictJSON().validate(bytes)
    }
}
