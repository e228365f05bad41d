/// The kind of message SNS delivers to an HTTP/S subscriber (the `Type` field).
public enum SNSMessageType: String, Sendable, Codable, CaseIterable {
    /// A message published to the topic.
    case notification = "Notification"
    /// Sent once when the endpoint is subscribed; carries the `SubscribeURL` to confirm it.
    case subscriptionConfirmation = "SubscriptionConfirmation"
    /// Sent when the endpoint is unsubscribed; its URLs are never followed.
    case unsubscribeConfirmation = "UnsubscribeConfirmation"

    /// The accepted values, for error messages.
    static let acceptedList = allCases.map(\.rawValue).joined(separator: ", ")
}

/// How an SNS message is signed (the `SignatureVersion` field).
public enum SNSSignatureVersion: String, Sendable, Codable, CaseIterable {
    /// RSA PKCS#1 v1.5 over SHA-1 of the string to sign.
    case v1 = "1"
    /// RSA PKCS#1 v1.5 over SHA-256 of the string to sign.
    case v2 = "2"

    /// Human-readable algorithm name, e.g. `RSA-SHA256`.
    public var algorithmName: String {
        switch self {
        case .v1: return "RSA-SHA1"
        case .v2: return "RSA-SHA256"
        }
    }
}
