// A LOCAL FAKE of Slack, not the real service: it enforces the contract of Slack's Web API methods
// chat.postMessage, chat.update and conversations.history (https://docs.slack.dev/reference/methods/chat.postMessage,
// https://docs.slack.dev/reference/methods/chat.update, https://docs.slack.dev/reference/methods/conversations.history:
// bearer token, JSON body, `{"ok":false,"error":...}` answers,
// Block Kit limits from https://docs.slack.dev/reference/block-kit) and of incoming webhooks
// (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks: `ok`, or 400/403/404/410 with a short
// error text), so clients are tested against what the real API refuses. No real Slack can be reached here.
import Foundation
import NIOConcurrencyHelpers

/// A local fake Slack (Web API under `/api/<method>`, incoming webhook under `/webhook/<secret>`) that refuses what
/// the real Slack refuses, records every call in order, and fails on demand (429 with `Retry-After`, 500).
public final class FakeSlack: Sendable {
    /// One call as the fake saw it.
    public struct Call: Sendable, Equatable {
        /// `chat.postMessage`, `chat.update`, `webhook`, or the unknown method asked for.
        public var method: String
        /// The parsed body, when it was JSON.
        public var json: FakeJSON?
        /// `channel` of the request.
        public var channel: String?
        /// `thread_ts` of the request.
        public var threadTS: String?
        /// The message's `ts`: assigned (post) or updated.
        public var ts: String?
        /// `text` of the request.
        public var text: String?
        /// The HTTP status answered.
        public var status: Int
        /// The Slack error answered (`not_authed`, `invalid_blocks`...), nil when the call was accepted.
        public var error: String?
        /// The W3C `traceparent` header the call carried, if any.
        public var traceparent: String? = nil

        /// True when the call was accepted.
        public var accepted: Bool { error == nil && status == 200 }
    }

    /// A message as it stands in the fake (after any updates).
    public struct Message: Sendable, Equatable {
        /// Channel id.
        public var channel: String
        /// Its `ts`.
        public var ts: String
        /// The parent's `ts` when it is a thread reply.
        public var threadTS: String?
        /// Current text.
        public var text: String
        /// Current blocks.
        public var blocks: FakeJSON?
        /// How many times it was updated.
        public var updates: Int
        /// The `metadata` it was posted with.
        public var metadata: FakeJSON? = nil
    }

    /// A failure programmed for the next calls.
    public enum Failure: Sendable, Equatable {
        /// HTTP 429 with that `Retry-After` header (none when nil) and `{"ok":false,"error":"ratelimited"}`.
        case rateLimited(retryAfter: String?)
        /// That HTTP status (5xx) with a short body.
        case serverError(status: Int)
        /// HTTP 200 `{"ok":false,"error":code}` (with `needed` for `missing_scope`).
        case slackError(String, needed: String?)
    }

    /// Everything the fake remembers, behind one lock.
    struct State: Sendable {
        /// Every call, oldest first.
        var calls: [Call] = []
        /// Messages by `ts`.
        var messages: [String: Message] = [:]
        /// Message `ts` values in posting order.
        var order: [String] = []
        /// Messages posted so far (the next `ts`).
        var sequence = 0
        /// Programmed failures, next first.
        var failures: [Failure] = []
        /// Delays before answering the next Web API calls (carried out at once, answered late), next first.
        var lateAnswers: [Duration] = []
        /// Whether the token has the `channels:history` scope.
        var historyScope = true
        /// Channels the bot has left.
        var notInChannel: Set<String> = []
        /// Archived channels.
        var archived: Set<String> = []
        /// Whether the webhook's channel is archived.
        var webhookArchived = false
        /// The listening port.
        var port = 0
    }

    /// The bot token the fake accepts.
    public let token: String
    /// Channel ids that exist (and the bot is in, unless ``setNotInChannel(_:)``).
    public let channels: Set<String>
    /// The secret path part of the incoming webhook URL.
    public let webhookSecret: String
    /// The channel incoming-webhook messages land in.
    public let webhookChannel: String
    /// The seconds part of the first message's `ts`: messages are stamped `epoch` plus 100 µs per message posted.
    public let epoch: Int
    /// The fake's state.
    let state = NIOLockedValueBox(State())

