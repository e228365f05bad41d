import Foundation
import ResponderCore
import ResponderRuntime
import ResponderTracing

/// What the HTTP layer needs, injected so tests can run it on a real socket with a temp store and a fixed clock.
public struct ServerDependencies: Sendable {
    /// Effective configuration.
    public var config: ResponderConfig
    /// The durable journal.
    public var journal: any AlertJournal
    /// Metrics registry.
    public var metrics: ResponderMetrics
    /// Credentials expected on `POST /hooks/alertmanager`.
    public var alertmanagerAuth: WebhookAuthenticator
    /// SNS delivery handling; nil disables `POST /hooks/sns` (answers 404).
    public var sns: SNSHook?
    /// The playbook set alerts are planned with.
    public var playbooks: PlaybookRegistry
    /// Token of the admin API (`POST /-/reload`, `/api/runs`).
    public var adminToken: Secret
    /// The run engine's driver; nil serves ingest without runs (the runs API answers 404).
    public var runs: (any RunControl)?
    /// Signed action links and Slack buttons; nil serves neither (needs `runs`).
    public var actions: ActionSettings?
    /// Wall clock, injected.
    public var now: @Sendable () -> Date
    /// The `disk` check of `/readyz`; nil leaves it out.
    public var disk: DiskReadiness?
    /// Where deliveries leave their trace context for the run engine (the coordinator's memory).
    public var traces: TraceMemory

    /// Creates the dependency set.
    public init(
        config: ResponderConfig,
        journal: any AlertJournal,
        metrics: ResponderMetrics,
        alertmanagerAuth: WebhookAuthenticator,
        sns: SNSHook?,
        playbooks: PlaybookRegistry,
        adminToken: Secret,
        runs: (any RunControl)? = nil,
        actions: ActionSettings? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        disk: DiskReadiness? = nil,
        traces: TraceMemory = TraceMemory()
    ) {
        self.traces = traces
        self.config = config
        self.journal = journal
        self.metrics = metrics
        self.alertmanagerAuth = alertmanagerAuth
        self.sns = sns
        self.playbooks = playbooks
        self.adminToken = adminToken
        self.runs = runs
        self.actions = actions
        self.now = now
        self.disk = disk
    }
}
