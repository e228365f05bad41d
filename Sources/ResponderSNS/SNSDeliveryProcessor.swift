import Foundation
import ResponderCore
import X509

/// Turns one `POST /hooks/sns` body into a verified ``SNSDeliveryOutcome``.
///
/// Order (cheap refusals first, nothing fetched before the URL is vetted):
/// parse → TopicArn allowlist → SigningCertURL policy → freshness → certificate → signature → classify.
/// Classification: a Notification whose Message is a CloudWatch alarm becomes an alert, any other Notification is
/// unmatched; a SubscriptionConfirmation has its SubscribeURL policy-checked; an UnsubscribeConfirmation is only
/// recorded (its URLs are never followed).
///
/// Confirmation is a separate step: store the outcome durably first, then call ``confirm(_:)``, so a subscription is
/// never confirmed for a delivery that was not recorded, and the SubscribeURL is only visited after the signature
/// verified. If ``confirm(_:)`` fails, answer 503: SNS re-sends the SubscriptionConfirmation.
public struct SNSDeliveryProcessor: Sendable {
    /// Regions, topics and age limits.
    public var policy: SNSPolicy
    /// Where signing certificates come from.
    public var certificates: any SigningCertificateProvider
    /// Signature and certificate checks.
    public var verifier: SNSSignatureVerifier
    /// Visits SubscribeURLs; nil disables automatic confirmation (``confirm(_:)`` then leaves `confirmed` false).
    public var confirmer: (any SubscriptionConfirmer)?
    /// CloudWatch alarm reader.
    public var cloudWatch: CloudWatchAlarmParser

    /// Creates a processor.
    public init(
        policy: SNSPolicy,
        certificates: any SigningCertificateProvider,
        verifier: SNSSignatureVerifier = SNSSignatureVerifier(),
        confirmer: (any SubscriptionConfirmer)?,
        cloudWatch: CloudWatchAlarmParser = CloudWatchAlarmParser()
    ) {
        self.policy = policy
        self.certificates = certificates
        self.verifier = verifier
        self.confirmer = confirmer
        self.cloudWatch = cloudWatch
    }

    /// Validates, authenticates and classifies `body` as of `now`. Does not confirm subscriptions.
    public func process(body: [UInt8], now: Date) async throws(SNSDeliveryError) -> SNSDeliveryOutcome {
        let message: SNSMessage
        let certURL: URL
        do {
            message = try SNSMessage.decode(body)
            try policy.checkTopicArn(message.topicArn)
            certURL = try policy.checkSigningCertURL(message.signingCertURL)
            try policy.checkFreshness(timestamp: message.timestamp, now: now)
        } catch {
            throw .rejected(error)
        }
        let certificate: Certificate
        do {
            certificate = try await certificates.certificate(for: certURL)
        } catch {
            throw .certificateUnavailable(error)
        }
        do {
            try verifier.verify(message, certificate: certificate, now: now)
            return try classify(message)
        } catch {
            throw .rejected(error)
        }
    }

    /// Confirms the subscription of a ``SNSDeliveryOutcome/Kind/subscriptionConfirmation`` outcome and returns it
    /// with `confirmed` set. Call only after the outcome is durably stored. Other kinds, and a processor without a
    /// confirmer, return `outcome` unchanged.
    public func confirm(_ outcome: SNSDeliveryOutcome) async throws(SNSDeliveryError) -> SNSDeliveryOutcome {
        guard outcome.kind == .subscriptionConfirmation, !outcome.confirmed, let url = outcome.subscribeURL,
              let confirmer
        else { return outcome }
        do {
            // Re-checked here because an outcome is a plain value the caller could have built or altered.
            _ = try policy.checkSubscribeURL(url.absoluteString)
            try policy.checkTopicArn(outcome.topicArn)
        } catch {
            throw .rejected(error)
        }
        do {
            try await confirmer.confirm(url)
        } catch {
            throw .confirmationFailed(error)
        }
        var confirmed = outcome
        confirmed.confirmed = true
        return confirmed
    }

    private func classify(_ message: SNSMessage) throws(IngestError) -> SNSDeliveryOutcome {
        var outcome = SNSDeliveryOutcome(
            kind: .unmatchedNotification, messageId: message.messageId, topicArn: message.topicArn,
            subject: message.subject, timestamp: message.timestamp, signatureVersion: message.signatureVersion,
            alert: nil, subscribeURL: nil, confirmed: false
        )
        switch message.type {
        case .notification:
            if let alert = try cloudWatch.normalizedAlert(message: message.message, subject: message.subject) {
                outcome.kind = .cloudwatchAlarm
                outcome.alert = alert
            }
        case .subscriptionConfirmation:
            outcome.kind = .subscriptionConfirmation
            outcome.subscribeURL = try policy.checkSubscribeURL(message.subscribeURL ?? "")
        case .unsubscribeConfirmation:
            outcome.kind = .unsubscribeConfirmation
        }
        return outcome
    }
}
