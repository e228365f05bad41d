import AsyncHTTPClient
import Foundation
import Logging
import ResponderNotify

/// Slack's Web API with a bot token: `chat.postMessage`, `chat.update` and, to find a message an earlier attempt may
/// have posted, `conversations.history` (https://docs.slack.dev/reference/methods/chat.postMessage, .../chat.update,
/// .../conversations.history).
///
/// Slack answers HTTP 200 with `{"ok":false,"error":"..."}` for most failures; those are mapped to
/// ``NotifyError/permanent(_:)`` with what to fix, except rate limits and Slack's own trouble, which are retryable
/// (HTTP 429 with `Retry-After`, `ratelimited`, 5xx, network). The token is never in an error, a log line or a
/// description of the client.
public struct SlackClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `https://slack.com/api` by default; tests point it at a local fake.
    public let baseURL: String
    /// How long one call may take.
    public let timeout: Duration
    private let token: String
    private let httpClient: HTTPClient
    private let logger: Logger

    /// A client posting with the bot `token` (`xoxb-...`) through `httpClient`.
    public init(token: String, httpClient: HTTPClient, baseURL: String = "https://slack.com/api",
                timeout: Duration = .seconds(10), logger: Logger = Logger(label: "responder.slack")) {
        self.token = token
        self.httpClient = httpClient
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        self.logger = logger
    }

    /// Never shows the token.
    public var description: String { "SlackClient(\(baseURL))" }
    /// Never shows the token.
    public var debugDescription: String { description }
    /// Never shows the token.
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": baseURL]) }

    /// Posts a message to `channel` (a reply in the thread of `threadTS` when given); returns where it landed.
    /// `metadata` marks the message so ``findMessage(channel:metadata:since:)`` can find it again.
    public func postMessage(channel: String, text: String, blocks: [SlackBlock]? = nil, threadTS: String? = nil,
                            metadata: SlackMetadata? = nil) async throws(NotifyError) -> SlackMessageRef {
        let request = PostMessage(channel: channel, text: text, blocks: blocks?.isEmpty == true ? nil : blocks,
                                  threadTS: threadTS, metadata: metadata)
        let answer = try await call("chat.postMessage", request, channel: channel).answer
        guard let ts = answer.ts, !ts.isEmpty else {
            throw .permanent("Slack chat.postMessage answered ok without a message ts: check slack.base_url")
        }
        return SlackMessageRef(channel: answer.channel ?? channel, ts: ts)
    }

    /// Posts `message` to `channel` (in the thread of `threadTS` when given).
    public func postMessage(channel: String, message: SlackMessage, threadTS: String? = nil,
                            metadata: SlackMetadata? = nil) async throws(NotifyError) -> SlackMessageRef {
        try await postMessage(channel: channel, text: message.text, blocks: message.blocks, threadTS: threadTS,
                              metadata: metadata)
    }

    /// Replaces the text and blocks of the message `ts` in `channel`.
    public func update(channel: String, ts: String, text: String, blocks: [SlackBlock]? = nil) async throws(NotifyError) {
        let request = Update(channel: channel, ts: ts, text: text, blocks: blocks?.isEmpty == true ? nil : blocks)
        _ = try await call("chat.update", request, channel: channel)
    }

    /// Replaces the message at `ref` with `message`.
    public func update(_ ref: SlackMessageRef, with message: SlackMessage) async throws(NotifyError) {
        try await update(channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks)
    }

    /// Calls `method` with `body` as JSON; the decoded answer and the raw body of an `ok` answer.
    func call(_ method: String, _ body: some Encodable,
              channel: String) async throws(NotifyError) -> (answer: Answer, body: [UInt8]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(body)) } catch {
            throw .permanent("could not encode the Slack \(method) request: \(error)")
        }
        let response = try await NotifyHTTP.post(
            httpClient, url: "\(baseURL)/\(method)",
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json; charset=utf-8")],
            body: bytes, timeout: timeout, service: "Slack", peer: "slack", operation: method, secrets: [token])
        let retryAfter = NotifyHTTP.retryAfter(response.headers)
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
        switch response.status {
        case 200:
            break
        case 429:
            logger.warning("Slack rate limit", metadata: ["method": "\(method)", "retry_after": "\(retryAfter.map { "\($0)" } ?? "-")"])
            throw .retryable("Slack \(method) answered HTTP 429 (rate limited)", retryAfter: retryAfter)
        case 500...599:
            throw .retryable("Slack \(method) answered HTTP \(response.status)", retryAfter: retryAfter)
        default:
            if let answer, answer.ok == false, let code = answer.error {
                throw classify(code, answer: answer, method: method, channel: channel, retryAfter: retryAfter)
            }
            throw .permanent("Slack \(method) answered HTTP \(response.status): check slack.base_url (\(response.bodyText(limit: 120, redacting: [token])))")
        }
        guard let answer else {
            throw .permanent("Slack \(method) answered HTTP 200 without a Web API JSON body: check slack.base_url")
        }
        guard answer.ok else {
            throw classify(answer.error ?? "unknown_error", answer: answer, method: method, channel: channel, retryAfter: retryAfter)
        }
        if let warning = answer.warning {
            logger.debug("Slack warning", metadata: ["method": "\(method)", "warning": "\(SlackErrorCatalog.plain(warning))"])
        }
        return (answer, response.body)
    }

    private func classify(_ code: String, answer: Answer, method: String, channel: String,
                          retryAfter: Duration?) -> NotifyError {
        let messages = (answer.errors ?? []) + (answer.responseMetadata?.messages ?? [])
        let detail = messages.isEmpty ? nil
            : NotifyHTTP.redact(String(messages.prefix(3).joined(separator: "; ").prefix(400)), secrets: [token])
        let error = SlackErrorCatalog.error(code: code, method: method, channel: channel, needed: answer.needed,
                                            detail: detail, retryAfter: retryAfter)
        logger.warning("Slack refused", metadata: ["method": "\(method)", "error": "\(SlackErrorCatalog.plain(code))"])
        return error
    }

    private struct PostMessage: Encodable {
        var channel: String
        var text: String
        var blocks: [SlackBlock]?
        var threadTS: String?
        var metadata: SlackMetadata?
        // Responder's links must not be unfurled (an unfurl is a GET by Slack), nor names turned into mentions.
        var unfurlLinks = false
        var unfurlMedia = false
        var linkNames = false

        enum CodingKeys: String, CodingKey {
            case channel, text, blocks, metadata
            case threadTS = "thread_ts"
            case unfurlLinks = "unfurl_links"
            case unfurlMedia = "unfurl_media"
            case linkNames = "link_names"
        }
    }

    private struct Update: Encodable {
        var channel: String
        var ts: String
        var text: String
        var blocks: [SlackBlock]?
        var linkNames = false

        enum CodingKeys: String, CodingKey {
            case channel, ts, text, blocks
            case linkNames = "link_names"
        }
    }

    /// The fields of a Web API answer Responder reads.
    struct Answer: Decodable {
        struct Metadata: Decodable { var messages: [String]? }
        var ok: Bool
        var error: String?
        var warning: String?
        var channel: String?
        var ts: String?
        var needed: String?
        var errors: [String]?
        var responseMetadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case ok, error, warning, channel, ts, needed, errors
            case responseMetadata = "response_metadata"
        }

        // Only `ok` is required: the extras are advice, and an unexpected shape must not hide the error code.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ok = try container.decode(Bool.self, forKey: .ok)
            error = try? container.decodeIfPresent(String.self, forKey: .error)
            warning = try? container.decodeIfPresent(String.self, forKey: .warning)
            channel = try? container.decodeIfPresent(String.self, forKey: .channel)
            ts = try? container.decodeIfPresent(String.self, forKey: .ts)
            needed = try? container.decodeIfPresent(String.self, forKey: .needed)
            errors = try? container.decodeIfPresent([String].self, forKey: .errors)
            responseMetadata = try? container.decodeIfPresent(Metadata.self, forKey: .responseMetadata)
        }
    }
}
