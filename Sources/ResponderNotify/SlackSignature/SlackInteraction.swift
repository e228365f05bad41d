import Foundation
import ResponderCore

/// A Slack `block_actions` interaction: someone pressed one of our buttons.
///
/// Slack posts `application/x-www-form-urlencoded` with one field, `payload`, holding the JSON. Only what Responder
/// uses is kept. Decode only a body whose signature ``SlackRequestVerifier`` accepted.
public struct SlackInteraction: Sendable, Equatable {
    /// Largest form body accepted (a payload carries the whole message, blocks included).
    public static let maxBodyBytes = 256 * 1024

    /// The payload type; always `block_actions`.
    public var type: String
    /// The Slack user id of the person who pressed the button.
    public var userID: String
    /// Their `username`, else their `name`, when Slack sent one.
    public var userName: String?
    /// The `action_id` of the first action.
    public var actionID: String
    /// The `value` of the first action (our signed link token); nil for link buttons, which carry none.
    public var value: String?
    /// `container.message_ts`: the message the button is on, when it is on a message.
    public var messageTS: String?
    /// `channel.id` (else `container.channel_id`).
    public var channelID: String?
    /// `response_url`, always https when present.
    public var responseURL: String?

    /// Creates an interaction.
    public init(type: String = "block_actions", userID: String, userName: String?, actionID: String, value: String?,
                messageTS: String?, channelID: String?, responseURL: String?) {
        self.type = type
        self.userID = userID
        self.userName = userName
        self.actionID = actionID
        self.value = value
        self.messageTS = messageTS
        self.channelID = channelID
        self.responseURL = responseURL
    }

    /// Decodes the raw form body Slack posted to the interactivity URL.
    public static func decode(formBody: [UInt8]) throws(SlackInteractionError) -> SlackInteraction {
        guard formBody.count <= maxBodyBytes else { throw .tooLarge(limit: maxBodyBytes) }
        let fields: [InboundFormBody.Field]
        do {
            fields = try InboundFormBody.parse(formBody)
        } catch {
            throw .malformedForm
        }
        let payloads = fields.filter { $0.name == "payload" }
        guard payloads.count == 1, !payloads[0].value.isEmpty else { throw .missingPayload }
        let json = Array(payloads[0].value.utf8)

        let wire: Wire
        do {
            wire = try StrictJSON(maxDepth: 32).decode(Wire.self, from: json)
        } catch {
            switch error {
            case .malformedJSON(let detail): throw .notJSON(detail)
            default: throw .invalidField(Self.describe(error))
            }
        }
        guard wire.type == "block_actions" else { throw .unsupportedType(Self.plainIdentifier(wire.type)) }
        guard let action = wire.actions?.first else { throw .noActions }
        guard let user = wire.user else { throw .invalidField("user is missing") }
        guard !user.id.isEmpty else { throw .invalidField("user.id is empty") }

        let username = user.username?.isEmpty == false ? user.username : user.name
        let responseURL = try limited(wire.responseURL, "response_url", 2048)
        if let responseURL, !responseURL.lowercased().hasPrefix("https://") {
            throw .invalidField("response_url must be an https URL")
        }
        return SlackInteraction(
            type: wire.type,
            userID: try limited(user.id, "user.id", 64),
            userName: try limited(username, "user.username", 256),
            actionID: try limited(action.actionID, "actions[0].action_id", 255),
            value: try limited(action.value, "actions[0].value", 2000),
            messageTS: try limited(wire.container?.messageTS, "container.message_ts", 64),
            channelID: try limited(wire.channel?.id ?? wire.container?.channelID, "channel.id", 64),
            responseURL: responseURL)
    }

    private static func limited(_ text: String?, _ field: String, _ limit: Int) throws(SlackInteractionError) -> String? {
        guard let text else { return nil }
        let checked: String = try limited(text, field, limit)
        return checked
    }

    private static func limited(_ text: String, _ field: String, _ limit: Int) throws(SlackInteractionError) -> String {
        guard text.utf8.count <= limit else { throw .invalidField("\(field) is longer than \(limit) bytes") }
        return text
    }

    /// The type when it is short and plain enough to quote in an error, else nil.
    private static func plainIdentifier(_ text: String) -> String? {
        guard (1...40).contains(text.utf8.count),
              text.utf8.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") })
        else { return nil }
        return text
    }

    private static func describe(_ error: IngestError) -> String {
        switch error {
        case .invalidField(let detail): return detail
        default: return "\(error)"
        }
    }

    // The subset of Slack's block_actions payload Responder reads; unknown fields are ignored.
    private struct Wire: Decodable {
        struct User: Decodable {
            var id: String
            var username: String?
            var name: String?
        }

        struct Container: Decodable {
            var messageTS: String?
            var channelID: String?

            enum CodingKeys: String, CodingKey {
                case messageTS = "message_ts"
                case channelID = "channel_id"
            }
        }

        struct Channel: Decodable {
            var id: String
        }

        struct Action: Decodable {
            var actionID: String
            var value: String?

            enum CodingKeys: String, CodingKey {
                case actionID = "action_id"
                case value
            }
        }

        var type: String
        var user: User?
        var actions: [Action]?
        var container: Container?
        var channel: Channel?
        var responseURL: String?

        enum CodingKeys: String, CodingKey {
            case type, user, actions, container, channel
            case responseURL = "response_url"
        }
    }
}
