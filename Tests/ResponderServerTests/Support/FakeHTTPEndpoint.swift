import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A plain-HTTP loopback server standing in for an outside endpoint (SNS's SubscribeURL); records every request's
/// method, path and query, and answers with a fixed status.
final class FakeHTTPEndpoint: Sendable {
    struct Hit: Sendable, Equatable {
        var method: String
        var path: String
        var query: String
    }

    private let hits = NIOLockedValueBox<[Hit]>([])
    var recorded: [Hit] { hits.withLockedValue { $0 } }

    /// Runs the endpoint for the duration of `body`, passing its port.
    func run<T: Sendable>(status: HTTPResponse.Status = .ok, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        let hits = self.hits
        let record: @Sendable (Request, BasicRequestContext) -> Response = { request, _ in
            hits.withLockedValue {
                $0.append(Hit(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? ""))
            }
            return Response(status: status)
        }
        router.get("/", use: record)
        router.get("**", use: record)
        router.post("**", use: record)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-endpoint")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
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
