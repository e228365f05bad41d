import Foundation
import GRDB
import ResponderCore

/// The statements of one `record` transaction.
struct JournalWriter {
    let db: Database

    /// The receipt of a delivery that stores nothing (its key was seen, or it carries no new alert); nil when it has
    /// something new. Reads only, so it can answer a duplicate without the write lock.
    func duplicateReceipt(_ delivery: Delivery, alerts: [NormalizedAlert]) throws -> JournalReceipt? {
        if try seen(delivery) { return Self.duplicate(alerts.count) }
        return try delivery.idempotencyKey == nil && !alerts.isEmpty && fresh(alerts).isEmpty ? Self.duplicate(alerts.count) : nil
    }

    /// Inserts the delivery and its unseen alerts; the caller provides the transaction.
    func record(_ delivery: Delivery, alerts: [NormalizedAlert], plans: [String: String]) throws -> JournalReceipt {
        try record(PreparedDelivery(delivery, alerts: alerts, plans: plans))
    }

    /// Inserts a prepared delivery and its unseen alerts; the caller provides the transaction.
    func record(_ prepared: PreparedDelivery) throws -> JournalReceipt {
        let (delivery, alerts) = (prepared.delivery, prepared.alerts)
        if try seen(delivery) { return Self.duplicate(alerts.count) }
        let fresh = try fresh(alerts)
        let duplicates = alerts.count - fresh.count
        // A keyless delivery (an Alertmanager POST) that carries nothing new is an HA duplicate or a re-send.
        if delivery.idempotencyKey == nil, fresh.isEmpty, !alerts.isEmpty { return Self.duplicate(alerts.count) }
        try db.execute(
            sql: "INSERT INTO delivery (kind, idempotency_key, received_at, details, body) VALUES (?, ?, ?, ?, ?)",
            arguments: [delivery.kind.rawValue, delivery.idempotencyKey, prepared.receivedAt, prepared.details, delivery.body]
        )
        let deliveryID = db.lastInsertedRowID
        for alert in fresh {
            let row = prepared.rows[alert.idempotencyKey]
            try db.execute(
                sql: """
                    INSERT INTO alert (delivery_id, idempotency_key, source, fingerprint, status, labels, annotations,
                                       starts_at, ends_at, generator_url, group_key, receiver, received_at, plan)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    deliveryID, alert.idempotencyKey, alert.source.rawValue, alert.fingerprint, alert.status.rawValue,
                    row?.labels, row?.annotations, alert.startsAt.map(RFC3339.format), alert.endsAt.map(RFC3339.format),
                    alert.generatorURL, alert.groupKey, alert.receiver, prepared.receivedAt, prepared.plans[alert.idempotencyKey],
                ]
            )
        }
        return JournalReceipt(
            deliveryID: deliveryID, newAlerts: fresh.count, duplicateAlerts: duplicates, duplicateDelivery: false,
            newAlertKeys: fresh.map(\.idempotencyKey)
        )
    }

    /// Whether a delivery with the same idempotency key was journaled (never, for a keyless one).
    private func seen(_ delivery: Delivery) throws -> Bool {
        guard let key = delivery.idempotencyKey else { return false }
        return try Bool.fetchOne(db, sql: "SELECT 1 FROM delivery WHERE idempotency_key = ?", arguments: [key]) == true
    }

    private static func duplicate(_ alerts: Int) -> JournalReceipt {
        JournalReceipt(deliveryID: nil, newAlerts: 0, duplicateAlerts: alerts, duplicateDelivery: true)
    }

    /// Those of `alerts` not journaled yet, each key once, in order.
    private func fresh(_ alerts: [NormalizedAlert]) throws -> [NormalizedAlert] {
        var fresh: [NormalizedAlert] = []
        var seen = Set<String>()
        for alert in alerts where seen.insert(alert.idempotencyKey).inserted {
            let known = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM alert WHERE idempotency_key = ?", arguments: [alert.idempotencyKey]
            ) == true
            if !known { fresh.append(alert) }
        }
        return fresh
    }
}

/// A delivery with its JSON columns encoded before the write transaction, so the one writer spends its time writing.
struct PreparedDelivery: Sendable {
    /// The delivery.
    let delivery: Delivery
    /// Its alerts.
    let alerts: [NormalizedAlert]
    /// Plan JSON by alert idempotency key.
    let plans: [String: String]
    /// `received_at` as stored.
    let receivedAt: String
    /// `details` as stored.
    let details: String
    /// Labels and annotations as stored, by alert idempotency key.
    let rows: [String: (labels: String, annotations: String)]

    /// Encodes the delivery's JSON columns; throws what the encoder throws.
    init(_ delivery: Delivery, alerts: [NormalizedAlert], plans: [String: String]) throws {
        self.delivery = delivery
        self.alerts = alerts
        self.plans = plans
        receivedAt = RFC3339.format(delivery.receivedAt)
        details = try JournalRows.encode(delivery.details)
        var rows: [String: (labels: String, annotations: String)] = [:]
        for alert in alerts where rows[alert.idempotencyKey] == nil {
            rows[alert.idempotencyKey] = (try JournalRows.encode(alert.labels), try JournalRows.encode(alert.annotations))
        }
        self.rows = rows
    }
}
