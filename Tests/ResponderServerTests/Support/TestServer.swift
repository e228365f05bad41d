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
        configure(&config)
        let journal = try SQLiteJournal(path: folder + "/responder.sqlite", busyTimeout: busyTimeout)
        let now: @Sendable () -> Date = { clock.now.date }
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let certificate = try SelfSignedCertificate.loadOrCreate(in: folder)
        let tls = try TLSConfigurationFactory.server(certificatePath: certificate.certificatePath, keyPath: certificate.keyPath)
        let registry = PlaybookRegistry(logger: logger, load: playbooks)
        let notifications = withNotifications
            ? try NotificationAssembly.make(config: config, keys: [Self.linkKey], port: 0, journal: journal,
                                            httpClient: HTTPClient.shared,
                                            backoff: .init(initial: .milliseconds(50), maximum: .milliseconds(400)),
                                            logger: logger, clock: clock)
            : nil
        let service = notifications?.service
        let executor = try makeExecutor?(journal, registry, config) ?? RecordingExecutor(journal: journal, now: now)
        let coordinator = withRuns
            ? RunCoordinator(store: try await SQLiteRunTransactions(journal: journal, keepEnded: .seconds(86_400), now: now()),
                             executor: executor, playbooks: registry, logger: logger,
                             notifier: notifications?.notifier ?? RunNotifier(channels: []),
                             notificationsQueued: { service?.wake() }, clock: clock)
            : nil
        let deps = ServerDependencies(
            config: config,
            journal: journal,
            metrics: ResponderMetrics(),
            alertmanagerAuth: WebhookAuthenticator(
                bearerToken: config.alertmanager.bearerToken,
                basicUsername: config.alertmanager.basicUsername,
                basicPassword: config.alertmanager.basicPassword
            ),
            sns: try sns?(journal, config),
            playbooks: registry,
            adminToken: Secret(adminToken),
            runs: coordinator,
            actions: notifications?.actions,
            now: now
        )
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try ResponderHTTPServer.makeApplication(deps, tls: tls, logger: logger) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
        }
        // The order of `serve`: the HTTPS server stops first, then the run timers, then the notifications.
        let services: [any Service] = (notifications.map { [$0.service] } ?? [])
            + (coordinator.map { [RunTimerService(coordinator: $0, executor: executor)] } ?? []) + [app]
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
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
            playbooks: deps.playbooks, runs: coordinator, notifications: notifications
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
