import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Serves a fake's `handle` on 127.0.0.1 (plain HTTP, an ephemeral port) for the duration of a body; every local
/// fake HTTP endpoint of the tests runs on it.
public enum FakeServiceHost {
    /// Runs the server (on `port`, by default one the system picks), calls `body` with its port, then shuts it down
    /// (also when `body` throws); throws when the port cannot be bound.
    public static func run<T: Sendable>(
        label: String, port requestedPort: Int = 0, handle: @escaping @Sendable (FakeHTTPRequest) -> FakeHTTPReply,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            for path in ["/", "**"] {
            router.on(RouterPath(path), method: method) { request, _ -> Response in
                var request = request
                let bytes = Array(buffer: try await request.collectBody(upTo: 4 << 20))
                var headers: [String: String] = [:]
                for field in request.headers {
                    let name = field.name.canonicalName.lowercased()
                    headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
                }
                let reply = handle(FakeHTTPRequest(method: request.method.rawValue, path: request.uri.path,
                                                   headers: headers, body: bytes, query: request.uri.query ?? ""))
                if let delay = reply.delay { try await Task.sleep(for: delay) }
                var fields: HTTPFields = [.contentType: reply.contentType]
                if let retryAfter = reply.retryAfter { fields[.retryAfter] = retryAfter }
                for (name, value) in reply.headers {
                    if let field = HTTPFields.Element.Name(name) { fields[field] = value }
                }
                return Response(status: .init(code: reply.status), headers: fields,
                                body: .init(byteBuffer: ByteBuffer(string: reply.body)))
            }
            }
        }
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: requestedPort)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            // A server that cannot bind ends the stream, so the wait for its port below ends too.
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw LoopbackPortError("\(label) could not listen on 127.0.0.1:\(requestedPort)")
        }
        do {
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            try await task.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
    }
}
