import Foundation

/// Which SNS deliveries this server accepts: regions, topics, message age, and (for tests only) extra hosts.
///
/// Every check here is pure: the current time is always a parameter.
public struct SNSPolicy: Sendable, Equatable {
    /// Region codes whose SNS endpoints may serve certificates and confirmation links, e.g. `["us-east-1"]`
    /// (`sns.allowed_regions`).
    public var allowedRegions: [String]
    /// Topics accepted (`sns.allowed_topic_arns`). Each entry is an exact topic ARN, or
    /// `arn:<partition>:sns:<region>:<account>:*` meaning every topic of that account in that region. `*` is accepted
    /// nowhere else. An empty list accepts nothing.
    public var allowedTopicArns: [String]
    /// Oldest accepted message, in seconds (`sns.max_message_age`, default 3600).
    public var maxMessageAge: TimeInterval
    /// How far in the future a `Timestamp` may be (clock skew), in seconds (default 300).
    public var maxFutureSkew: TimeInterval
    /// TESTING ONLY. Extra origins trusted for SigningCertURL and SubscribeURL in addition to the AWS hosts, e.g.
    /// `"127.0.0.1:4566"` (https implied) or `"http://localhost:4566"` for a local SNS emulator. Empty by default and
    /// must stay empty in production: a certificate from such a host can sign anything.
    public var testingExtraHosts: [String]

    /// Default ``maxMessageAge``: one hour.
    public static let defaultMaxMessageAge: TimeInterval = 3600
    /// Default ``maxFutureSkew``: five minutes.
    public static let defaultMaxFutureSkew: TimeInterval = 300

    /// Creates a policy.
    public init(
        allowedRegions: [String],
        allowedTopicArns: [String],
        maxMessageAge: TimeInterval = SNSPolicy.defaultMaxMessageAge,
        maxFutureSkew: TimeInterval = SNSPolicy.defaultMaxFutureSkew,
        testingExtraHosts: [String] = []
    ) {
        self.allowedRegions = allowedRegions
        self.allowedTopicArns = allowedTopicArns
        self.maxMessageAge = maxMessageAge
        self.maxFutureSkew = maxFutureSkew
        self.testingExtraHosts = testingExtraHosts
    }

    /// Describes configuration mistakes (bad region codes, misplaced `*`, non-ARN topics); empty when valid.
    public func configurationProblems() -> [String] {
        var problems: [String] = []
        if allowedRegions.isEmpty { problems.append("sns.allowed_regions is empty: no signing certificate URL can be accepted") }
        for region in allowedRegions where !SNSTopicARN.isToken(region) {
            problems.append("sns.allowed_regions: \(quoted(region)) is not a region code such as us-east-1")
        }
        if allowedTopicArns.isEmpty { problems.append("sns.allowed_topic_arns is empty: every SNS message will be refused") }
        for entry in allowedTopicArns where !Self.isValidTopicPattern(entry) {
            problems.append(
                "sns.allowed_topic_arns: \(quoted(entry)) must be a topic ARN or arn:<partition>:sns:<region>:<account>:*"
            )
        }
        if !(maxMessageAge > 0) { problems.append("sns.max_message_age must be positive") }
        if !(maxFutureSkew >= 0) { problems.append("the allowed clock skew must not be negative") }
        for entry in testingExtraHosts where ExtraOrigin(entry) == nil {
            problems.append("sns testing extra host \(quoted(entry)) must be host:port or http(s)://host:port")
        }
        return problems
    }

    /// Throws ``IngestError/forbidden(_:)`` unless `topicArn` matches ``allowedTopicArns``.
    public func checkTopicArn(_ topicArn: String) throws(IngestError) {
        guard allowedTopicArns.contains(where: { Self.topic(topicArn, matches: $0) }) else {
            throw .forbidden(
                "topic \(quoted(topicArn, limit: 300)) is not in sns.allowed_topic_arns: add the topic ARN "
                    + "(or arn:<partition>:sns:<region>:<account>:*) to accept its messages"
            )
        }
    }

    /// Throws ``IngestError/stale(_:)`` when `timestamp` is more than ``maxMessageAge`` before `now`, or more than
    /// ``maxFutureSkew`` after it.
    public func checkFreshness(timestamp: Date, now: Date) throws(IngestError) {
        let age = now.timeIntervalSince(timestamp)
        if age > maxMessageAge {
            throw .stale(
                "SNS message Timestamp \(RFC3339.format(timestamp)) is \(Int(saturating: age)) s old, more than the "
                    + "\(Int(saturating: maxMessageAge)) s allowed by sns.max_message_age: it is a replay, or this host's clock is wrong"
            )
        }
        if -age > maxFutureSkew {
            throw .stale(
                "SNS message Timestamp \(RFC3339.format(timestamp)) is \(Int(saturating: -age)) s in the future, more than the "
                    + "\(Int(saturating: maxFutureSkew)) s of clock skew allowed: check this host's clock (NTP)"
            )
        }
    }

    /// True when `topicArn` is `pattern`, or `pattern` is `arn:...:<account>:*` and `topicArn` is a topic of it.
    static func topic(_ topicArn: String, matches pattern: String) -> Bool {
        guard isValidTopicPattern(pattern) else { return false }
        if pattern.hasSuffix(":*") {
            let prefix = pattern.dropLast()
            guard topicArn.hasPrefix(prefix), let arn = SNSTopicARN(topicArn) else { return false }
            return !arn.topic.isEmpty && topicArn.count == prefix.count + arn.topic.count
        }
        return topicArn == pattern
    }

    /// True for an exact topic ARN or `arn:<partition>:sns:<region>:<account>:*`.
    static func isValidTopicPattern(_ pattern: String) -> Bool {
        if pattern.hasSuffix(":*") {
            return SNSTopicARN(String(pattern.dropLast()) + "x") != nil
        }
        return SNSTopicARN(pattern) != nil
    }
}
