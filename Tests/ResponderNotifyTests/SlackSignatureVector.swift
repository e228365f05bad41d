import Foundation
import Testing
@testable import ResponderNotify

/// Slack's documented signing example, from Fixtures/slack/slack_signing_vector.json.
struct SlackSigningVector: Decodable {
    var signingSecret: String
    var timestamp: String
    var body: String
    var expectedSignature: String
    var replayWindowSeconds: Int
    var clockForTestNow: Int

    enum CodingKeys: String, CodingKey {
        case signingSecret = "signing_secret"
        case timestamp, body
        case expectedSignature = "expected_signature"
        case replayWindowSeconds = "replay_window_seconds"
        case clockForTestNow = "clock_for_test_now"
    }

    static func load() throws -> SlackSigningVector {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/slack/slack_signing_vector", withExtension: "json"))
        return try JSONDecoder().decode(SlackSigningVector.self, from: Data(contentsOf: url))
    }

    var now: Date { Date(timeIntervalSince1970: TimeInterval(clockForTestNow)) }
    var verifier: SlackRequestVerifier {
        SlackRequestVerifier(signingSecret: Array(signingSecret.utf8), window: .seconds(replayWindowSeconds))
    }
}
