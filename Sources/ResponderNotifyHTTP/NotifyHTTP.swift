import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ResponderCore
import ResponderNotify
import ResponderTracing
import Tracing

/// One outbound POST to Slack or PagerDuty with a timeout and a capped response, transport failures mapped to
/// ``NotifyError`` with every secret (token, routing key, webhook URL) removed from the text.
enum NotifyHTTP {
    /// What came back.
    struct Response: Sendable {
        /// The status code.
        var status: Int
        /// The response headers.
        var headers: HTTPHeaders
        /// The response body (at most 1 MiB).
        var body: [UInt8]

        /// The body as text, cut to `limit` characters, with `secrets` removed.
        func bodyText(limit: Int = 300, redacting secrets: [String]) -> String {
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return NotifyHTTP.redact(String(text.prefix(limit)), secrets: secrets)
        }
    }

    /// POSTs `body` as JSON-ish content to `url`; `service` names the other side in errors ("Slack", "PagerDuty"),
    /// `peer` in the client span's name (`slack`, `slack webhook`, `pagerduty`), with `operation` (a Slack Web API
    /// method) as its `rpc.method`.
    static func post(
        _ client: HTTPClient, url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration,
        service: String, peer: String, operation: String? = nil, secrets: [String]
    ) async throws(NotifyError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            // The URL's path is not recorded: a Slack incoming webhook's path is its secret.
            var attributes: SpanAttributes = [:]
            if let operation { attributes["rpc.method"] = operation }
            return try await OutboundCall.run(peer, method: "POST", url: url, attributes: attributes) { call in
                call.inject(into: &request.headers)
                let response = try await client.execute(request, timeout: timeAmount(timeout))
                call.status(Int(response.status.code))
                let buffer = try await response.body.collect(upTo: 1 << 20)
                return Response(status: Int(response.status.code), headers: response.headers,
                                body: Array(buffer.readableBytesView))
            }
        } catch let error as HTTPClientError where isConfigurationError(error) {
            throw .permanent("the \(service) URL is not a valid http(s) URL (\(error.shortDescription)): check the configured base URL")
        } catch {
            throw .retryable("could not reach \(service): \(redact(describe(error), secrets: secrets))", retryAfter: nil)
        }
    }

    /// Longest `Retry-After` honoured: a larger delay (or a date further ahead) is cut to one hour.
    static let maxRetryAfter: Duration = .seconds(3_600)

    /// `Retry-After` as a duration, at most ``maxRetryAfter``: delay-seconds (Slack, PagerDuty: `1*DIGIT`, any
    /// number of digits, so `99999999999999999999` is one hour) or an IMF-fixdate HTTP date (`Sun, 06 Nov 1994
    /// 08:49:37 GMT`, a past date is 0). Anything else (a sign, a fraction, garbage) is ignored: nil.
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        guard let raw = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return nil
        }
        let limit = maxRetryAfter.components.seconds
        if raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Digit by digit, stopping at the cap: the text may be longer than any integer type.
            var seconds: Int64 = 0
            for byte in raw.utf8 where seconds <= limit {
                seconds = seconds * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return .seconds(min(seconds, limit))
        }
        guard raw.utf8.count <= 64 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: raw) else { return nil }
        let wait = date.timeIntervalSince(now)
        guard wait.isFinite else { return nil }
        return .seconds(Int64(max(0, min(wait, Double(limit))).rounded()))
    }

    /// `text` with every non-empty secret replaced by `<redacted>`.
    static func redact(_ text: String, secrets: [String]) -> String {
        secrets.filter { $0.count >= 4 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }

    /// A transport error as text without request details (which could carry headers).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(describing: type(of: error)) + ": " + "\(error)".prefix(200)
    }

    /// A Duration as NIO's TimeAmount.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.clampedNanoseconds)
    }

    /// True for errors no retry can fix: the URL itself is wrong.
    private static func isConfigurationError(_ error: HTTPClientError) -> Bool {
        ["Invalid URL", "Empty host", "Empty scheme", "Unsupported scheme"].contains(error.shortDescription)
    }
}
