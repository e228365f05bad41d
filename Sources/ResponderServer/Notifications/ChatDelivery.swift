import AsyncHTTPClient
import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import ResponderNotify
import ResponderNotifyHTTP
import ResponderStore

/// Delivers queued notifications to Slack (bot token: one message per run, updated, with thread replies; webhook:
/// one message per event) and PagerDuty (one dedup key per run: `responder-<run id>`).
struct ChatDelivery: NotificationDelivery {
    let config: ResponderConfig
    let journal: any ResponderStorage
    let links: ActionLinks
    let slack: SlackClient?
    let webhook: SlackWebhookClient?
    let pagerDuty: PagerDutyClient?
    let logger: Logger
    let now: @Sendable () -> Date

    init(config: ResponderConfig, journal: any ResponderStorage, links: ActionLinks, httpClient: HTTPClient, logger: Logger,
         now: @escaping @Sendable () -> Date) {
        self.config = config
        self.journal = journal
        self.links = links
        self.logger = logger
        self.now = now
        slack = config.slack.botToken.map {
            SlackClient(token: $0.value, httpClient: httpClient, baseURL: config.slack.apiURL,
                        timeout: .milliseconds(Int64(config.slack.timeoutSeconds * 1000)), logger: logger)
        }
        webhook = config.slack.botToken == nil
            ? config.slack.webhookURL.map { SlackWebhookClient(url: $0.value, httpClient: httpClient, logger: logger) } : nil
        pagerDuty = config.pagerDuty.routingKey.map {
            PagerDutyClient(routingKey: $0.value, httpClient: httpClient, baseURL: config.pagerDuty.eventsURL, logger: logger)
        }
    }

    /// The PagerDuty dedup key of a run: stable across retries and restarts.
    static func dedupKey(_ runID: String) -> String { "responder-\(runID)" }

    func deliver(_ item: OutboxItem) async throws(NotifyError) {
        let note = item.notification
        if note.kind == .eventMessage { return try await deliverEventMessage(note) }
        guard let run = try await load(note.runID) else {
            throw .permanent("run \(note.runID) is not in the store")
        }
        switch note.channel {
        case .slack: try await deliverSlack(note, run: run, retry: item.attempts > 0)
        case .pagerduty: try await deliverPagerDuty(note, run: run)
        }
    }

    private func load(_ runID: String) async throws(NotifyError) -> Run? {
        do { return try await journal.run(id: runID) } catch {
            throw .retryable("the run store is unavailable: \(error)", retryAfter: nil)
        }
    }

    /// `retry`: an earlier attempt failed, perhaps after Slack had posted (a timeout, a lost answer, the location not
    /// stored), so a run's first message is looked for before it is posted again.
    private func deliverSlack(_ note: OutboundNotification, run: Run, retry: Bool) async throws(NotifyError) {
        let at = now()
        if let slack, let channel = config.slack.channel {
            let posted = try await location(note.runID)
            switch note.kind {
            case .runMessage:
                // With interactivity (a signing secret) a button carrying a URL would both open the link and send the
                // interaction, which spends the token first; so buttons carry only the token then.
                let message = SlackRunMessage.render(run: run, links: links.links(for: run, now: at), now: at,
                                                     buttonURLs: config.slack.signingSecret == nil)
                if let posted {
                    try await slack.update(posted, with: message)
                } else if retry, let earlier = try await earlierPost(slack, channel: channel, note: note) {
                    try await remember(earlier, runID: note.runID)
                    try await slack.update(earlier, with: message)
                } else {
                    let ref = try await slack.postMessage(channel: channel, message: message, metadata: .run(note.runID))
                    try await remember(ref, runID: note.runID)
                }
            case .threadReply:
                let text = SlackRunMessage.eventText(run: run, event: RunEvent(at: note.createdAt, message: note.text),
                                                     inThread: posted != nil)
                _ = try await slack.postMessage(channel: posted?.channel ?? channel, text: text, threadTS: posted?.ts)
            case .runReport:
                let text = SlackRunReport.text(ScalingReport(run: run, now: at))
                _ = try await slack.postMessage(channel: posted?.channel ?? channel, text: text, threadTS: posted?.ts)
            case .trigger, .acknowledge, .resolve, .change, .eventMessage:
                throw .permanent("\(note.kind.rawValue) is not a Slack run notification")
            }
        } else if let webhook {
            switch note.kind {
            case .runMessage:
                // A webhook cannot edit what it posted: only the first message of a run carries its state and links.
                guard try await location(note.runID) == nil else { return }
                try await webhook.post(SlackRunMessage.renderForWebhook(run: run, links: links.links(for: run, now: at), now: at))
                try await remember(SlackMessageRef(channel: "webhook", ts: "posted"), runID: note.runID)
            case .threadReply:
                try await webhook.post(text: SlackRunMessage.eventText(
                    run: run, event: RunEvent(at: note.createdAt, message: note.text), inThread: false))
            case .runReport:
                try await webhook.post(text: SlackRunReport.text(ScalingReport(run: run, now: at)))
            case .trigger, .acknowledge, .resolve, .change, .eventMessage:
                throw .permanent("\(note.kind.rawValue) is not a Slack run notification")
            }
        } else {
            throw .permanent("Slack is not configured (slack.bot_token with slack.channel, or slack.webhook_url)")
        }
    }

