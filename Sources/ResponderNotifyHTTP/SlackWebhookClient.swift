import AsyncHTTPClient
import Foundation
import Logging
import ResponderNotify

/// A Slack incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks): POSTs
/// `{"text":...,"blocks":[...]}` to the webhook URL, which answers `200 ok`, or an HTTP error with a short text
/// (`invalid_payload`, `no_service`, `channel_is_archived`...). 429 and 5xx are retryable; the rest are permanent.
/// The URL is a secret (whoever has it can post): it is never in an error, a log line or a description.
public struct SlackWebhookClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How long one call may take.
    public let timeout: Duration
    private let url: String
    private let httpClient: HTTPClient
    private let logger: Logger

    /// A client posting to the webhook `url` through `httpClient`.
    public init(url: String, httpClient: HTTPClient, timeout: Duration = .seconds(10),
                logger: Logger = Logger(label: "responder.slack-webhook")) {
        self.url = url
        self.httpClient = httpClient
        self.timeout = timeout
        self.logger = logger
    }

    /// Never shows the URL.
    public var description: String { "SlackWebhookClient(<redacted>)" }
    /// Never shows the URL.
    public var debugDescription: String { description }
    /// Never shows the URL.
    public var customMirror: Mirror { Mirror(self, children: ["url": "<redacted>"]) }

    /// Posts `text` (and `blocks`) to the webhook's channel.
    public func post(text: String, blocks: [SlackBlock]? = nil) async throws(NotifyError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(Payload(text: text, blocks: blocks?.isEmpty == true ? nil : blocks)))
        } catch {
            throw .permanent("could not encode the Slack webhook message: \(error)")
        }
        let secrets = Self.secrets(of: url)
        let response = try await NotifyHTTP.post(
            httpClient, url: url, headers: [("Content-Type", "application/json; charset=utf-8")], body: bytes,
            timeout: timeout, service: "the Slack webhook", peer: "slack webhook", secrets: secrets)
        let code = SlackErrorCatalog.plain(response.bodyText(limit: 100, redacting: secrets))
        switch response.status {
        case 200...299:
            return
        case 429:
            throw .retryable("the Slack webhook answered HTTP 429 (rate limited)",
                             retryAfter: NotifyHTTP.retryAfter(response.headers))
        case 500...599:
            throw .retryable("the Slack webhook answered HTTP \(response.status) \(code)",
                             retryAfter: NotifyHTTP.retryAfter(response.headers))
        default:
            logger.warning("Slack webhook refused", metadata: ["status": "\(response.status)", "error": "\(code)"])
            throw .permanent("the Slack webhook refused the message: HTTP \(response.status) \(code): \(Self.advice(code))")
        }
    }

    /// Posts `message`.
    public func post(_ message: SlackMessage) async throws(NotifyError) {
        try await post(text: message.text, blocks: message.blocks)
    }

    private static func advice(_ code: String) -> String {
        switch code {
        case "no_service", "no_team", "no_service_id", "team_disabled", "invalid_token":
            return "the webhook was removed or its app uninstalled: create a new incoming webhook and set slack.webhook_url"
        case "channel_not_found":
            return "the webhook's channel was deleted: create a new incoming webhook"
        case "channel_is_archived":
            return "the webhook's channel is archived: unarchive it or create a webhook for another channel"
        case "action_prohibited", "posting_to_general_channel_denied":
            return "the workspace does not allow this webhook to post there: ask a Slack admin"
        case "invalid_payload", "invalid_blocks", "invalid_blocks_format", "missing_text_or_fallback_or_attachments",
             "no_text", "user_not_found":
            return "Slack did not accept the message (a Responder bug)"
        default:
            return "check slack.webhook_url"
        }
    }

    // The whole URL and its path (the part after the host is the secret) are removed from quoted text.
    private static func secrets(of url: String) -> [String] {
        guard let path = URL(string: url)?.path, path.count > 1 else { return [url] }
        return [url, path]
    }

    private struct Payload: Encodable {
        var text: String
        var blocks: [SlackBlock]?
        // Incoming webhooks honour these too: no unfurl (a GET of an action link), no names turned into mentions.
        var unfurlLinks = false
        var unfurlMedia = false
        var linkNames = false

        enum CodingKeys: String, CodingKey {
            case text, blocks
            case unfurlLinks = "unfurl_links"
            case unfurlMedia = "unfurl_media"
            case linkNames = "link_names"
        }
    }
}
