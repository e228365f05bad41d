import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import ResponderTestSupport

/// A plain-HTTP loopback server standing in for an outside endpoint (SNS's SubscribeURL, an HTTP action's target);
/// records every request's method, path, query, content type and body, and answers with a fixed status.
final class FakeHTTPEndpoint: Sendable {
    struct Hit: Sendable, Equatable {
        var method: String
        var path: String
        var query: String
        var contentType: String? = nil
        var body: String = ""
    }

    private let hits = NIOLockedValueBox<[Hit]>([])
    var recorded: [Hit] { hits.withLockedValue { $0 } }

    /// Runs the endpoint for the duration of `body`, passing its port.
    func run<T: Sendable>(status: HTTPResponse.Status = .ok, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let hits = self.hits
        return try await FakeServiceHost.run(label: "fake-endpoint", handle: { request in
            hits.withLockedValue { $0.append(Hit(method: request.method, path: request.path, query: request.query,
                                        contentType: request.headers["content-type"], body: String(decoding: request.body, as: UTF8.self))) }
            return FakeHTTPReply(status: Int(status.code), contentType: "text/plain", body: "")
        }, body)
    }
}
