import Foundation
import GRDB
import ResponderCore

/// The statements of one `record` transaction.
struct JournalWriter {
    let db: Database

    /// Inserts the delivery and its unseen alerts; the caller provides the transaction.
    func record(_ delivery: Delivery, alerts: [NormalizedAlert], plans: [String: String]) throws -> JournalReceipt {
        if let key = delivery.idempotencyKey,
           try Bool.fetchOne(db, sql: "SELECT 1 FROM delivery WHERE idempotency_key = ?", arguments: [key]) == true {
            return JournalReceipt(deliveryID: nil, newAlerts: 0, duplicateAlerts: alerts.count, duplicateDelivery: true)
        }
        var fresh: [NormalizedAlert] = []
        var seen = Set<String>()
        for alert in alerts where seen.insert(alert.idempotencyKey).inserted {
            let known = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM alert WHERE idempotency_key = ?", arguments: [alert.idempotencyKey]
            ) == true
            if !known { fresh.append(alert) }
        }
        let duplicates = alerts.count - fresh.count
        // A keyless delivery (an Alertmanager POST) that carries nothing new is an HA duplicate or a re-send.
        if delivery.idempotencyKey == nil, fresh.isEmpty, !alerts.isEmpty {
            return JournalReceipt(deliveryID: nil, newAlerts: 0, duplicateAlerts: duplicates, duplicateDelivery: true)
        }
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
}
