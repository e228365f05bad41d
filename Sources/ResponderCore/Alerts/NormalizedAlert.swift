import Foundation

/// Where an alert came from.
public enum AlertSource: String, Sendable, Codable, CaseIterable {
    /// Prometheus Alertmanager webhook (payload version 4).
    case alertmanager
    /// An AWS CloudWatch alarm delivered through SNS.
    case cloudwatch
    /// A scheduled event whose preparation is due (``EventAlert``); only Responder itself produces it.
    case event
}

/// The state an alert reports.
public enum AlertStatus: String, Sendable, Codable, CaseIterable {
    /// The condition holds (Alertmanager `firing`, CloudWatch `ALARM`).
    case firing
    /// The condition cleared (Alertmanager `resolved`, CloudWatch `OK`).
    case resolved
    /// CloudWatch `INSUFFICIENT_DATA`: recorded, never treated as firing.
    case insufficientData = "insufficient_data"
}

/// One alert in the source-independent shape every later stage (matching, planning) works on.
public struct NormalizedAlert: Sendable, Equatable, Codable {
    /// The sender of the alert.
    public var source: AlertSource
    /// Stable identity of the alert across deliveries (Alertmanager fingerprint; CloudWatch alarm ARN digest).
    public var fingerprint: String
    /// Firing, resolved or insufficient data.
    public var status: AlertStatus
    /// Identifying labels (CloudWatch fields become labels such as `alarm_name`, `dimension_<Name>`).
    public var labels: [String: String]
    /// Descriptive annotations.
    public var annotations: [String: String]
    /// When the condition started.
    public var startsAt: Date?
    /// When the condition ended, if it has.
    public var endsAt: Date?
    /// Link back to the rule or alarm that produced the alert.
    public var generatorURL: String?
    /// Alertmanager group key (empty for CloudWatch).
    public var groupKey: String?
    /// Alertmanager receiver name (empty for CloudWatch).
    public var receiver: String?
    /// The key that makes a redelivery of the same alert state a no-op.
    public var idempotencyKey: String

    /// Creates a normalized alert.
    public init(
        source: AlertSource,
        fingerprint: String,
        status: AlertStatus,
        labels: [String: String],
        annotations: [String: String],
        startsAt: Date?,
        endsAt: Date?,
        generatorURL: String?,
        groupKey: String?,
        receiver: String?,
        idempotencyKey: String
    ) {
        self.source = source
        self.fingerprint = fingerprint
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.groupKey = groupKey
        self.receiver = receiver
        self.idempotencyKey = idempotencyKey
    }
}
