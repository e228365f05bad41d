import Foundation
import ResponderCore
import ResponderSNS
import Testing
import X509

@Suite("SNSDeliveryProcessor")
struct SNSDeliveryProcessorTests {
    // MARK: - Real AWS vectors

    private func vectorProcessor(
        provider: any SigningCertificateProvider,
        topics: [String]? = nil
    ) -> SNSDeliveryProcessor {
        // Every vector topic belongs to account 295079676684 in us-east-2.
        SNSDeliveryProcessor(
            policy: SNSPolicy(allowedRegions: ["us-east-2"], allowedTopicArns: topics ?? ["arn:aws:sns:us-east-2:295079676684:*"]),
            certificates: provider,
            confirmer: RecordingConfirmer()
        )
    }

    @Test func realNotificationFromPreprovisionedDirectoryIsUnmatched() async throws {
        try await withTemporaryDirectory { directory in
            try Data(Vectors.certificatePEM()).write(to: directory.appendingPathComponent(Vectors.certFileName))
            let fields = try Vectors.httpFixtures()[0]
            let processor = vectorProcessor(provider: ChainedCertificateProvider(
                directory: DirectoryCertificateProvider(directory: directory), fetcher: nil
            ))
            let outcome = try await processor.process(body: Vectors.body(fields), now: Vectors.sentAt(fields) + 60)
            #expect(outcome.kind == .unmatchedNotification)
            #expect(outcome.deliveryKind == .snsUnmatched)
            #expect(outcome.messageId == "792cda85-518f-5dd3-9163-81d851212f3a")
            #expect(outcome.idempotencyKey == "sns:792cda85-518f-5dd3-9163-81d851212f3a")
            #expect(outcome.topicArn == fields["TopicArn"] as? String)
            #expect(outcome.signatureVersion == .v1)
            #expect(outcome.alert == nil && outcome.subscribeURL == nil && !outcome.confirmed)
            let delivery = outcome.delivery(receivedAt: Vectors.now, body: "raw")
            #expect(delivery.kind == .snsUnmatched && delivery.idempotencyKey == outcome.idempotencyKey)
            #expect(delivery.details["topic_arn"] == outcome.topicArn)
        }
    }

    @Test(arguments: 0..<4)
    func everyRealVectorIsAcceptedThroughTheAccountWildcard(index: Int) async throws {
        let provider = CountingProvider(certificate: try Vectors.certificate())
        let fields = try Vectors.httpFixtures()[index]
        let outcome = try await vectorProcessor(provider: provider).process(body: Vectors.body(fields), now: Vectors.sentAt(fields) + 60)
        #expect(outcome.kind == .unmatchedNotification)
        #expect(outcome.subject == fields["Subject"] as? String)
        #expect(outcome.signatureVersion.rawValue == fields["SignatureVersion"] as? String)
        #expect(provider.requested == [Vectors.certURL])
    }

