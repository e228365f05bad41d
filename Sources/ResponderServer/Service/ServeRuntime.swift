import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import ResponderCore
import ResponderRuntime
import ResponderPlaybooks
import ResponderSNS
import ResponderSNSHTTP
import ResponderStore
import ServiceLifecycle

/// Assembles `responder serve` from a configuration: state folder, journal, TLS, credentials, HTTP server, and runs it
/// as a swift-service-lifecycle group that shuts down gracefully on SIGTERM and SIGINT.
public struct ServeRuntime {
    /// The effective configuration.
    public let config: ResponderConfig
    /// How long a graceful shutdown (SIGTERM, SIGINT) may take before what is left is cancelled: a request or a
    /// database call that does not finish in time (an unreachable database) must not keep the process alive.
    static let gracefulShutdownLimit: Duration = .seconds(5)
    /// When, after the signal, the process exits even if cancelled services have not ended (``ShutdownDeadline``), so
    /// SIGTERM always ends `serve` within 10 s.
    static let shutdownDeadline: Duration = .seconds(8)
    private let logger: Logger
    /// The trace exporter's service (``TracingBootstrap``), run in the group; nil when tracing is off.
    private let tracing: (any Service)?

    /// Creates a runtime for `config`, logging through `logger`; `tracing` is the trace exporter's service, if any.
    public init(config: ResponderConfig, logger: Logger, tracing: (any Service)? = nil) {
        self.config = config
        self.logger = logger
        self.tracing = tracing
    }

    /// Prepares everything, prints the startup summary with `announce`, and serves until a shutdown signal.
    public func run(announce: @escaping @Sendable (String) -> Void = { print($0) }) async throws {
        let state = try StateDirectory(path: config.stateDirectory)
        let storage = try await OpenedStorage.open(config: config, state: state, logger: logger)
        try await serve(state: state, storage: storage, announce: announce)
    }

