import Foundation
import ResponderCore

/// The JSON bodies of `/v2/enqueue` and `/v2/change/enqueue`, with the routing key added at the last moment.
package enum PagerDutyWire {
    /// PagerDuty's limit on `summary`.
    package static let summaryLimit = 1024

    /// The body of `/v2/enqueue`.
    package struct Event: Encodable {
        /// `routing_key`.
        package var routingKey: String
        /// `event_action`.
        package var eventAction: String
        /// `dedup_key`.
        package var dedupKey: String
        /// `payload` (trigger only).
        package var payload: Payload?
        /// `links` (trigger only).
        package var links: [PagerDutyLink]?

        private enum CodingKeys: String, CodingKey {
            case payload, links
            case routingKey = "routing_key"
            case eventAction = "event_action"
            case dedupKey = "dedup_key"
        }

        /// The body of `event` sent with `routingKey`.
        package init(_ event: PagerDutyEvent, routingKey: String) {
            self.routingKey = routingKey
            eventAction = event.action.rawValue
            dedupKey = event.dedupKey
            // Payload and links belong to a trigger; acknowledge and resolve carry only the key.
            payload = event.action == .trigger ? event.payload.map(Payload.init) : nil
            links = event.action == .trigger && !event.links.isEmpty ? event.links : nil
        }
    }

    /// The `payload` of a trigger.
    package struct Payload: Encodable {
        /// `summary` (at most 1024 characters).
        package var summary: String
        /// `source`.
        package var source: String
        /// `severity`.
        package var severity: String
        /// `timestamp` (RFC 3339).
        package var timestamp: String?
        /// `component`.
        package var component: String?
        /// `group`.
        package var group: String?
        /// `class`.
        package var eventClass: String?
        /// `custom_details`.
        package var customDetails: [String: String]?

        private enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp, component, group
            case eventClass = "class"
            case customDetails = "custom_details"
        }

        /// The wire form of `payload`.
        package init(_ payload: PagerDutyEvent.Payload) {
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
    package struct Change: Encodable {
        /// Its `payload`.
        package struct Payload: Encodable {
            /// `summary` (at most 1024 characters).
            package var summary: String
            /// `timestamp` (RFC 3339).
            package var timestamp: String
            /// `source`.
            package var source: String?
            /// `custom_details`.
            package var customDetails: [String: String]?

            private enum CodingKeys: String, CodingKey {
                case summary, timestamp, source
                case customDetails = "custom_details"
            }
        }

        /// `routing_key`.
        package var routingKey: String
        /// `payload`.
        package var payload: Payload
        /// `links`.
        package var links: [PagerDutyLink]?

        private enum CodingKeys: String, CodingKey {
            case payload, links
            case routingKey = "routing_key"
        }

        /// The body of `change` sent with `routingKey`.
        package init(_ change: PagerDutyChangeEvent, routingKey: String) {
            self.routingKey = routingKey
            payload = Payload(summary: PagerDutyWire.cut(change.summary), timestamp: RFC3339.format(change.timestamp),
                              source: change.source,
                              customDetails: change.customDetails.isEmpty ? nil : change.customDetails)
            links = change.links.isEmpty ? nil : change.links
        }
    }

    /// What PagerDuty answers: `{"status":"success","message":"Event processed","dedup_key":...}` or
    /// `{"status":"invalid event","message":"Event object is invalid","errors":[...]}`.
    package struct Answer: Decodable {
        /// `success` or `invalid event`.
        package var status: String?
        /// What happened.
        package var message: String?
        /// The alert's key.
        package var dedupKey: String?
        /// Why the event was refused.
        package var errors: [String]?

        private enum CodingKeys: String, CodingKey {
            case status, message, errors
            case dedupKey = "dedup_key"
        }

        /// Decodes leniently: every field is optional advice.
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try? container.decodeIfPresent(String.self, forKey: .status)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
            dedupKey = try? container.decodeIfPresent(String.self, forKey: .dedupKey)
            errors = try? container.decodeIfPresent([String].self, forKey: .errors)
        }
    }

    /// `text` within PagerDuty's summary limit.
    package static func cut(_ text: String) -> String {
        text.count <= summaryLimit ? text : String(text.prefix(summaryLimit - 1)) + "…"
    }
}
