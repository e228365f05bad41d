import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ResponderTestSupport

/// A plain-HTTP loopback server on a free port standing in for an AWS endpoint or the container credentials
/// endpoint: records every request and answers with what `respond` returns.
struct FakeEndpoint {
    /// One request as received.
    struct Hit: Sendable {
        /// `GET` or `POST`.
        var method: String
        /// The path without the query.
        var path: String
        /// Headers by lower-cased name.
        var headers: [String: String]
        /// The body as text.
        var body: String

        /// The value of header `name`, case-insensitively.
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// A canned answer.
    struct Answer: Sendable {
        /// The status code.
        var status: Int
        /// The body text.
        var body: String
        /// Extra response headers.
        var headers: [String: String] = [:]
    }

    /// Runs a server for the duration of `body`, passing its port and the recorded hits.
    static func run<T: Sendable>(
        respond: @escaping @Sendable (Hit) -> Answer,
        _ body: @Sendable (Int, NIOLockedValueBox<[Hit]>) async throws -> T
    ) async throws -> T {
        let hits = NIOLockedValueBox<[Hit]>([])
        return try await FakeServiceHost.run(label: "fake-endpoint", handle: { request in
            let hit = Hit(method: request.method, path: request.path, headers: request.headers,
                          body: String(decoding: request.body, as: UTF8.self))
            hits.withLockedValue { $0.append(hit) }
            let answer = respond(hit)
            return FakeHTTPReply(status: answer.status, contentType: answer.headers["Content-Type"] ?? "application/json",
                                 body: answer.body, headers: answer.headers.filter { $0.key != "Content-Type" })
        }) { port in try await body(port, hits) }
    }
}
