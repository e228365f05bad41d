import Foundation

/// Why confirming a subscription failed.
public struct SubscriptionConfirmationError: Error, Equatable, Sendable {
    /// What happened; never contains the confirmation token.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }
}

/// Visits a `SubscribeURL` to confirm an SNS subscription.
///
/// Only called by ``SNSDeliveryProcessor/confirm(_:)``, i.e. after the signature verified, the topic is allowed
/// and the URL passed `SNSPolicy.checkSubscribeURL(_:)`.
public protocol SubscriptionConfirmer: Sendable {
    /// Confirms the subscription at `url`; throws when SNS does not answer 2xx.
    func confirm(_ url: URL) async throws(SubscriptionConfirmationError)
}
