import Foundation
import HTTPTypes
import Hummingbird
import ResponderCore
import ResponderSNS
import ResponderTracing
import Tracing

/// `POST /hooks/sns`: verifies an SNS HTTPS delivery, journals it, confirms allowed subscriptions after the journal
/// commit, and answers 2xx only once the delivery is durably recorded.
public struct SNSHook: Sendable {
    private let processor: SNSDeliveryProcessor?
    private let journal: any AlertJournal
    private let maxBodyBytes: Int
    private let now: @Sendable () -> Date
    /// The refused deliveries' error line, once a minute at most during an outage.
    private let unavailable = RepeatedErrorLog()

    /// Creates the hook; a nil processor means SNS ingest is not configured and every delivery is refused with 403.
    public init(processor: SNSDeliveryProcessor?, journal: any AlertJournal, maxBodyBytes: Int, now: @escaping @Sendable () -> Date) {
        self.processor = processor
        self.journal = journal
        self.maxBodyBytes = maxBodyBytes
        self.now = now
    }

    /// Answers one SNS delivery; metrics are passed in so the hook shares the server's registry.
    func handle(
        _ request: Request,
        context: some RequestContext,
        metrics: ResponderMetrics,
        planner: IngestPlanner
    ) async -> Response {
        guard let processor else {
            metrics.delivery(source: "sns", outcome: "rejected")
            return JSONResponse.error(
                .forbidden, "SNS ingest is not configured: set sns.allowed_regions and sns.allowed_topic_arns"
            )
        }
        let body: [UInt8]
        do {
            body = try await BodyReader.collect(request, limit: maxBodyBytes)
        } catch let error as IngestError {
            metrics.delivery(source: "sns", outcome: "rejected")
            return JSONResponse.error(error)
        } catch {
            metrics.delivery(source: "sns", outcome: "rejected")
            return JSONResponse.error(.badRequest, "could not read the request body: \(error)")
        }
        var outcome: SNSDeliveryOutcome
        // Signature, certificate (its download a child span) and topic checks, then the message's decoding: one child
        // span of the delivery.
        let typeHeader = HTTPField.Name("x-amz-sns-message-type").flatMap { request.headers[$0] }
        do {
            outcome = try await Traced.span("sns verify") { span throws(SNSDeliveryError) in
                let outcome = try await processor.process(body: body, now: now())
                try Self.checkTypeHeader(typeHeader, outcome: outcome)
                span.attributes["responder.sns.kind"] = outcome.kind.rawValue
                return outcome
            }
        } catch {
            let status = error.httpStatus
            metrics.delivery(source: "sns", outcome: status == 503 ? "unavailable" : "rejected")
            context.logger.notice("sns delivery refused", metadata: ["status": "\(status)", "reason": "\(error.message.prefix(200))"])
            return JSONResponse.error(.init(code: status), error.message)
        }
        let receipt: JournalReceipt
        let alerts = outcome.alert.map { [$0] } ?? []
        let delivery = outcome.delivery(receivedAt: now(), body: String(decoding: body, as: UTF8.self))
        do {
            receipt = try await DeliverySpan.phase("sns journal") {
                try await journal.record(delivery, alerts: alerts, plans: await planner.plans(for: alerts))
            }
        } catch {
            metrics.delivery(source: "sns", outcome: "unavailable")
            unavailable.error("journal unavailable", metadata: ["error": "\(error)"], on: context.logger, now: now())
            // The journal says why (a full disk, a lock, the database down); its messages carry no secrets.
            return JSONResponse.error(.serviceUnavailable, "the alert journal is unavailable; retry later (\(error))")
        }
        metrics.delivery(source: "sns", outcome: receipt.duplicateDelivery ? "duplicate" : "accepted")
        metrics.alertsRecorded(source: "cloudwatch", count: receipt.newAlerts)
        planner.startRuns(receipt: receipt)
        if outcome.kind == .subscriptionConfirmation {
            // Confirmed after the commit, also for a redelivery: SNS re-sends the confirmation until it succeeds.
            do {
                outcome = try await processor.confirm(outcome)
            } catch {
                context.logger.error("sns subscription not confirmed", metadata: ["topic_arn": "\(outcome.topicArn)", "error": "\(error.message)"])
                return JSONResponse.error(.serviceUnavailable, error.message)
            }
        }
        context.logger.info(
            "sns delivery recorded",
            metadata: [
                "kind": "\(outcome.kind.rawValue)", "topic_arn": "\(outcome.topicArn)", "message_id": "\(outcome.messageId)",
                "duplicate": "\(receipt.duplicateDelivery)", "confirmed": "\(outcome.confirmed)",
            ]
        )
        return JSONResponse.make(.ok, SNSReply(outcome: outcome, receipt: receipt))
    }

    /// SNS sets `x-amz-sns-message-type`; when present it must agree with the signed body's `Type`.
    static func checkTypeHeader(_ header: String?, outcome: SNSDeliveryOutcome) throws(SNSDeliveryError) {
        guard let header else { return }
        let expected: String
        switch outcome.kind {
        case .cloudwatchAlarm, .unmatchedNotification: expected = "Notification"
        case .subscriptionConfirmation: expected = "SubscriptionConfirmation"
        case .unsubscribeConfirmation: expected = "UnsubscribeConfirmation"
        }
        guard header == expected else {
            throw .rejected(.invalidField("x-amz-sns-message-type header \"\(header.prefix(40))\" does not match the body's Type \"\(expected)\""))
        }
    }
}

/// The JSON answer to an accepted SNS delivery.
struct SNSReply: Encodable {
    var status: String
    var kind: String
    var messageID: String
    var deliveryID: Int64?
    var newAlerts: Int
    var confirmed: Bool?

    /// The reply for a recorded (or duplicate) delivery.
    init(outcome: SNSDeliveryOutcome, receipt: JournalReceipt) {
        status = receipt.duplicateDelivery ? "duplicate" : "recorded"
        kind = outcome.kind.rawValue
        messageID = outcome.messageId
        deliveryID = receipt.deliveryID
        newAlerts = receipt.newAlerts
        confirmed = outcome.kind == .subscriptionConfirmation ? outcome.confirmed : nil
    }

    /// The JSON names of the reply.
    enum CodingKeys: String, CodingKey {
        case status, kind, confirmed
        case messageID = "message_id"
        case deliveryID = "delivery_id"
        case newAlerts = "new_alerts"
    }
}
