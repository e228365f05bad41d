import AsyncHTTPClient
import Foundation
import ResponderTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ResponderCore
import ResponderRuntime
import ResponderNotify
import ResponderServer
import ResponderStore
import ServiceLifecycle

/// A real Responder HTTPS server on a loopback port with a temp SQLite journal, and a client that trusts its
/// generated certificate.
struct TestServer: Sendable {
    let port: Int
    let folder: String
    let journal: SQLiteJournal
    let client: HTTPClient
    let certificatePath: String
    let playbooks: PlaybookRegistry
    let runs: RunCoordinator?
    /// The notification assembly, when started with `notifications: true`.
    let notifications: NotificationAssembly?
    let token = "test-bearer-token"
    /// The link signing key of servers started with notifications.
    static let linkKey = ActionLinkKey(id: "test", secret: Array(repeating: 7, count: 32))
    static let adminToken = "test-admin-token"

    var baseURL: String { "https://localhost:\(port)" }

    /// Starts a server, runs `body`, and stops the server whatever happens.
    static func with<T: Sendable>(
        configure: @Sendable (inout ResponderConfig) -> Void = { _ in },
        busyTimeout: TimeInterval = 5,
        playbooks: @escaping @Sendable () -> Result<PlaybookSet, any Error> = {
            .success(PlaybookSet(targets: [:], playbooks: [], files: []))
        },
        sns: (@Sendable (SQLiteJournal, ResponderConfig) throws -> SNSHook?)? = nil,
        clock: any WallClock = SystemWallClock(),
        runs withRuns: Bool = false,
        executor makeExecutor: (@Sendable (SQLiteJournal, PlaybookRegistry, ResponderConfig) throws -> any StepExecutor)? = nil,
        notifications withNotifications: Bool = false,
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        let temporary = try TemporaryFolder("responder")
        let folder = temporary.path
        defer { temporary.remove() }
        var config = ResponderConfig()
        config.listenHost = "127.0.0.1"
        config.listenPort = 0
        config.stateDirectory = folder
        config.alertmanager.bearerToken = Secret("test-bearer-token")
        // The recorder carries nothing out; tests that check dry-run marks turn it on.
        config.executors.dryRun = false
        configure(&config)
        let journal = try SQLiteJournal(path: folder + "/responder.sqlite", busyTimeout: busyTimeout)
        let now: @Sendable () -> Date = { clock.now.date }
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let certificate = try SelfSignedCertificate.loadOrCreate(in: folder)
        let registry = PlaybookRegistry(logger: logger, load: playbooks)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var parts = ServeAssembly.Parts(
            config: config, journal: journal,
            runStore: withRuns ? try await SQLiteRunTransactions(journal: journal, keepEnded: ServeAssembly.settings(config).keepEnded,
                                                                  now: now()) : nil,
            tls: try TLSConfigurationFactory.server(certificatePath: certificate.certificatePath, keyPath: certificate.keyPath),
            alertmanagerAuth: WebhookAuthenticator(
                bearerToken: config.alertmanager.bearerToken, basicUsername: config.alertmanager.basicUsername,
                basicPassword: config.alertmanager.basicPassword),
            adminToken: Secret(adminToken), playbooks: registry,
            executor: try makeExecutor?(journal, registry, config) ?? RecordingExecutor(journal: journal, now: now),
            linkKeys: [Self.linkKey], sns: try sns?(journal, config), httpClient: HTTPClient.shared, logger: logger)
        parts.backoff = .init(initial: .milliseconds(50), maximum: .milliseconds(400))
        parts.clock = clock
        parts.onListening = { continuation.yield($0) }
        let assembly = try ServeAssembly.make(parts)
        let group = ServiceGroup(configuration: .init(services: assembly.services, logger: logger))
        let serverTask = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        var clientTLS = TLSConfiguration.makeClientConfiguration()
        clientTLS.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate.certificatePath))
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(tlsConfiguration: clientTLS, redirectConfiguration: .disallow)
        )
        let server = TestServer(
            port: port, folder: folder, journal: journal, client: client, certificatePath: certificate.certificatePath,
            playbooks: registry, runs: assembly.runs, notifications: withNotifications ? assembly.notifications : nil
        )
        do {
            let result = try await body(server)
            try await client.shutdown()
            await group.triggerGracefulShutdown()
            try await serverTask.value
            return result
        } catch {
            try? await client.shutdown()
            await group.triggerGracefulShutdown()
            _ = try? await serverTask.value
            throw error
        }
    }

    /// Sends a request and returns the status and the body as text.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        headers: [(String, String)] = []
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), String(buffer: buffer), response.headers)
    }

    /// POSTs an Alertmanager body with the server's bearer token.
    func postAlertmanager(_ body: [UInt8], token: String? = nil) async throws -> (status: Int, body: String) {
        let result = try await send(
            .POST, "/hooks/alertmanager", body: body,
            headers: [("Authorization", "Bearer \(token ?? self.token)"), ("Content-Type", "application/json")]
        )
        return (result.status, result.body)
    }
}
