import Foundation
import ResponderCore

/// The JSON bodies of `/v2/enqueue` and `/v2/change/enqueue`, with the routing key added at the last moment.
enum PagerDutyWire {
    /// PagerDuty's limit on `summary`.
    static let summaryLimit = 1024

    /// The body of `/v2/enqueue`.
    struct Event: Encodable {
        /// `routing_key`.
        var routingKey: String
        /// `event_action`.
        var eventAction: String
        /// `dedup_key`.
        var dedupKey: String
        /// `payload` (trigger only).
        var payload: Payload?
        /// `links` (trigger only).
        var links: [PagerDutyLink]?

        private enum CodingKeys: String, CodingKey {
            case payload, links
            case routingKey = "routing_key"
            case eventAction = "event_action"
            case dedupKey = "dedup_key"
        }

        /// The body of `event` sent with `routingKey`.
        init(_ event: PagerDutyEvent, routingKey: String) {
            self.routingKey = routingKey
            eventAction = event.action.rawValue
            dedupKey = event.dedupKey
            // Payload and links belong to a trigger; acknowledge and resolve carry only the key.
            payload = event.action == .trigger ? event.payload.map(Payload.init) : nil
            links = event.action == .trigger && !event.links.isEmpty ? event.links : nil
        }
    }

    /// The `payload` of a trigger.
    struct Payload: Encodable {
        /// `summary` (at most 1024 characters).
        var summary: String
        /// `source`.
        var source: String
        /// `severity`.
        var severity: String
        /// `timestamp` (RFC 3339).
        var timestamp: String?
        /// `component`.
        var component: String?
        /// `group`.
        var group: String?
        /// `class`.
        var eventClass: String?
        /// `custom_details`.
        var customDetails: [String: String]?

        private enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp, component, group
            case eventClass = "class"
            case customDetails = "custom_details"
        }

        /// The wire form of `payload`.
        init(_ payload: PagerDutyEvent.Payload) {
            summary = PagerDutyWire.cut(payload.summary)
            source = payload.source
            severity = payload.severity.rawValue
            timestamp = payload.timestamp.map(RFC3339.format)
            component = payload.component
            group = payload.group
            eventClass = payload.eventClass
            customDetails = payload.customDetails.isEmpty ? nil : payload.customDetails
        }
    }

    /// The body of `/v2/change/enqueue`.
    struct Change: Encodable {
        /// Its `payload`.
        struct Payload: Encodable {
            /// `summary` (at most 1024 characters).
            var summary: String
            /// `timestamp` (RFC 3339).
            var timestamp: String
            /// `source`.
            var source: String?
            /// `custom_details`.
            var customDetails: [String: String]?

            private enum CodingKeys: String, CodingKey {
                case summary, timestamp, source
                case customDetails = "custom_details"
            }
        }

        /// `routing_key`.
        var routingKey: String
        /// `payload`.
        var payload: Payload
        /// `links`.
        var links: [PagerDutyLink]?

        private enum CodingKeys: String, CodingKey {
            case payload, links
            case routingKey = "routing_key"
        }

        /// The body of `change` sent with `routingKey`.
        init(_ change: PagerDutyChangeEvent, routingKey: String) {
            self.routingKey = routingKey
            payload = Payload(summary: PagerDutyWire.cut(change.summary), timestamp: RFC3339.format(change.timestamp),
                              source: change.source,
                              customDetails: change.customDetails.isEmpty ? nil : change.customDetails)
            links = change.links.isEmpty ? nil : change.links
        }
    }

    /// What PagerDuty answers: `{"status":"success","message":"Event processed","dedup_key":...}` or
    /// `{"status":"invalid event","message":"Event object is invalid","errors":[...]}`.
    struct Answer: Decodable {
        /// `success` or `invalid event`.
        var status: String?
        /// What happened.
        var message: String?
        /// The alert's key.
        var dedupKey: String?
        /// Why the event was refused.
        var errors: [String]?

        private enum CodingKeys: String, CodingKey {
            case status, message, errors
            case dedupKey = "dedup_key"
        }

        /// Decodes leniently: every field is optional advice.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try? container.decodeIfPresent(String.self, forKey: .status)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
            dedupKey = try? container.decodeIfPresent(String.self, forKey: .dedupKey)
            errors = try? container.decodeIfPresent([String].self, forKey: .errors)
        }
    }

    /// `text` within PagerDuty's summary limit.
    static func cut(_ text: String) -> String {
        text.count <= summaryLimit ? text : String(text.prefix(summaryLimit - 1)) + "…"
    }
}
