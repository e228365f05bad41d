import Foundation
import Hummingbird
import Logging
import ResponderCore
import Tracing

/// `POST /hooks/alertmanager`: authenticates, decodes a v4 payload, journals it, and answers 2xx only after commit;
/// each phase is a child span of the delivery's span (``DeliverySpan``).
struct AlertmanagerHook: Sendable {
    let authenticator: WebhookAuthenticator
    let journal: any AlertJournal
    let metrics: ResponderMetrics
    let planner: IngestPlanner
    let maxBodyBytes: Int
    let now: @Sendable () -> Date
    let decoder = AlertmanagerDecoder()
    /// The refused deliveries' error line, once a minute at most during an outage.
    let unavailable = RepeatedErrorLog()

    /// Answers one Alertmanager notification, in the delivery's span.
    func handle(_ request: Request, context: some RequestContext) async -> Response {
        await DeliverySpan.run(request, route: "/hooks/alertmanager", source: "alertmanager") { span in
            await handle(request, context: context, span: span)
        }
    }

    private func handle(_ request: Request, context: some RequestContext, span: any Span) async -> Response {
        let authentication = startSpan("alertmanager authenticate")
        let authorized = authenticator.isAuthorized(request.headers)
        if !authorized { authentication.setStatus(SpanStatus(code: .error, message: "unauthorized")) }
        authentication.end()
        guard authorized else {
            metrics.delivery(source: "alertmanager", outcome: "unauthorized")
            var response = JSONResponse.error(
                .unauthorized, "missing or invalid credentials: configure http_config.authorization (Bearer) or basic_auth"
            )
            response.headers[.wwwAuthenticate] = "Bearer realm=\"responder\""
            return response
        }
        let alerts: [NormalizedAlert]
        let body: [UInt8]
        let payload: AlertmanagerPayload
        do {
            (body, payload, alerts) = try await DeliverySpan.phase("alertmanager decode") {
                let body = try await BodyReader.collect(request, limit: maxBodyBytes)
                let (payload, alerts) = try decoder.decode(body)
                return (body, payload, alerts)
            }
            DeliverySpan.record(alerts, on: span)
        } catch let error as IngestError {
            metrics.delivery(source: "alertmanager", outcome: "rejected")
            context.logger.notice("alertmanager delivery refused", metadata: ["reason": "\(error.message.prefix(200))"])
            return JSONResponse.error(error)
        } catch {
            metrics.delivery(source: "alertmanager", outcome: "rejected")
            return JSONResponse.error(.badRequest, "could not read the request body: \(error)")
        }
        let delivery = Delivery(
            kind: .alertmanagerWebhook,
            idempotencyKey: nil,
            receivedAt: now(),
            details: ["receiver": payload.receiver, "group_key": payload.groupKey, "status": payload.status],
            body: String(decoding: body, as: UTF8.self)
        )
        do {
            // A re-sent group (every repeat_interval, and from each HA peer) is answered without planning its alerts.
            let receipt = try await DeliverySpan.phase("alertmanager journal") {
                if let duplicate = try await journal.duplicateReceipt(delivery, alerts: alerts) {
                    return duplicate
                }
                return try await journal.record(delivery, alerts: alerts, plans: await planner.plans(for: alerts))
            }
            span.attributes["responder.alerts.new"] = receipt.newAlerts
            if let id = receipt.deliveryID { span.attributes["responder.delivery.id"] = Int(id) }
            metrics.delivery(source: "alertmanager", outcome: receipt.duplicateDelivery ? "duplicate" : "accepted")
            metrics.alertsRecorded(source: "alertmanager", count: receipt.newAlerts)
            planner.startRuns(receipt: receipt)
            context.logger.info(
                "alertmanager delivery recorded",
                metadata: [
                    "receiver": "\(payload.receiver)", "alerts": "\(alerts.count)",
                    "new": "\(receipt.newAlerts)", "duplicates": "\(receipt.duplicateAlerts)",
                    "delivery_id": "\(receipt.deliveryID.map(String.init) ?? "-")",
                ]
            )
            return JSONResponse.make(.ok, IngestReply(receipt))
        } catch {
            metrics.delivery(source: "alertmanager", outcome: "unavailable")
            unavailable.error("journal unavailable", metadata: ["error": "\(error)"], on: context.logger, now: now())
            // The journal says why (a full disk, a lock, the database down); its messages carry no secrets.
            return JSONResponse.error(.serviceUnavailable, "the alert journal is unavailable; retry later (\(error))")
        }
    }
}

/// The JSON answer to an accepted delivery.
struct IngestReply: Encodable {
    var status: String
    var deliveryID: Int64?
    var newAlerts: Int
    var duplicateAlerts: Int

    /// The reply for a journal receipt.
    init(_ receipt: JournalReceipt) {
        status = receipt.duplicateDelivery ? "duplicate" : "recorded"
        deliveryID = receipt.deliveryID
        newAlerts = receipt.newAlerts
        duplicateAlerts = receipt.duplicateAlerts
    }

    /// The JSON names of the reply.
    enum CodingKeys: String, CodingKey {
        case status
        case deliveryID = "delivery_id"
        case newAlerts = "new_alerts"
        case duplicateAlerts = "duplicate_alerts"
    }
}
