import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import ResponderTestSupport

/// A plain-HTTP loopback server standing in for an outside endpoint (SNS's SubscribeURL, an HTTP action's target);
/// records every request's method, path, query, content type, headers, body and arrival time, and answers with a
/// fixed status, at once or after a delay chosen per request.
final class FakeHTTPEndpoint: Sendable {
    /// One request as it arrived (recorded before the endpoint answers, so a request still waiting for its answer is
    /// already recorded).
    struct Hit: Sendable, Equatable {
        var method: String
        var path: String
        var query: String
        var contentType: String? = nil
        var body: String = ""
        /// Header values by lower-cased name.
        var headers: [String: String] = [:]
        /// When it arrived.
        var at = Date()
    }

    private let hits = NIOLockedValueBox<[Hit]>([])
    /// The requests so far, in arrival order.
    var recorded: [Hit] { hits.withLockedValue { $0 } }

    /// Runs the endpoint for the duration of `body`, passing its port. `delay` is asked for each request, with the
    /// requests recorded before it, how long to wait before answering (nil: at once).
    func run<T: Sendable>(status: HTTPResponse.Status = .ok,
                          delay: @escaping @Sendable (_ hit: Hit, _ earlier: [Hit]) -> Duration? = { _, _ in nil },
                          _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let hits = self.hits
        return try await FakeServiceHost.run(label: "fake-endpoint", handle: { request in
            let hit = Hit(method: request.method, path: request.path, query: request.query,
                          contentType: request.headers["content-type"], body: String(decoding: request.body, as: UTF8.self),
                          headers: request.headers)
            let earlier = hits.withLockedValue { hits in
                defer { hits.append(hit) }
                return hits
            }
            var reply = FakeHTTPReply(status: Int(status.code), contentType: "text/plain", body: "")
            reply.delay = delay(hit, earlier)
            return reply
        }, body)
    }
}
