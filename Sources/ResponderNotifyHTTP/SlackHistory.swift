import Foundation
import ResponderNotify

/// Message metadata (https://docs.slack.dev/messaging/message-metadata): an event type and a few string values
/// attached to a message, invisible to people, returned by `conversations.history` with `include_all_metadata`.
public struct SlackMetadata: Sendable, Equatable, Codable {
    /// The event type (letters, digits and `_`).
    public var eventType: String
    /// The values.
    public var eventPayload: [String: String]

    /// Creates metadata.
    public init(eventType: String, eventPayload: [String: String]) {
        self.eventType = eventType
        self.eventPayload = eventPayload
    }

    /// The mark on a run's top-level message.
    public static func run(_ runID: String) -> SlackMetadata {
        SlackMetadata(eventType: "responder_run", eventPayload: ["run_id": runID])
    }

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type"
        case eventPayload = "event_payload"
    }
}

extension SlackClient {
    /// The newest top-level message in `channel` (an id) posted at or after `since` that carries `metadata`, looking at
    /// most `pages` pages of 200 messages back; nil when there is none. Needs the `channels:history` scope
    /// (`groups:history` in a private channel): without it Slack refuses with `missing_scope`, a permanent error.
    public func findMessage(channel: String, metadata: SlackMetadata, since: Date,
                            pages: Int = 5) async throws(NotifyError) -> SlackMessageRef? {
        // Slack's `oldest` is a message ts: seconds since 1970 with microseconds.
        let oldest = String(format: "%.6f", max(0, since.timeIntervalSince1970))
        var cursor: String?
        for _ in 0..<max(1, pages) {
            let request = HistoryRequest(channel: channel, oldest: oldest, cursor: cursor)
            let body = try await call("conversations.history", request, channel: channel).body
            let page: HistoryPage
            do { page = try JSONDecoder().decode(HistoryPage.self, from: Data(body)) } catch {
                throw .permanent("Slack conversations.history answered ok with messages Responder cannot read: check slack.base_url")
            }
            // A thread parent carries its own ts as thread_ts; a reply broadcast to the channel carries its parent's.
            if let ts = page.messages.first(where: { $0.metadata == metadata && ($0.threadTS == nil || $0.threadTS == $0.ts) })?.ts {
                return SlackMessageRef(channel: channel, ts: ts)
            }
            guard page.hasMore == true, let next = page.responseMetadata?.nextCursor, !next.isEmpty else { return nil }
            cursor = next
        }
        return nil
    }

    private struct HistoryRequest: Encodable {
        var channel: String
        var oldest: String
        var cursor: String?
        var limit = 200
        var inclusive = true
        var includeAllMetadata = true

        enum CodingKeys: String, CodingKey {
            case channel, oldest, cursor, limit, inclusive
            case includeAllMetadata = "include_all_metadata"
        }
    }

    private struct HistoryPage: Decodable {
        struct Message: Decodable {
            var ts: String?
            var threadTS: String?
            var metadata: SlackMetadata?

            enum CodingKeys: String, CodingKey {
                case ts, metadata
                case threadTS = "thread_ts"
            }

            // A message of another shape (another app's metadata, a file share) is skipped, not an error.
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                ts = try? container.decodeIfPresent(String.self, forKey: .ts)
                threadTS = try? container.decodeIfPresent(String.self, forKey: .threadTS)
                metadata = try? container.decodeIfPresent(SlackMetadata.self, forKey: .metadata)
            }
        }
        struct Cursor: Decodable {
            var nextCursor: String?
            enum CodingKeys: String, CodingKey { case nextCursor = "next_cursor" }
        }
        var messages: [Message]
        var hasMore: Bool?
        var responseMetadata: Cursor?

        enum CodingKeys: String, CodingKey {
            case messages
            case hasMore = "has_more"
            case responseMetadata = "response_metadata"
        }
    }
}
