import Crypto
import Foundation
import ResponderCore

/// Verifies Slack's v0 request signatures.
///
/// Slack sends `X-Slack-Request-Timestamp: <unix seconds>` and `X-Slack-Signature: v0=<hex>`, where the hex is the
/// HMAC-SHA256, keyed with the app's signing secret, of `v0:<timestamp>:<raw body>`. The timestamp must lie within
/// ±``window`` of now. Pair with ``SlackReplayGuard`` to refuse a captured request replayed inside the window.
public struct SlackRequestVerifier: Sendable {
    /// The accepted distance between the request's timestamp and now, either way.
    public let window: Duration
    private let key: SymmetricKey

    /// Creates a verifier for the app's signing secret (never logged).
    public init(signingSecret: [UInt8], window: Duration = .seconds(300)) {
        self.key = SymmetricKey(data: signingSecret)
        self.window = window
    }

    /// Throws unless `signature` is Slack's v0 signature of `body` at `timestamp` and `timestamp` is within the window.
    ///
    /// - Parameters:
    ///   - body: the raw request body, exactly as received (before any form or JSON decoding).
    ///   - timestamp: the `X-Slack-Request-Timestamp` header.
    ///   - signature: the `X-Slack-Signature` header.
    ///   - now: the current time.
    public func verify(body: [UInt8], timestamp: String?, signature: String?, now: Date) throws(SlackSignatureError) {
        guard let timestamp, !timestamp.isEmpty, let signature, !signature.isEmpty else { throw .missing }
        guard let seconds = Self.parseTimestamp(timestamp) else { throw .malformedTimestamp }
        let skew = abs(now.timeIntervalSince1970 - TimeInterval(seconds))
        guard skew <= window.timeInterval else { throw .stale }
        guard signature.hasPrefix("v0="), let mac = Self.hexBytes(signature.utf8.dropFirst(3)), mac.count == SHA256.byteCount else {
            throw .mismatch
        }
        let signed = Array("v0:\(timestamp):".utf8) + body
        // isValidAuthenticationCode compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) else { throw .mismatch }
    }

    /// The timestamp as seconds: 1 to 12 ASCII digits, nothing else (no sign, no spaces, no fraction).
    static func parseTimestamp(_ text: String) -> Int64? {
        guard (1...12).contains(text.utf8.count),
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int64(text)
    }

    private static func hexBytes(_ text: Substring.UTF8View) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8?
        for byte in text {
            guard let nibble = ASCIIHex.value(byte) else { return nil }
            if let first = high {
                out.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out
    }
}
