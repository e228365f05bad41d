import Foundation
import Testing
@testable import ResponderNotify

@Suite struct SlackInteractionTests {
    /// A button press as Slack documents the block_actions payload (docs.slack.dev, "block_actions payload"):
    /// user, container, channel, the whole message, response_url and the actions array.
    static let blockActions = #"""
        {
          "type": "block_actions",
          "user": {"id": "U2CERLKJA", "username": "roadrunner", "name": "roadrunner", "team_id": "T1DC2JH3J"},
          "api_app_id": "A01BGTV24LQ",
          "token": "xyzz0WbapA4vBCDEFasx0q6G",
          "container": {"type": "message", "message_ts": "1600857119.015400", "channel_id": "C0123ABCD", "is_ephemeral": false},
          "trigger_id": "1388105719492.1379717998065.9bc163894734c1f415a2c504e81dec91",
          "team": {"id": "T1DC2JH3J", "domain": "testteamnow"},
          "enterprise": null,
          "is_enterprise_install": false,
          "channel": {"id": "C0123ABCD", "name": "ops-alerts"},
          "message": {
            "bot_id": "B01AQ1SN737", "type": "message", "text": "run run-42 started", "user": "U01BGV723R6",
            "ts": "1600857119.015400", "team": "T1DC2JH3J",
            "blocks": [
              {"type": "section", "block_id": "summary", "text": {"type": "mrkdwn", "text": "*run-42* scale-up for HighLatency", "verbatim": false}},
              {"type": "actions", "block_id": "run-42-actions", "elements": [
                {"type": "button", "action_id": "responder.ack", "text": {"type": "plain_text", "text": "Acknowledge", "emoji": true}, "value": "eyJhIjoiYWNrIn0.c2ln"},
                {"type": "button", "action_id": "responder.abort", "style": "danger", "text": {"type": "plain_text", "text": "Abort", "emoji": true}, "value": "eyJhIjoiYWJvcnQifQ.c2ln"}
              ]}
            ]
          },
          "state": {"values": {}},
          "response_url": "https://hooks.slack.com/actions/T1DC2JH3J/1392366624098/jvGcScXQmfBxJ9wdPPpGD1Sd",
          "actions": [
            {"action_id": "responder.ack", "block_id": "run-42-actions", "text": {"type": "plain_text", "text": "Acknowledge", "emoji": true},
             "value": "eyJhIjoiYWNrIn0.c2ln", "type": "button", "action_ts": "1600857128.112401"}
          ]
        }
        """#

    static func form(_ json: String, field: String = "payload") -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = json.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return Array("\(field)=\(encoded)".utf8)
    }

    private func refusal(_ body: [UInt8]) -> SlackInteractionError? {
        do {
            _ = try SlackInteraction.decode(formBody: body)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesARealisticBlockActionsPayload() throws {
        let interaction = try SlackInteraction.decode(formBody: Self.form(Self.blockActions))
        #expect(interaction == SlackInteraction(
            userID: "U2CERLKJA", userName: "roadrunner", actionID: "responder.ack", value: "eyJhIjoiYWNrIn0.c2ln",
            messageTS: "1600857119.015400", channelID: "C0123ABCD",
            responseURL: "https://hooks.slack.com/actions/T1DC2JH3J/1392366624098/jvGcScXQmfBxJ9wdPPpGD1Sd"))
        #expect(interaction.type == "block_actions")
    }

    @Test func plusDecodesToSpaceAndOptionalFieldsMayBeAbsent() throws {
        let json = #"{"type":"block_actions","user":{"id":"U1","name":"Road Runner"},"actions":[{"action_id":"open","type":"button","url":"https://x"}]}"#
        // Slack percent-encodes; a raw body with `+` for spaces must decode the same.
        let body = Array("payload=".utf8) + Array(json.replacingOccurrences(of: " ", with: "+").utf8)
        let interaction = try SlackInteraction.decode(formBody: body)
        #expect(interaction.userName == "Road Runner")
        #expect(interaction.value == nil)
        #expect(interaction.messageTS == nil && interaction.channelID == nil && interaction.responseURL == nil)
    }

    @Test func refusesMalformedBodies() {
        let tooLong = String(repeating: "a", count: 2001)
        let cases: [([UInt8], SlackInteractionError)] = [
            ([], .missingPayload),
            (Array("token=abc&user=U1".utf8), .missingPayload),
            (Array("payload=".utf8), .missingPayload),
            (Self.form("{}") + Array("&".utf8) + Self.form("{}"), .missingPayload),
            (Array("payload=%7".utf8), .malformedForm),
            (Array("payload=%zz".utf8), .malformedForm),
            (Array("payload=%FF%FE".utf8), .malformedForm),
            (Self.form("<html>"), .notJSON("unexpected character at byte 0")),
            (Self.form("{\"type\":"), .notJSON("unexpected end of input at byte 8")),
            (Self.form(#"{"type":"view_submission","user":{"id":"U1"}}"#), .unsupportedType("view_submission")),
            (Self.form(#"{"type":"<script>","user":{"id":"U1"}}"#), .unsupportedType(nil)),
            (Self.form(#"{"type":"block_actions","user":{"id":"U1"},"actions":[]}"#), .noActions),
            (Self.form(#"{"type":"block_actions","user":{"id":"U1"}}"#), .noActions),
            (Self.form(#"{"type":"block_actions","actions":[{"action_id":"a"}]}"#), .invalidField("user is missing")),
            (Self.form(#"{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"a"}],"response_url":"http://evil.example/"}"#),
             .invalidField("response_url must be an https URL")),
            (Self.form(#"{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"a","value":"\#(tooLong)"}]}"#),
             .invalidField("actions[0].value is longer than 2000 bytes")),
            (Array(repeating: UInt8(ascii: "a"), count: SlackInteraction.maxBodyBytes + 1), .tooLarge(limit: SlackInteraction.maxBodyBytes)),
        ]
        for (body, expected) in cases {
            #expect(refusal(body) == expected, "\(String(decoding: body.prefix(120), as: UTF8.self))")
        }
    }

    @Test func refusesDuplicateKeysAndDeepNesting() {
        let duplicate = #"{"type":"block_actions","type":"view_closed","user":{"id":"U1"},"actions":[{"action_id":"a"}]}"#
        guard case .notJSON = refusal(Self.form(duplicate)) else {
            Issue.record("duplicate key accepted")
            return
        }
        let deep = #"{"type":"block_actions","x":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        guard case .notJSON = refusal(Self.form(deep)) else {
            Issue.record("deep nesting accepted")
            return
        }
        let wrongType = #"{"type":"block_actions","user":{"id":7},"actions":[{"action_id":"a"}]}"#
        guard case .invalidField = refusal(Self.form(wrongType)) else {
            Issue.record("numeric user id accepted")
            return
        }
    }
}