    @Test func topicOutsideTheAllowlistIsRefusedBeforeAnyCertificateLookup() async throws {
        let provider = CountingProvider(certificate: try Vectors.certificate())
        let processor = vectorProcessor(provider: provider, topics: ["arn:aws:sns:us-east-2:295079676684:other"])
        let error = await #expect(throws: SNSDeliveryError.self) {
            try await processor.process(body: Vectors.body(Vectors.httpFixtures()[0]), now: Vectors.now)
        }
        guard case .rejected(.forbidden(let text)) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.contains("sns.allowed_topic_arns"))
        #expect(error?.httpStatus == 403)
        #expect(provider.requested.isEmpty)
    }

    @Test(arguments: [
        "https://sns.us-east-2.amazonaws.com.evil.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
        "https://evil.com/sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
        "http://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem",
    ])
    func badCertificateURLIsRefusedBeforeAnyLookup(url: String) async throws {
        let provider = CountingProvider(certificate: try Vectors.certificate())
        let processor = vectorProcessor(provider: provider)
        var fields = try Vectors.httpFixtures()[0]
        fields["SigningCertURL"] = url
        let error = await #expect(throws: SNSDeliveryError.self) {
            try await processor.process(body: Vectors.body(fields), now: Vectors.now)
        }
        guard case .rejected(.forbidden) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(provider.requested.isEmpty)
    }

    @Test func staleMessageIsRefusedBeforeAnyLookup() async throws {
        let provider = CountingProvider(certificate: try Vectors.certificate())
        let processor = vectorProcessor(provider: provider)
        let error = await #expect(throws: SNSDeliveryError.self) {
            try await processor.process(body: Vectors.body(Vectors.httpFixtures()[0]), now: Vectors.sentAt(Vectors.httpFixtures()[0]) + 3601)
        }
        guard case .rejected(.stale) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(provider.requested.isEmpty)
    }

    @Test func tamperedMessageIsRefused() async throws {
        let provider = CountingProvider(certificate: try Vectors.certificate())
        let processor = vectorProcessor(provider: provider)
        var fields = try Vectors.httpFixtures()[0]
        fields["Message"] = "Hello world!"
        let error = await #expect(throws: SNSDeliveryError.self) {
            try await processor.process(body: Vectors.body(fields), now: Vectors.sentAt(fields) + 60)
        }
        guard case .rejected(.badSignature) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(provider.requested == [Vectors.certURL])
    }

    @Test func unavailableCertificateIsA503() async throws {
        let provider = CountingProvider { url, _ throws(SigningCertificateError) in throw .httpStatus(500, url: url.absoluteString) }
        let processor = vectorProcessor(provider: provider)
        let error = await #expect(throws: SNSDeliveryError.self) {
            try await processor.process(body: Vectors.body(Vectors.httpFixtures()[1]), now: Vectors.sentAt(Vectors.httpFixtures()[1]) + 60)
        }
        guard case .certificateUnavailable = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(error?.httpStatus == 503)
    }

    // MARK: - Self-signed test certificate (CloudWatch alarms and subscriptions)

    private static let now = RFC3339.parse("2024-05-01T12:06:00Z")!
    private static let topic = "arn:aws:sns:us-east-2:111122223333:responder-alarms"
    private static let certURL = "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-test.pem"
    private static let subscribeURL = "https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=\(topic)&Token=secret-token-123"

    private struct Harness {
        let signer: TestSNSSigner
        let confirmer: RecordingConfirmer
        let processor: SNSDeliveryProcessor
    }

    private func harness(confirmer: RecordingConfirmer = RecordingConfirmer()) throws -> Harness {
        let signer = try TestSNSSigner(
            notBefore: try #require(RFC3339.parse("2024-01-01T00:00:00Z")),
            notAfter: try #require(RFC3339.parse("2025-01-01T00:00:00Z"))
        )
        let processor = SNSDeliveryProcessor(
            policy: SNSPolicy(allowedRegions: ["us-east-2"], allowedTopicArns: [Self.topic]),
            certificates: CountingProvider(certificate: signer.certificate),
            confirmer: confirmer
        )
        return Harness(signer: signer, confirmer: confirmer, processor: processor)
    }

    private func fields(type: String, message: String, subject: String? = nil) -> [String: Any] {
        var fields: [String: Any] = [
            "Type": type,
            "MessageId": "8f3e0c2a-1b7d-5e44-9a61-0c2f7d9e4b11",
            "TopicArn": Self.topic,
            "Message": message,
            "Timestamp": "2024-05-01T12:05:30.000Z",
            "SigningCertURL": Self.certURL,
        ]
        if let subject { fields["Subject"] = subject }
        if type != "Notification" {
            fields["SubscribeURL"] = Self.subscribeURL
            fields["Token"] = "secret-token-123"
        }
        return fields
    }

    private static let alarmMessage = """
        {"AlarmName":"prod-api-high-cpu","AlarmDescription":null,"AWSAccountId":"111122223333",\
        "NewStateValue":"ALARM","NewStateReason":"Threshold Crossed","StateChangeTime":"2024-05-01T12:05:29.123+0000",\
        "Region":"US East (Ohio)","AlarmArn":"arn:aws:cloudwatch:us-east-2:111122223333:alarm:prod-api-high-cpu",\
        "OldStateValue":"OK","Trigger":{"MetricName":"CPUUtilization","Namespace":"AWS/EC2","Statistic":"AVERAGE",\
        "Dimensions":[{"value":"i-0abc","name":"InstanceId"}],"Period":60,"EvaluationPeriods":3,\
        "ComparisonOperator":"GreaterThanThreshold","Threshold":80.0}}
        """

    @Test(arguments: ["1", "2"])
    func cloudWatchAlarmNotificationBecomesAnAlert(version: String) async throws {
        let h = try harness()
        let subject = "ALARM: \"prod-api-high-cpu\" in US East (Ohio)"
        let body = try Vectors.body(h.signer.sign(fields(type: "Notification", message: Self.alarmMessage, subject: subject), version: version))
        let outcome = try await h.processor.process(body: body, now: Self.now)
        #expect(outcome.kind == .cloudwatchAlarm)
        #expect(outcome.deliveryKind == .cloudwatchAlarm)
        let alert = try #require(outcome.alert)
        #expect(alert.status == .firing)
        #expect(alert.labels["dimension_InstanceId"] == "i-0abc")
        #expect(alert.annotations["subject"] == subject)
        #expect(outcome.details["alarm_arn"] == "arn:aws:cloudwatch:us-east-2:111122223333:alarm:prod-api-high-cpu")
    }

    @Test func brokenAlarmIsRefusedAfterVerification() async throws {
        let h = try harness()
        let broken = Self.alarmMessage.replacingOccurrences(of: "\"NewStateValue\":\"ALARM\"", with: "\"NewStateValue\":\"SOON\"")
        let body = try Vectors.body(h.signer.sign(fields(type: "Notification", message: broken)))
        let error = await #expect(throws: SNSDeliveryError.self) { try await h.processor.process(body: body, now: Self.now) }
        guard case .rejected(.invalidField(let text)) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix("Message.NewStateValue"))
    }

    @Test func certificateWithAnotherCommonNameIsRefused() async throws {
        let stranger = try TestSNSSigner(
            commonName: "attacker.example",
            notBefore: try #require(RFC3339.parse("2024-01-01T00:00:00Z")),
            notAfter: try #require(RFC3339.parse("2025-01-01T00:00:00Z"))
        )
        let processor = SNSDeliveryProcessor(
            policy: SNSPolicy(allowedRegions: ["us-east-2"], allowedTopicArns: [Self.topic]),
            certificates: CountingProvider(certificate: stranger.certificate),
            confirmer: nil
        )
        let body = try Vectors.body(stranger.sign(fields(type: "Notification", message: "hi")))
        let error = await #expect(throws: SNSDeliveryError.self) { try await processor.process(body: body, now: Self.now) }
        guard case .rejected(.badSignature) = error else { Issue.record("wrong error \(String(describing: error))"); return }
    }

    @Test func subscriptionIsConfirmedOnlyWhenAskedAfterProcessing() async throws {
        let h = try harness()
        let body = try Vectors.body(h.signer.sign(fields(type: "SubscriptionConfirmation", message: "You have chosen to subscribe")))
        let outcome = try await h.processor.process(body: body, now: Self.now)
        #expect(outcome.kind == .subscriptionConfirmation)
        #expect(outcome.deliveryKind == .snsSubscriptionConfirmation)
        #expect(outcome.subscribeURL?.absoluteString == Self.subscribeURL)
        #expect(!outcome.confirmed)
        #expect(h.confirmer.confirmed.isEmpty, "process must not visit the SubscribeURL")
        #expect(!outcome.details.values.contains(where: { $0.contains("secret-token") }))

        let confirmed = try await h.processor.confirm(outcome)
        #expect(confirmed.confirmed)
        #expect(h.confirmer.confirmed.map(\.absoluteString) == [Self.subscribeURL])
    }

    @Test func forgedSubscriptionIsNeverConfirmed() async throws {
        let h = try harness()
        var signed = try h.signer.sign(fields(type: "SubscriptionConfirmation", message: "You have chosen to subscribe"))
        signed["SubscribeURL"] = "https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&Token=other"
        let error = await #expect(throws: SNSDeliveryError.self) {
            try await h.processor.process(body: Vectors.body(signed), now: Self.now)
        }
        guard case .rejected(.badSignature) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(h.confirmer.confirmed.isEmpty)
    }

    @Test func signedSubscriptionWithForeignSubscribeURLIsRefused() async throws {
        let h = try harness()
        var unsigned = fields(type: "SubscriptionConfirmation", message: "You have chosen to subscribe")
        unsigned["SubscribeURL"] = "https://sns.us-east-2.amazonaws.com.evil.com/?Action=ConfirmSubscription&Token=secret-token-123"
        let body = try Vectors.body(h.signer.sign(unsigned))
        let error = await #expect(throws: SNSDeliveryError.self) { try await h.processor.process(body: body, now: Self.now) }
        guard case .rejected(.forbidden(let text)) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(text.hasPrefix("SubscribeURL") && !text.contains("secret-token"))
        #expect(h.confirmer.confirmed.isEmpty)
    }

    @Test func unsubscribeConfirmationIsRecordedAndNeverFollowed() async throws {
        let h = try harness()
        let body = try Vectors.body(h.signer.sign(fields(type: "UnsubscribeConfirmation", message: "You have unsubscribed")))
        let outcome = try await h.processor.process(body: body, now: Self.now)
        #expect(outcome.kind == .unsubscribeConfirmation)
        #expect(outcome.deliveryKind == .snsUnsubscribeConfirmation)
        #expect(outcome.subscribeURL == nil)
        let after = try await h.processor.confirm(outcome)
        #expect(after == outcome)
        #expect(h.confirmer.confirmed.isEmpty)
    }

    @Test func failedConfirmationIsA503() async throws {
        let h = try harness(confirmer: RecordingConfirmer(failure: SubscriptionConfirmationError("HTTP 403")))
        let body = try Vectors.body(h.signer.sign(fields(type: "SubscriptionConfirmation", message: "You have chosen to subscribe")))
        let outcome = try await h.processor.process(body: body, now: Self.now)
        let error = await #expect(throws: SNSDeliveryError.self) { try await h.processor.confirm(outcome) }
        #expect(error == .confirmationFailed(SubscriptionConfirmationError("HTTP 403")))
        #expect(error?.httpStatus == 503)
    }

    @Test func alteredOutcomeIsNotConfirmed() async throws {
        let h = try harness()
        let body = try Vectors.body(h.signer.sign(fields(type: "SubscriptionConfirmation", message: "You have chosen to subscribe")))
        var outcome = try await h.processor.process(body: body, now: Self.now)
        outcome.subscribeURL = URL(string: "https://evil.example/?Token=x")
        await #expect(throws: SNSDeliveryError.self) { try await h.processor.confirm(outcome) }
        #expect(h.confirmer.confirmed.isEmpty)
    }
}
