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
        if try seen(delivery) { return Self.duplicate(alerts.count) }
        let fresh = try fresh(alerts)
        let duplicates = alerts.count - fresh.count
        // A keyless delivery (an Alertmanager POST) that carries nothing new is an HA duplicate or a re-send.
        if delivery.idempotencyKey == nil, fresh.isEmpty, !alerts.isEmpty { return Self.duplicate(alerts.count) }
        try db.execute(
            sql: "INSERT INTO delivery (kind, idempotency_key, received_at, details, body) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                delivery.kind.rawValue, delivery.idempotencyKey, RFC3339.format(delivery.receivedAt),
                try JournalRows.encode(delivery.details), delivery.body,
            ]
        )
        let deliveryID = db.lastInsertedRowID
        for alert in fresh {
            try db.execute(
                sql: """
                    INSERT INTO alert (delivery_id, idempotency_key, source, fingerprint, status, labels, annotations,
                                       starts_at, ends_at, generator_url, group_key, receiver, received_at, plan)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    deliveryID, alert.idempotencyKey, alert.source.rawValue, alert.fingerprint, alert.status.rawValue,
                    try JournalRows.encode(alert.labels), try JournalRows.encode(alert.annotations),
                    alert.startsAt.map(RFC3339.format), alert.endsAt.map(RFC3339.format), alert.generatorURL,
                    alert.groupKey, alert.receiver, RFC3339.format(delivery.receivedAt), plans[alert.idempotencyKey],
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
