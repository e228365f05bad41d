import Foundation

/// What kind of inbound request a journal entry records.
public enum DeliveryKind: String, Sendable, Codable, CaseIterable {
    /// An Alertmanager webhook notification.
    case alertmanagerWebhook = "alertmanager_webhook"
    /// An SNS Notification whose Message is a CloudWatch alarm.
    case cloudwatchAlarm = "cloudwatch_alarm"
    /// An SNS Notification whose Message is not a CloudWatch alarm: kept, matched against nothing.
    case snsUnmatched = "sns_unmatched"
    /// An SNS SubscriptionConfirmation.
    case snsSubscriptionConfirmation = "sns_subscription_confirmation"
    /// An SNS UnsubscribeConfirmation: recorded, its URLs are never followed.
    case snsUnsubscribeConfirmation = "sns_unsubscribe_confirmation"
    /// A scheduled event whose preparation came due (``EventAlert``), journaled by Responder itself.
    case scheduledEvent = "scheduled_event"
}

/// One accepted inbound request, as written to the journal.
public struct Delivery: Sendable, Equatable {
    /// What was delivered.
    public var kind: DeliveryKind
    /// Key that makes a redelivery of the same request a no-op (`sns:<MessageId>`); nil when identity is per alert.
    public var idempotencyKey: String?
    /// When the server received it.
    public var receivedAt: Date
    /// Free-form identifying details (topic ARN, message id, receiver) for operators.
    public var details: [String: String]
    /// The raw request body, kept for audit and replay.
    public var body: String

    /// Creates a delivery record.
    public init(kind: DeliveryKind, idempotencyKey: String?, receivedAt: Date, details: [String: String], body: String) {
        self.kind = kind
        self.idempotencyKey = idempotencyKey
        self.receivedAt = receivedAt
        self.details = details
        self.body = body
    }
}

/// What the journal did with a delivery.
public struct JournalReceipt: Sendable, Equatable {
    /// Row id of the stored delivery; nil when nothing new was stored.
    public var deliveryID: Int64?
    /// Alerts stored for the first time.
    public var newAlerts: Int
    /// Alerts already in the journal (redelivered, or sent by an HA peer).
    public var duplicateAlerts: Int
    /// True when the delivery itself had been recorded before (same idempotency key).
    public var duplicateDelivery: Bool
    /// Idempotency keys of the alerts stored for the first time (the ones that may start runs).
    public var newAlertKeys: [String]

    /// Creates a receipt.
    public init(deliveryID: Int64?, newAlerts: Int, duplicateAlerts: Int, duplicateDelivery: Bool, newAlertKeys: [String] = []) {
        self.deliveryID = deliveryID
        self.newAlerts = newAlerts
        self.duplicateAlerts = duplicateAlerts
        self.duplicateDelivery = duplicateDelivery
        self.newAlertKeys = newAlertKeys
    }
}

/// An alert as read back from the journal.
public struct JournaledAlert: Sendable, Equatable {
    /// Row id.
    public var id: Int64
    /// Delivery that first carried this alert state.
    public var deliveryID: Int64
    /// When it was recorded.
    public var receivedAt: Date
    /// The normalized alert.
    public var alert: NormalizedAlert
    /// The plan computed for it when it arrived (JSON, see `PlanJSON`), if playbooks were loaded.
    public var plan: String?

    /// Creates a journaled alert.
    public init(id: Int64, deliveryID: Int64, receivedAt: Date, alert: NormalizedAlert, plan: String? = nil) {
        self.id = id
        self.deliveryID = deliveryID
        self.receivedAt = receivedAt
        self.alert = alert
        self.plan = plan
    }
}
