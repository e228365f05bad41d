import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ResponderCore

/// Carries out `http` actions (cache warm-up, admin rate-limit endpoints) with AsyncHTTPClient: the URL, header values
/// and body are rendered from the alert; the answer must be one of the expected statuses.
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

    /// The request `call` makes for the alert behind `template`.
    public static func request(for call: Action.HTTPCall, template: AlertTemplate) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: template.render(call.url))
        request.method = HTTPMethod(rawValue: call.method.uppercased())
        for (name, value) in call.headers.sorted(by: { $0.key < $1.key }) {
            request.headers.add(name: name, value: template.render(value))
        }
        if let body = call.body {
            request.body = .bytes(ByteBuffer(string: template.render(body)))
        }
        return request
    }

    /// Makes the call and classifies the answer.
    public func run(_ call: Action.HTTPCall, template: AlertTemplate) async -> StepResult {
        let request = Self.request(for: call, template: template)
        let shown = "\(call.method.uppercased()) \(Self.redacted(request.url))"
        let timeout = TimeAmount.nanoseconds(Int64(call.timeout.components.seconds) * 1_000_000_000
            + call.timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            let status = Int(response.status.code)
            let excerpt = String(buffer: body).prefix(200)
            if call.expectStatus.contains(status) {
                return .success(detail: "\(shown): HTTP \(status)", snapshot: [:])
            }
            if status == 408 || status == 425 || status == 429 || (500...599).contains(status) {
                return .retryable("\(shown): HTTP \(status) \(excerpt)")
            }
            let expected = call.expectStatus.map(String.init).joined(separator: ", ")
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