    private func deliverPagerDuty(_ note: OutboundNotification, run: Run) async throws(NotifyError) {
        guard let pagerDuty else { throw .permanent("PagerDuty is not configured (pagerduty.routing_key)") }
        let key = Self.dedupKey(run.id)
        switch note.kind {
        case .trigger: _ = try await pagerDuty.send(.trigger(run: run, dedupKey: key, now: note.createdAt))
        case .acknowledge: _ = try await pagerDuty.send(.acknowledge(dedupKey: key))
        case .resolve: _ = try await pagerDuty.send(.resolve(dedupKey: key))
        case .change: try await pagerDuty.sendChange(.step(run: run, text: note.text, now: note.createdAt))
        case .runMessage, .threadReply, .eventMessage, .runReport: throw .permanent("\(note.kind.rawValue) is not a PagerDuty notification")
        }
    }

    /// A scheduled event's message: a Slack message of its own (events have no thread until their run starts).
    private func deliverEventMessage(_ note: OutboundNotification) async throws(NotifyError) {
        guard note.channel == .slack else { throw .permanent("event messages go to Slack only") }
        if let slack, let channel = config.slack.channel {
            _ = try await slack.postMessage(channel: channel, text: note.text, threadTS: nil)
        } else if let webhook {
            try await webhook.post(text: note.text)
        } else {
            throw .permanent("Slack is not configured (slack.bot_token with slack.channel, or slack.webhook_url)")
        }
    }

    /// The run's message an earlier attempt posted, found by its metadata; nil when there is none or when Slack will
    /// not say (no `channels:history` scope, a channel name instead of an id): then it is posted again, and a
    /// duplicate is possible, which beats no message.
    private func earlierPost(_ slack: SlackClient, channel: String,
                             note: OutboundNotification) async throws(NotifyError) -> SlackMessageRef? {
        do {
            // Five minutes before it was queued covers a clock that differs from Slack's.
            return try await slack.findMessage(channel: channel, metadata: .run(note.runID),
                                               since: note.createdAt.addingTimeInterval(-300))
        } catch {
            if case .retryable = error { throw error }
            logger.warning("could not check whether an earlier attempt posted the run's Slack message; posting it again",
                           metadata: ["run": "\(note.runID)", "error": "\(error)"])
            return nil
        }
    }

    private func location(_ runID: String) async throws(NotifyError) -> SlackMessageRef? {
        do { return try await journal.slackMessage(runID: runID).map { SlackMessageRef(channel: $0.channel, ts: $0.ts) } } catch {
            throw .retryable("the store is unavailable: \(error)", retryAfter: nil)
        }
    }

    private func remember(_ ref: SlackMessageRef, runID: String) async throws(NotifyError) {
        do { try await journal.setSlackMessage(runID: runID, channel: ref.channel, ts: ref.ts) } catch {
            // Posted but not remembered: a retry would post a second message, which is better than none.
            throw .retryable("the Slack message was posted but its location not stored: \(error)", retryAfter: nil)
        }
    }
}
