import Foundation

/// An Events API v2 alert event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): trigger,
/// acknowledge or resolve the alert of one `dedup_key`. The routing key is the client's, never part of the event.
public struct PagerDutyEvent: Sendable, Equatable {
    /// `event_action`.
    public enum Action: String, Sendable, Equatable, Codable, CaseIterable {
        /// Open the alert (or add to the open one with the same dedup key).
        case trigger
        /// Someone is on it: no more notifications.
        case acknowledge
        /// Close it.
        case resolve
    }

    /// `payload.severity`.
    public enum Severity: String, Sendable, Equatable, Codable, CaseIterable {
        /// Wakes people up.
        case critical
        /// An error.
        case error
        /// A warning.
        case warning
        /// For information.
        case info
    }

    /// The `payload` of a trigger.
    public struct Payload: Sendable, Equatable {
        /// Title of the alert (at most 1024 characters; longer text is cut when sent).
        public var summary: String
        /// Where it happened.
        public var source: String
        /// How bad it is.
        public var severity: Severity
        /// When it was detected.
        public var timestamp: Date?
        /// The component (`component`).
        public var component: String?
        /// The logical group (`group`).
        public var group: String?
        /// The class of event (`class`).
        public var eventClass: String?
        /// Free-form details (`custom_details`).
        public var customDetails: [String: String]

        /// Creates a payload.
        public init(summary: String, source: String, severity: Severity, timestamp: Date? = nil,
                    component: String? = nil, group: String? = nil, eventClass: String? = nil,
                    customDetails: [String: String] = [:]) {
            self.summary = summary
            self.source = source
            self.severity = severity
            self.timestamp = timestamp
            self.component = component
            self.group = group
            self.eventClass = eventClass
            self.customDetails = customDetails
        }
    }

    /// `event_action`.
    public var action: Action
    /// `dedup_key`: the same for every event of one incident (at most 255 characters).
    public var dedupKey: String
    /// The payload; sent only with a trigger.
    public var payload: Payload?
    /// Links shown on the alert (trigger only).
    public var links: [PagerDutyLink]

    /// Creates an event.
    public init(action: Action, dedupKey: String, payload: Payload? = nil, links: [PagerDutyLink] = []) {
        self.action = action
        self.dedupKey = dedupKey
        self.payload = payload
        self.links = links
    }

    /// A trigger of `dedupKey` with `payload`.
    public static func trigger(dedupKey: String, payload: Payload, links: [PagerDutyLink] = []) -> PagerDutyEvent {
        PagerDutyEvent(action: .trigger, dedupKey: dedupKey, payload: payload, links: links)
    }

    /// Acknowledges the alert of `dedupKey`.
    public static func acknowledge(dedupKey: String) -> PagerDutyEvent {
        PagerDutyEvent(action: .acknowledge, dedupKey: dedupKey)
    }

    /// Resolves the alert of `dedupKey`.
    public static func resolve(dedupKey: String) -> PagerDutyEvent {
        PagerDutyEvent(action: .resolve, dedupKey: dedupKey)
    }
}
