// Serves the fake Kubernetes API (a fake enforcing the real API's contract, not the real API server) over real HTTPS
// on 127.0.0.1 with a throwaway CA.
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ResponderExecutors
import ServiceLifecycle

enum FakeKubernetesServer {
    /// Runs `api` on an ephemeral port for the duration of `body`, with a certificate of `pki`'s CA; with
    /// `requireClientCertificate` the TLS layer refuses clients without a certificate from that CA.
    static func with(
        _ api: FakeKubernetesAPI, pki: TestPKI = .shared, requireClientCertificate: Bool = false,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let router = Router()
        for method in [HTTPRequest.Method.get, .patch, .put, .post, .delete] {
            router.on("**", method: method) { request, _ -> Response in
                var request = request
                let bytes = Array(buffer: try await request.collectBody(upTo: 1 << 20))
                var headers: [String: String] = [:]
                for field in request.headers {
                    headers[field.name.canonicalName] = field.value
                }
                let reply = api.handle(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers, body: bytes)
                return Response(
                    status: .init(code: reply.status), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: reply.body))
                )
            }
        }
        var logger = Logger(label: "fake-kubernetes")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let tls = try pki.serverTLS(requireClientCertificate: requireClientCertificate)
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
