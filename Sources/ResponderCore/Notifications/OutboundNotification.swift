import Foundation

/// A message Responder owes people about a run, kept in the durable outbox until it is delivered.
public struct OutboundNotification: Sendable, Equatable, Codable {
    /// Where it goes.
    public enum Channel: String, Sendable, Equatable, Codable, CaseIterable {
        /// Slack (bot token or incoming webhook).
        case slack
        /// PagerDuty Events API v2.
        case pagerduty
    }

    /// What it is.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// Slack: post the run's message (first time) or update it; rendered from the run as it is at delivery.
        case runMessage = "run_message"
        /// Slack: a reply in the run's thread (with only a webhook: a message of its own) saying `text`.
        case threadReply = "thread_reply"
        /// PagerDuty: open the incident of the run.
        case trigger
        /// PagerDuty: acknowledge it.
        case acknowledge
        /// PagerDuty: resolve it.
        case resolve
        /// PagerDuty: a change event (a step was carried out) saying `text`.
        case change
        /// Slack: a message of its own about a scheduled event (its `runID` is the event's id) saying `text`.
        case eventMessage = "event_message"
        /// Slack: the run's ``ScalingReport``, as a reply in its thread, once the run ended; rendered from the run as
        /// it is at delivery.
        case runReport = "run_report"
    }

    /// The run it is about (for ``Kind/eventMessage``, the event's id: notifications about one event keep their order).
    public var runID: String
    /// Where it goes.
    public var channel: Channel
    /// What it is.
    public var kind: Kind
    /// The text of a reply or change event (empty for the others).
    public var text: String
    /// When it was queued.
    public var createdAt: Date

    /// Creates a notification.
    public init(runID: String, channel: Channel, kind: Kind, text: String = "", createdAt: Date) {
        self.runID = runID
        self.channel = channel
        self.kind = kind
        self.text = text
        self.createdAt = createdAt
    }
}