    /// A fake accepting `token`, with `channels`, and a webhook at `/webhook/<webhookSecret>`; its message `ts` values
    /// start at `epoch` (now when nil, as Slack's do, so `conversations.history`'s `oldest` works on real times).
    public init(token: String = "xoxb-1111-2222-faketoken", channels: Set<String> = ["C0RESPONDER"],
                webhookSecret: String = "T0000/B0000/fakewebhooksecret", webhookChannel: String = "C0RESPONDER",
                epoch: Int? = nil) {
        self.epoch = epoch ?? Int(Date().timeIntervalSince1970)
        self.token = token
        self.channels = channels
        self.webhookSecret = webhookSecret
        self.webhookChannel = webhookChannel
    }

    /// Starts a fake on 127.0.0.1, runs `body` with it and its Web API base URL (`http://127.0.0.1:PORT/api`),
    /// then stops it.
    public static func with<T: Sendable>(
        _ fake: FakeSlack = FakeSlack(), _ body: @Sendable (FakeSlack, String) async throws -> T
    ) async throws -> T {
        try await FakeServiceHost.run(label: "fake-slack", handle: { fake.handle($0) }) { port in
            fake.state.withLockedValue { $0.port = port }
            return try await body(fake, fake.baseURL)
        }
    }

    /// `http://127.0.0.1:PORT/api` while running.
    public var baseURL: String { "http://127.0.0.1:\(state.withLockedValue { $0.port })/api" }
    /// `http://127.0.0.1:PORT/webhook/<secret>` while running.
    public var webhookURL: String { "http://127.0.0.1:\(state.withLockedValue { $0.port })/webhook/\(webhookSecret)" }

    /// Every call, oldest first, refused ones included.
    public var calls: [Call] { state.withLockedValue { $0.calls } }
    /// The accepted calls, oldest first.
    public var acceptedCalls: [Call] { calls.filter(\.accepted) }
    /// Every message posted (webhook ones included), in posting order, as they stand now.
    public var messages: [Message] { state.withLockedValue { state in state.order.compactMap { state.messages[$0] } } }

    /// The message `ts`, as it stands now.
    public func message(ts: String) -> Message? { state.withLockedValue { $0.messages[ts] } }

    /// The next `count` calls answer 429 with `Retry-After: retryAfter` seconds.
    public func rateLimitNext(_ count: Int = 1, retryAfter: Int? = 1) {
        rateLimitNext(count, retryAfterHeader: retryAfter.map { "\($0)" })
    }

    /// The next `count` calls answer 429 with exactly this `Retry-After` header text (none when nil).
    public func rateLimitNext(_ count: Int = 1, retryAfterHeader: String?) {
        state.withLockedValue { $0.failures += Array(repeating: .rateLimited(retryAfter: retryAfterHeader), count: count) }
    }

    /// The next `count` calls answer HTTP `status` (500 by default).
    public func failNext(_ count: Int = 1, status: Int = 500) {
        state.withLockedValue { $0.failures += Array(repeating: .serverError(status: status), count: count) }
    }

    /// The next `count` Web API calls answer `{"ok":false,"error":code}` (token_revoked, missing_scope...).
    public func refuseNext(_ count: Int = 1, error code: String, needed: String? = nil) {
        state.withLockedValue { $0.failures += Array(repeating: .slackError(code, needed: needed), count: count) }
    }

    /// The next `count` Web API calls are carried out at once but answered only after `delay`: a client that gives
    /// up sooner cannot know whether its call took effect.
    public func answerLateNext(_ count: Int = 1, by delay: Duration) {
        state.withLockedValue { $0.lateAnswers += Array(repeating: delay, count: count) }
    }

    /// The token lacks `channels:history`: `conversations.history` answers `missing_scope`.
    public func withoutHistoryScope() { state.withLockedValue { $0.historyScope = false } }

    /// The bot is no longer a member of `channel` (`not_in_channel`).
    public func setNotInChannel(_ channel: String) { state.withLockedValue { _ = $0.notInChannel.insert(channel) } }

    /// `channel` is archived (`is_archived`).
    public func archive(_ channel: String) { state.withLockedValue { _ = $0.archived.insert(channel) } }

    /// The webhook's channel is archived (410 `channel_is_archived`).
    public func archiveWebhookChannel() { state.withLockedValue { $0.webhookArchived = true } }
}
