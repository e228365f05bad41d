import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ResponderCore
import ResponderTracing

/// Sends the request of an `http` step (cache warm-up, admin rate-limit endpoints) with AsyncHTTPClient, exactly as
/// ``HTTPRequestRenderer`` built it; the answer must be one of the expected statuses.
///
/// Outcomes: an expected status is success; 408, 425, 429 and 5xx, timeouts and connection failures are retryable;
/// any other status is permanent (the request itself is wrong and repeating it will not help).
public struct HTTPCallRunner: Sendable {
    private let client: HTTPClient
    private let maxResponseBytes: Int

    /// Creates a runner on `client` (its lifecycle belongs to the caller).
    public init(client: HTTPClient, maxResponseBytes: Int = 64 * 1024) {
        self.client = client
        self.maxResponseBytes = maxResponseBytes
    }

    /// The AsyncHTTPClient request for a prepared request.
    public static func request(for prepared: PreparedHTTPRequest) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: prepared.url)
        request.method = HTTPMethod(rawValue: prepared.method)
        for field in prepared.headers {
            request.headers.add(name: field.name, value: field.value)
        }
        if let body = prepared.body {
            request.body = .bytes(ByteBuffer(string: body))
        }
        return request
    }

    /// Sends the request and classifies the answer.
    public func run(_ prepared: PreparedHTTPRequest) async -> StepResult {
        // Only the scheme, host and port are recorded: the path and query may carry tokens.
        await OutboundCall.run("http action", method: prepared.method, url: prepared.url) { call in
            var request = Self.request(for: prepared)
            call.inject(into: &request.headers)
            return await send(request, prepared, call: call)
        }
    }

    private func send(_ request: HTTPClientRequest, _ prepared: PreparedHTTPRequest, call: OutboundCall) async -> StepResult {
        let shown = "\(prepared.method) \(Self.redacted(prepared.url))"
        // The renderer keeps timeouts within 1 h; the clamp keeps the nanosecond count in range whatever it is given.
        let seconds = min(max(prepared.timeout.components.seconds, 0), 3_600)
        let timeout = TimeAmount.seconds(seconds) + .nanoseconds(prepared.timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            let status = Int(response.status.code)
            call.status(status)
            let excerpt = String(buffer: body).prefix(200)
            if prepared.expectStatus.contains(status) {
                return .success(detail: "\(shown): HTTP \(status)", snapshot: [:])
            }
            if status == 408 || status == 425 || status == 429 || (500...599).contains(status) {
                return .retryable("\(shown): HTTP \(status) \(excerpt)")
            }
            let expected = prepared.expectStatus.map(String.init).joined(separator: ", ")
            return .permanent("\(shown): HTTP \(status), expected \(expected): \(excerpt)")
        } catch {
            return .retryable("\(shown): \(error)")
        }
    }

    /// The URL without its query string, which may carry tokens.
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}
