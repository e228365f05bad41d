import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ResponderCore
import ResponderNotify
import ResponderStore

/// Builds the Hummingbird application: routes, middleware, TLS and connection limits.
public enum ResponderHTTPServer {
    /// The router with every route of the server.
    public static func makeRouter(_ deps: ServerDependencies) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: deps.metrics))
        let health = HealthRoutes(journal: deps.journal, playbooks: deps.playbooks, metrics: deps.metrics, disk: deps.disk,
                                  now: deps.now)
        router.get("/healthz") { _, _ in health.healthz() }
        router.get("/readyz") { _, _ in await health.readyz() }
        router.get("/metrics") { _, _ in health.metricsText() }
        let planner = IngestPlanner(registry: deps.playbooks, runs: deps.runs, now: deps.now, traces: deps.traces)
        let alertmanager = AlertmanagerHook(
            authenticator: deps.alertmanagerAuth,
            journal: deps.journal,
            metrics: deps.metrics,
            planner: planner,
            maxBodyBytes: deps.config.alertmanager.maxBodyBytes,
            now: deps.now
        )
        router.post("/hooks/alertmanager") { request, context in
            await alertmanager.handle(request, context: context)
        }
        if let sns = deps.sns {
            let metrics = deps.metrics
            router.post("/hooks/sns") { request, context in
                await DeliverySpan.run(request, route: "/hooks/sns", source: "sns") { _ in
                    await sns.handle(request, context: context, metrics: metrics, planner: planner)
                }
            }
        }
        let admin = AdminRoutes(token: deps.adminToken, playbooks: deps.playbooks)
        router.post("/-/reload") { request, _ in await admin.reload(request) }
        if let runs = deps.runs {
            RunsRoutes(token: deps.adminToken, coordinator: runs, outbox: deps.journal as? any NotificationOutbox, now: deps.now)
                .register(on: router)
            let events = deps.journal as? any EventStore
            StatusRoutes(adminToken: deps.adminToken, coordinator: runs, journal: deps.journal, signer: deps.actions?.signer,
                         events: events, now: deps.now).register(on: router)
            RunPageRoutes(adminToken: deps.adminToken, coordinator: runs, outbox: deps.journal as? any NotificationOutbox,
                          ledger: deps.journal as? any DryRunLedger, now: deps.now).register(on: router)
            PauseRoutes(token: deps.adminToken, runs: runs, playbooks: deps.playbooks, now: deps.now).register(on: router)
            if let events {
                EventsRoutes(token: deps.adminToken, events: events, runs: runs, playbooks: deps.playbooks, now: deps.now)
                    .register(on: router)
            }
            if let settings = deps.actions {
                let logger = Logger(label: "responder.actions")
                let actions = ActionRoutes(signer: settings.signer, coordinator: runs, ledger: settings.ledger, logger: logger,
                                           now: deps.now)
                actions.register(on: router)
                if let verifier = settings.slackVerifier {
                    SlackActionsRoute(verifier: verifier, replays: SlackReplayGuard(), actions: actions, logger: logger,
                                      now: deps.now).register(on: router)
                }
            }
        }
        return router
    }

    /// The HTTPS application listening on the configured address.
    public static func makeApplication(
        _ deps: ServerDependencies,
        tls: TLSConfiguration,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let idle = TimeAmount.milliseconds(Int64(deps.config.idleTimeoutSeconds * 1000))
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionCloseHandler()],
            idleTimeout: idle,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 16 << 10, maxHeaderListSize: 64 << 10, maxHeaderFieldCount: 100)
        )
        return Application(
            router: makeRouter(deps),
            server: try .tls(.http1(configuration: http1), tlsConfiguration: tls),
            configuration: .init(
                address: .hostname(deps.config.listenHost, port: deps.config.listenPort),
                serverName: "responder"
            ),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
