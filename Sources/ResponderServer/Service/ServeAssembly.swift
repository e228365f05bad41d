import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import ResponderCore
import ResponderNotify
import ResponderRuntime
import ResponderTracing
import ServiceLifecycle

/// The services of `responder serve` wired from their parts: the run coordinator and its timers, the notification
/// outbox, retention, the disk watch, playbook reloads and the HTTPS server, in the order a graceful shutdown stops them.
/// ``ServeRuntime`` builds the parts from the configuration and adds what belongs to a process (signals, the shutdown
/// deadline, the HTTP client, the database pool); the tests run this same assembly in-process with their own parts.
public struct ServeAssembly: Sendable {
    /// What the assembly is built from.
    public struct Parts: Sendable {
        /// The effective configuration.
        public var config: ResponderConfig
        /// Every durable interface of the store.
        public var journal: any ResponderStorage
        /// The run driver's store port; nil serves ingest without runs (the runs API answers 404).
        public var runStore: (any TransactionalRunStore)?
        /// TLS of the HTTPS server.
        public var tls: TLSConfiguration
        /// Credentials expected on `POST /hooks/alertmanager`.
        public var alertmanagerAuth: WebhookAuthenticator
        /// Token of the admin API.
        public var adminToken: Secret
        /// The playbook set alerts are planned with.
        public var playbooks: PlaybookRegistry
        /// What carries out steps (live, dry-run, or a test's recorder).
        public var executor: any StepExecutor
        /// Keys that sign action links (the first signs).
        public var linkKeys: [ActionLinkKey]
        /// SNS delivery handling; nil answers 404 on `POST /hooks/sns`.
        public var sns: SNSHook?
        /// The HTTP client Slack and PagerDuty are reached with.
        public var httpClient: HTTPClient
        /// How failed notifications are retried.
        public var backoff: NotificationService.Backoff = .init()
        /// The clock runs, notifications and the HTTP routes read.
        public var clock: any WallClock = SystemWallClock()
        /// The store retention deletes old records through; nil deletes nothing (the tests' servers, whose manual
        /// clocks count every sleeping service).
        public var retention: (any RetentionStore)?
        /// The disk under the store, for `/readyz`, `/metrics` and the log; a monitored one is read by a service every
        /// few seconds. Nil leaves it out (the tests' in-process servers).
        public var disk: DiskReadiness?
        /// This replica's name in leases (`local` on SQLite).
        public var owner = "local"
        /// Logs.
        public var logger: Logger
        /// Called with the bound port once the HTTPS server listens.
        public var onListening: @Sendable (Int) -> Void = { _ in }

        /// Creates the parts; the rest keep their defaults.
        public init(config: ResponderConfig, journal: any ResponderStorage, runStore: (any TransactionalRunStore)?,
                    tls: TLSConfiguration, alertmanagerAuth: WebhookAuthenticator, adminToken: Secret,
                    playbooks: PlaybookRegistry, executor: any StepExecutor, linkKeys: [ActionLinkKey], sns: SNSHook?,
                    httpClient: HTTPClient, logger: Logger) {
            self.config = config
            self.journal = journal
            self.runStore = runStore
            self.tls = tls
            self.alertmanagerAuth = alertmanagerAuth
            self.adminToken = adminToken
            self.playbooks = playbooks
            self.executor = executor
            self.linkKeys = linkKeys
            self.sns = sns
            self.httpClient = httpClient
            self.logger = logger
        }
    }

    /// The run driver; nil without a run store.
    public let runs: RunCoordinator?
    /// The notifier, outbox service and action-link settings.
    public let notifications: NotificationAssembly
    /// The services, in start order: a graceful shutdown stops them in reverse, the HTTPS server first (no new
    /// webhooks, in-flight requests answered), then playbook reloads, the disk watch, retention, the run timers and the
    /// notifications.
    public let services: [ServiceGroupConfiguration.ServiceConfiguration]

    /// The engine settings `config` gives (the run store is opened with their `keepEnded` before the assembly).
    public static func settings(_ config: ResponderConfig) -> EngineSettings {
        var settings = EngineSettings(forceDryRun: config.executors.dryRun)
        settings.limits = config.limits
        return settings
    }

    /// Wires the parts.
    public static func make(_ parts: Parts) throws -> ServeAssembly {
        let config = parts.config
        let clock = parts.clock
        let now: @Sendable () -> Date = { clock.now.date }
        let metrics = ResponderMetrics()
        // The hooks leave each delivery's trace context here; the run driver's spans continue or link to it.
        let traces = TraceMemory()
        let notifications = try NotificationAssembly.make(
            config: config, keys: parts.linkKeys, port: config.listenPort, journal: parts.journal,
            httpClient: parts.httpClient, backoff: parts.backoff, logger: parts.logger, clock: clock,
            backlogObserved: { metrics.outboxBacklog($0, now: $1) }, traces: traces
        )
        let outbox = notifications.service
        let settings = Self.settings(config)
        let runs = parts.runStore.map {
            RunCoordinator(store: $0, executor: parts.executor, playbooks: parts.playbooks, settings: settings,
                           logger: parts.logger, owner: parts.owner,
                           lease: .milliseconds(Int64(config.database.leaseSeconds * 1000)),
                           notifier: notifications.notifier, notificationsQueued: { outbox.wake() }, clock: clock,
                           events: parts.journal, pausesObserved: { metrics.pauses($0, now: $1) },
                           stepLateness: { metrics.stepLateness($0) }, runsCounted: { counts, _ in metrics.runs(counts) },
                           traces: traces)
        }
        let deps = ServerDependencies(
            config: config, journal: parts.journal, metrics: metrics, alertmanagerAuth: parts.alertmanagerAuth,
            sns: parts.sns, playbooks: parts.playbooks, adminToken: parts.adminToken, runs: runs,
            actions: runs == nil ? nil : notifications.actions, now: now, disk: parts.disk, traces: traces
        )
        let onListening = parts.onListening
        let app = try ResponderHTTPServer.makeApplication(deps, tls: parts.tls, logger: parts.logger) { channel in
            onListening(channel.localAddress?.port ?? config.listenPort)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: notifications.service, serviceName: "notifications"),
        ]
        if let runs {
            let timers = RunTimerService(coordinator: runs, executor: parts.executor) { metrics.stepDuration($0, duration: $1) }
            services.append(.init(service: timers, serviceName: "run timers"))
        }
        if let store = parts.retention {
            let retention = RetentionService(
                store: store, policy: config.retention, keepEnded: settings.keepEnded, clock: clock, logger: parts.logger,
                onPurged: { metrics.retentionDeleted($0, count: $1) }, onFootprint: { metrics.storeFootprint($0) }
            )
            services.append(.init(service: retention, serviceName: "retention"))
        }
        if case .monitored(let monitor)? = parts.disk {
            let service = DiskSpaceService(monitor: monitor, clock: clock) { metrics.diskSpace($0) }
            services.append(.init(service: service, serviceName: "disk space"))
        }
        services += [
            .init(service: PlaybookReloadService(registry: parts.playbooks), serviceName: "playbook reload"),
            .init(service: app, serviceName: "https server"),
        ]
        return ServeAssembly(runs: runs, notifications: notifications, services: services)
    }
}
