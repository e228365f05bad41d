import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers

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
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let text = String(buffer: try await request.collectBody(upTo: 1 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let hit = Hit(method: request.method.rawValue, path: request.uri.path, headers: headers, body: text)
            hits.withLockedValue { $0.append(hit) }
            let answer = respond(hit)
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let field = HTTPFields.Element.Name(name) { fields[field] = value }
            }
            return Response(
                status: .init(code: answer.status), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        router.on("**", method: .get, use: handler)
        router.on("**", method: .post, use: handler)
        router.on("/", method: .get, use: handler)
        router.on("/", method: .post, use: handler)
        var logger = Logger(label: "fake-endpoint")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        defer { task.cancel() }
        return try await body(port, hits)
    }
}
