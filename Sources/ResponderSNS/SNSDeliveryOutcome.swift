import Foundation
import ResponderCore

/// What an accepted, signature-verified SNS delivery turned out to be; the server stores it.
public struct SNSDeliveryOutcome: Sendable, Equatable {
    /// The classification of a delivery.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A Notification whose Message is a CloudWatch alarm (``SNSDeliveryOutcome/alert`` is set).
        case cloudwatchAlarm = "cloudwatch_alarm"
        /// A Notification whose Message is something else: kept, matched against nothing.
        case unmatchedNotification = "sns_unmatched"
        /// A SubscriptionConfirmation for an allowed topic (``SNSDeliveryOutcome/subscribeURL`` is set).
        case subscriptionConfirmation = "sns_subscription_confirmation"
        /// An UnsubscribeConfirmation: recorded, its URLs never followed.
        case unsubscribeConfirmation = "sns_unsubscribe_confirmation"
    }

    /// What the delivery was.
    public var kind: Kind
    /// SNS `MessageId`.
    public var messageId: String
    /// SNS `TopicArn` (in the allowlist).
    public var topicArn: String
    /// SNS `Subject`, if any.
    public var subject: String?
    /// SNS `Timestamp`.
    public var timestamp: Date
    /// The signature version that verified.
    public var signatureVersion: SNSSignatureVersion
    /// The normalized CloudWatch alarm (``Kind/cloudwatchAlarm`` only).
    public var alert: NormalizedAlert?
    /// The policy-checked confirmation link (``Kind/subscriptionConfirmation`` only). Its query holds the
    /// subscription token: do not log it.
    public var subscribeURL: URL?
    /// True once ``SNSDeliveryProcessor/confirm(_:)`` has confirmed the subscription.
    public var confirmed: Bool

    /// Creates an outcome.
    public init(
        kind: Kind, messageId: String, topicArn: String, subject: String?, timestamp: Date,
        signatureVersion: SNSSignatureVersion, alert: NormalizedAlert?, subscribeURL: URL?, confirmed: Bool
    ) {
        self.kind = kind
        self.messageId = messageId
        self.topicArn = topicArn
        self.subject = subject
        self.timestamp = timestamp
        self.signatureVersion = signatureVersion
        self.alert = alert
        self.subscribeURL = subscribeURL
        self.confirmed = confirmed
    }

    /// `sns:<MessageId>`: makes a redelivery of the same message a no-op.
    public var idempotencyKey: String { "sns:" + messageId }

    /// The journal's kind for this delivery.
    public var deliveryKind: DeliveryKind {
        switch kind {
        case .cloudwatchAlarm: return .cloudwatchAlarm
        case .unmatchedNotification: return .snsUnmatched
        case .subscriptionConfirmation: return .snsSubscriptionConfirmation
        case .unsubscribeConfirmation: return .snsUnsubscribeConfirmation
        }
    }

    /// Identifying details for the journal (`topic_arn`, `message_id`, `timestamp`, `signature_version`,
    /// `subject`, `alarm_arn`); never the subscription token.
    public var details: [String: String] {
        var details = [
            "topic_arn": topicArn,
            "message_id": messageId,
            "timestamp": RFC3339.format(timestamp),
            "signature_version": signatureVersion.rawValue,
        ]
        if let subject { details["subject"] = subject }
        if let arn = alert?.labels["alarm_arn"] { details["alarm_arn"] = arn }
        return details
    }

    /// The journal record for this delivery.
    public func delivery(receivedAt: Date, body: String) -> Delivery {
        Delivery(kind: deliveryKind, idempotencyKey: idempotencyKey, receivedAt: receivedAt, details: details, body: body)
    }
}
