import AsyncHTTPClient
import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import ResponderNotify
import ResponderStore
import ResponderTracing

/// Builds what tells people about runs and lets them act from chat: the notifier the run coordinator queues with, the
/// outbox service that delivers, and the action-link settings of the HTTP routes.
public struct NotificationAssembly: Sendable {
    /// Decides what is queued when a run changes.
    public let notifier: RunNotifier
    /// Delivers the outbox; a service of the group.
    public let service: NotificationService
    /// Links and Slack buttons for the HTTP routes.
    public let actions: ActionSettings
    /// One line for the start-up summary.
    public let summary: String

    /// Assembles from `config` with the link signing `keys` and the server's `port` (for the default link base URL);
    /// `backlogObserved` is told the outbox's backlog every few seconds (for `/metrics`).
    public static func make(
        config: ResponderConfig, keys: [ActionLinkKey], port: Int, journal: any ResponderStorage, httpClient: HTTPClient,
        backoff: NotificationService.Backoff = .init(), logger: Logger, clock: any WallClock = SystemWallClock(),
        backlogObserved: @escaping @Sendable (OutboxBacklog, Date) -> Void = { _, _ in }, traces: TraceMemory = TraceMemory()
    ) throws(ConfigError) -> NotificationAssembly {
        let now: @Sendable () -> Date = { clock.now.date }
        let signer: ActionLinkSigner
        do { signer = try ActionLinkSigner(keys: keys) } catch { throw ConfigError("link signing keys: \(error.description)") }
        let links = ActionLinks(signer: signer, baseURL: NotificationSetup.baseURL(config: config, port: port),
                                ttl: .milliseconds(Int64(config.links.ttlSeconds * 1000)))
        let delivery = ChatDelivery(config: config, journal: journal, links: links, httpClient: httpClient, logger: logger, now: now)
        let service = NotificationService(outbox: journal, delivery: delivery, backoff: backoff, logger: logger, clock: clock,
                                          backlogObserved: backlogObserved, traces: traces)
        let channels = NotificationSetup.channels(config: config)
        let verifier = config.slack.signingSecret.map { SlackRequestVerifier(signingSecret: Array($0.value.utf8)) }
        var parts: [String] = []
        if config.slack.botToken != nil { parts.append("Slack bot in \(config.slack.channel ?? "?")") }
        else if config.slack.webhookURL != nil { parts.append("Slack incoming webhook") }
        if channels.contains(.pagerduty) { parts.append("PagerDuty") }
        return NotificationAssembly(
            notifier: RunNotifier(channels: channels), service: service,
            actions: ActionSettings(signer: signer, ledger: journal, slackVerifier: verifier),
            summary: "Notifications: " + (parts.isEmpty ? "log only (configure slack.* or pagerduty.*)" : parts.joined(separator: ", "))
                + "; action links at \(links.baseURL)/actions/…"
        )
    }
}
