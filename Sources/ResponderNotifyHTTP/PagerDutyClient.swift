import AsyncHTTPClient
import Foundation
import Logging
import ResponderNotify

/// PagerDuty's Events API v2: alert events on `/v2/enqueue` and change events on `/v2/change/enqueue`
/// (https://developer.pagerduty.com/docs/events-api-v2/overview/).
///
/// 202 is success; 400 is permanent and quotes PagerDuty's `message` and `errors`; 429, 5xx and network failures
/// are retryable (with `Retry-After` when PagerDuty sends one). The routing key is never in an error, a log line or
/// a description of the client.
public struct PagerDutyClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `https://events.pagerduty.com` by default; tests point it at a local fake.
    public let baseURL: String
    /// How long one call may take.
    public let timeout: Duration
    private let routingKey: String
    private let httpClient: HTTPClient
    private let logger: Logger

    /// A client sending with the integration's `routingKey` (32 characters) through `httpClient`.
    public init(routingKey: String, httpClient: HTTPClient, baseURL: String = "https://events.pagerduty.com",
                timeout: Duration = .seconds(10), logger: Logger = Logger(label: "responder.pagerduty")) {
        self.routingKey = routingKey
        self.httpClient = httpClient
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        self.logger = logger
    }

    /// Never shows the routing key.
    public var description: String { "PagerDutyClient(\(baseURL))" }
    /// Never shows the routing key.
    public var debugDescription: String { description }
    /// Never shows the routing key.
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL]) }

    /// Sends an alert event; returns the `dedup_key` PagerDuty answered (the event's own).
    @discardableResult
    public func send(_ event: PagerDutyEvent) async throws(NotifyError) -> String {
        let answer = try await post("/v2/enqueue", PagerDutyWire.Event(event, routingKey: routingKey),
                                    what: "\(event.action.rawValue) event")
        return answer?.dedupKey ?? event.dedupKey
    }

    /// Sends a change event.
    public func sendChange(_ change: PagerDutyChangeEvent) async throws(NotifyError) {
        _ = try await post("/v2/change/enqueue", PagerDutyWire.Change(change, routingKey: routingKey), what: "change event")
    }

    private func post(_ path: String, _ body: some Encodable, what: String) async throws(NotifyError) -> PagerDutyWire.Answer? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(body)) } catch {
            throw .permanent("could not encode the PagerDuty \(what): \(error)")
        }
        let response = try await NotifyHTTP.post(
            httpClient, url: baseURL + path, headers: [("Content-Type", "application/json")], body: bytes,
            timeout: timeout, service: "PagerDuty", peer: "pagerduty", secrets: [routingKey])
        let answer = try? JSONDecoder().decode(PagerDutyWire.Answer.self, from: Data(response.body))
        let retryAfter = NotifyHTTP.retryAfter(response.headers)
        switch response.status {
        case 200...299:
            return answer
        case 429:
            logger.warning("PagerDuty rate limit", metadata: ["path": "\(path)"])
            throw .retryable("PagerDuty answered HTTP 429 (rate limited) to the \(what)", retryAfter: retryAfter)
        case 500...599:
            throw .retryable("PagerDuty answered HTTP \(response.status) to the \(what)", retryAfter: retryAfter)
        case 400:
            let reason = reasonText(answer, response)
            logger.warning("PagerDuty refused", metadata: ["path": "\(path)", "reason": "\(reason)"])
            throw .permanent("PagerDuty refused the \(what) (HTTP 400): \(reason)\(advice(reason))")
        default:
            throw .permanent("PagerDuty answered HTTP \(response.status) to the \(what): \(reasonText(answer, response)): "
                + "check pagerduty.base_url")
        }
    }

    private func reasonText(_ answer: PagerDutyWire.Answer?, _ response: NotifyHTTP.Response) -> String {
        guard let answer, answer.message != nil || answer.errors != nil else {
            return response.bodyText(limit: 200, redacting: [routingKey])
        }
        let errors = (answer.errors ?? []).prefix(5).joined(separator: "; ")
        let text = [answer.message, errors.isEmpty ? nil : errors].compactMap { $0 }.joined(separator: ": ")
        return NotifyHTTP.redact(String(text.prefix(600)), secrets: [routingKey])
    }

    private func advice(_ reason: String) -> String {
        reason.lowercased().contains("routing") || reason.lowercased().contains("integration key")
            ? " (set pagerduty.routing_key to the 32-character Integration Key of an Events API v2 integration)" : ""
    }
}
