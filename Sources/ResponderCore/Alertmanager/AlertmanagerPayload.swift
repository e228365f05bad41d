import Foundation

/// The JSON body Alertmanager POSTs to a webhook receiver (payload version 4).
public struct AlertmanagerPayload: Sendable, Equatable, Decodable {
    /// Payload schema version; only `"4"` is accepted.
    public var version: String
    /// Key identifying the alert group.
    public var groupKey: String
    /// How many alerts Alertmanager left out because of `max_alerts` (0 to ``maxTruncatedAlerts``).
    public var truncatedAlerts: Int

    /// Largest `truncatedAlerts` accepted: far more alerts than any Alertmanager holds.
    public static let maxTruncatedAlerts = 1_000_000_000
    /// `firing` if at least one alert of the group fires.
    public var status: String
    /// Name of the receiver that sent this notification.
    public var receiver: String
    /// Labels the group was formed on.
    public var groupLabels: [String: String]
    /// Labels shared by every alert of the group.
    public var commonLabels: [String: String]
    /// Annotations shared by every alert of the group.
    public var commonAnnotations: [String: String]
    /// Backlink to the sending Alertmanager.
    public var externalURL: String
    /// The alerts of the group (the whole group is re-sent on every notification).
    public var alerts: [Alert]

    /// One alert of the group.
    public struct Alert: Sendable, Equatable, Decodable {
        /// `firing` or `resolved`; nil when the sender left it out (the group status then applies).
        public var status: String?
        /// Identifying labels.
        public var labels: [String: String]
        /// Descriptive annotations.
        public var annotations: [String: String]
        /// Start of the alert, RFC 3339.
        public var startsAt: String
        /// End of the alert, RFC 3339; the zero time `0001-01-01T00:00:00Z` when not ended.
        public var endsAt: String
        /// Link to the expression that produced the alert.
        public var generatorURL: String
        /// Alertmanager's stable identity for the label set; nil or empty when the sender left it out.
        public var fingerprint: String?

        private enum CodingKeys: String, CodingKey {
            case status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint
        }

        /// Decodes an alert; `status`, `annotations`, `endsAt`, `generatorURL` and `fingerprint` may be absent.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            labels = try container.decode([String: String].self, forKey: .labels)
            annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
            startsAt = try container.decode(String.self, forKey: .startsAt)
            endsAt = try container.decodeIfPresent(String.self, forKey: .endsAt) ?? ""
            generatorURL = try container.decodeIfPresent(String.self, forKey: .generatorURL) ?? ""
            fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case version, groupKey, truncatedAlerts, status, receiver, groupLabels, commonLabels, commonAnnotations
        case externalURL, alerts
    }

    /// Decodes a payload; optional group fields default to empty, `version` and `alerts` are required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        groupKey = try container.decodeIfPresent(String.self, forKey: .groupKey) ?? ""
        truncatedAlerts = try container.decodeWholeNumber(forKey: .truncatedAlerts, in: 0...Self.maxTruncatedAlerts) ?? 0
        status = try container.decode(String.self, forKey: .status)
        receiver = try container.decode(String.self, forKey: .receiver)
        groupLabels = try container.decodeIfPresent([String: String].self, forKey: .groupLabels) ?? [:]
        commonLabels = try container.decodeIfPresent([String: String].self, forKey: .commonLabels) ?? [:]
        commonAnnotations = try container.decodeIfPresent([String: String].self, forKey: .commonAnnotations) ?? [:]
        externalURL = try container.decodeIfPresent(String.self, forKey: .externalURL) ?? ""
        alerts = try container.decode([Alert].self, forKey: .alerts)
    }
}
