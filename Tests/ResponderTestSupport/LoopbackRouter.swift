import Hummingbird
import Logging
import ServiceLifecycle

/// Serves a Hummingbird router on 127.0.0.1 (a port of its own) for the duration of a test body: the local endpoints
/// the executor and gate tests call.
public enum LoopbackRouter {
    /// Runs `router` until `body`, given the port, returns or throws; then shuts it down gracefully.
    public static func serve(_ router: Router<BasicRequestContext>, label: String, _ body: (Int) async throws -> Void) async throws {
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            do {
                try await body(port)
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
