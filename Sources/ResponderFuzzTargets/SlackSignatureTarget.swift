import Crypto
import Foundation
import ResponderNotify

/// `slack-signature`: what `POST /hooks/slack/actions` does before it reads a body: the v0 signature over the raw body
/// within the 300 s window, the replay guard, then the interaction decoding.
///
/// Input: a mode byte, then `timestamp NUL signature NUL body`. With an odd mode byte the harness replaces the
/// signature with the correct one for the timestamp and body, as Slack would sign them, so that fuzzed bodies get past
/// the signature to the replay guard and the decoder; with an even one the signature is taken as given.
public enum SlackSignatureTarget {
    /// The signing secret of Slack's documented example.
    static let secret = Array("8f742231b10e8888abcd99yyyzzz85a5".utf8)
    /// The example's timestamp, used as now.
    static let now = Date(timeIntervalSince1970: 1_531_420_618)

    /// Verifies, admits and decodes the request the input describes.
    public static func run(_ bytes: [UInt8]) throws {
        guard let mode = bytes.first else { return }
        let input = FuzzInput(Array(bytes.dropFirst()), limit: 3)
        let timestamp = input.optionalText(0)
        let body = input.bytes(2)
        var signature = input.optionalText(1)
        if mode & 1 == 1, let timestamp {
            let mac = HMAC<SHA256>.authenticationCode(for: Array("v0:\(timestamp):".utf8) + body, using: SymmetricKey(data: secret))
            signature = "v0=" + mac.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        }
        let verifier = SlackRequestVerifier(signingSecret: secret)
        // A fresh guard per input, so one input never depends on the ones before it.
        let replays = SlackReplayGuard(capacity: 4)
        let admitted = (timestamp ?? "", signature ?? "")
        do {
            try verifier.verify(body: body, timestamp: timestamp, signature: signature, now: now)
            try Blocking.run { () async throws(SlackSignatureError) in
                try await replays.admit(timestamp: admitted.0, signature: admitted.1, now: now)
            }
        } catch {
            _ = error.description
            throw error
        }
        let replayed = Blocking.run { () async -> SlackSignatureError? in
            do throws(SlackSignatureError) {
                try await replays.admit(timestamp: admitted.0, signature: admitted.1, now: now)
                return nil
            } catch {
                return error
            }
        }
        guard replayed == .replayed else {
            throw FuzzInvariantViolation(
                target: "slack-signature", "a replay of an accepted request was not refused as a replay: \(replayed.map(\.description) ?? "accepted")"
            )
        }
        _ = try SlackInteraction.decode(formBody: body)
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