    private func serve(state: StateDirectory, storage: OpenedStorage, announce: @escaping @Sendable (String) -> Void) async throws {
        let journal = storage.store
        let tls = try tlsConfiguration(state: state, announce: announce)
        let auth = try alertmanagerAuthenticator(state: state, announce: announce)
        let adminToken = try tokenFor(config.adminToken, file: "admin-token", what: "Admin API token", state: state, announce: announce)
        let playbooksPath = config.playbooksDirectory
        // A target on a cluster the configuration does not have is refused at start-up and at every reload.
        let clusters = config.kubernetes.clusterNames
        let registry = PlaybookRegistry(logger: logger) {
            PlaybookLoader.load(directory: playbooksPath, clusters: clusters).mapError { $0 as any Error }
        }
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPCertificateFetcher.recommendedClientConfiguration()
        )
        let executors: ExecutorAssembly
        do {
            executors = try ExecutorAssembly.make(
                config: config, journal: journal, registry: registry, httpClient: httpClient, logger: logger
            )
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        announce(executors.summary)
        if config.prometheus.url == nil, let set = await registry.playbooks {
            // A check on Prometheus without a server would hold every gated step until max_wait: say so at start-up.
            let gated = set.playbooks.filter { playbook in
                playbook.gates.checks.contains { if case .prometheus(_, nil) = $0.source { true } else { false } }
            }.map(\.name)
            if !gated.isEmpty {
                announce("Load checks: \(gated.joined(separator: ", ")) check Prometheus, but prometheus.url is not set: "
                    + "their gated steps will wait, then hold the run (set prometheus.url)")
            }
        }
        let assembly: ServeAssembly
        do {
            var parts = ServeAssembly.Parts(
                config: config, journal: journal,
                runStore: try await storage.runs(keepEnded: ServeAssembly.settings(config).keepEnded), tls: tls,
                alertmanagerAuth: auth, adminToken: adminToken, playbooks: registry, executor: executors.executor,
                linkKeys: try NotificationSetup.keys(config: config, state: state),
                sns: try SNSHookFactory.make(config: config.sns, journal: journal, httpClient: httpClient, logger: logger),
                httpClient: httpClient, logger: logger
            )
            parts.owner = storage.replicated ? OpenedStorage.replicaID(config: config) : "local"
            parts.retention = storage.journal.map { $0 as any RetentionStore } ?? storage.shared
            if let journal = storage.journal {
                let folder = (journal.path as NSString).deletingLastPathComponent
                parts.disk = .monitored(DiskSpaceMonitor(folder: folder.isEmpty ? "." : folder, thresholds: config.disk,
                                                         logger: logger))
            } else {
                parts.disk = .postgres
            }
            let host = config.listenHost
            let location = storage.location
            parts.onListening = { announce("Responder listening on https://\(host):\($0) (\(location))") }
            assembly = try ServeAssembly.make(parts)
            announce(assembly.notifications.summary)
            if storage.replicated {
                announce("Replica \(parts.owner): runs are claimed from the shared store with \(Int(config.database.leaseSeconds)) s leases")
            }
        } catch {
            // The clients must be shut down before they are released, also when start-up fails.
            await executors.shutdown()
            try? await httpClient.shutdown()
            throw error
        }
        // The group stops its services in reverse order, each after the one before has finished: the assembly's (the
        // HTTPS server first, the notifications last), then the HTTP client they and the SNS hook use, the database
        // pool everything above needs, and last the trace exporter. The shutdown deadline comes first, so it watches
        // all of that.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ShutdownDeadline(limit: Self.shutdownDeadline, logger: logger), serviceName: "shutdown deadline"),
        ]
        // The exporter stops after everything else, so the spans of the last requests and steps are sent.
        if let tracing { services.append(.init(service: tracing, serviceName: "trace exporter")) }
        if let pool = storage.pool { services.append(.init(service: pool, serviceName: "database pool")) }
        services.append(.init(service: HTTPClientService(client: httpClient), serviceName: "http client"))
        services += assembly.services
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        configuration.maximumGracefulShutdownDuration = Self.gracefulShutdownLimit
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
        } catch {
            await executors.shutdown()
            throw error
        }
        await executors.shutdown()
    }

    private func tlsConfiguration(state: StateDirectory, announce: (String) -> Void) throws -> TLSConfiguration {
        switch (config.tlsCertificateFile, config.tlsKeyFile) {
        case (let cert?, let key?):
            return try TLSConfigurationFactory.server(certificatePath: cert, keyPath: key)
        case (nil, nil):
            let hostname = ProcessInfo.processInfo.hostName
            let generated = try SelfSignedCertificate.loadOrCreate(in: state.path, hostnames: [hostname])
            announce(
                "TLS: \(generated.generated ? "generated" : "reusing") self-signed certificate \(generated.certificatePath)\n"
                    + "TLS certificate SHA-256 fingerprint: \(generated.sha256Fingerprint)"
            )
            return try TLSConfigurationFactory.server(certificatePath: generated.certificatePath, keyPath: generated.keyPath)
        default:
            throw ConfigError("--tls-cert and --tls-key (tls.cert_file, tls.key_file) must be given together")
        }
    }

    /// The configured secret, or the one generated into (or read from) `file` in the state folder.
    private func tokenFor(_ configured: Secret?, file: String, what: String, state: StateDirectory, announce: (String) -> Void) throws -> Secret {
        if let configured { return configured }
        let (token, generated) = try state.token(named: file)
        announce("\(what): \(generated ? "generated into" : "read from") \(state.file(file))")
        return token
    }

    private func alertmanagerAuthenticator(state: StateDirectory, announce: (String) -> Void) throws -> WebhookAuthenticator {
        var bearer = config.alertmanager.bearerToken
        if bearer == nil, config.alertmanager.basicUsername == nil {
            bearer = try tokenFor(nil, file: "alertmanager-token", what: "Alertmanager bearer token", state: state, announce: announce)
        }
        return WebhookAuthenticator(
            bearerToken: bearer,
            basicUsername: config.alertmanager.basicUsername,
            basicPassword: config.alertmanager.basicPassword
        )
    }
}

/// Shuts the shared HTTP client down when the service group stops.
struct HTTPClientService: Service {
    let client: HTTPClient

    /// Waits for the group's graceful shutdown, then shuts the client down.
    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
