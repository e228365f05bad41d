import Foundation
import GRDB
import ResponderCore

/// Conversions between journal rows and domain values.
package enum JournalRows {
    /// A string map as sorted-key JSON text.
    package static func encode(_ map: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(map), as: UTF8.self)
    }

    /// JSON text back to a string map; empty for NULL.
    package static func decodeMap(_ text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    /// An RFC 3339 column as a date.
    static func date(_ text: String?) -> Date? {
        text.flatMap(RFC3339.parse)
    }

    /// An `alert` row as a journaled alert.
    static func alert(_ row: Row) throws -> JournaledAlert {
        let sourceText: String = row["source"]
        let statusText: String = row["status"]
        guard let source = AlertSource(rawValue: sourceText), let status = AlertStatus(rawValue: statusText) else {
            throw JournalError.incompatible("alert row \(row["id"] as Int64? ?? -1) has unknown source or status")
        }
        let alert = NormalizedAlert(
            source: source,
            fingerprint: row["fingerprint"],
            status: status,
            labels: try decodeMap(row["labels"]),
            annotations: try decodeMap(row["annotations"]),
            startsAt: date(row["starts_at"]),
            endsAt: date(row["ends_at"]),
            generatorURL: row["generator_url"],
            groupKey: row["group_key"],
            receiver: row["receiver"],
            idempotencyKey: row["idempotency_key"]
        )
        return JournaledAlert(
            id: row["id"],
            deliveryID: row["delivery_id"],
            receivedAt: date(row["received_at"]) ?? Date(timeIntervalSince1970: 0),
            alert: alert,
            plan: row["plan"]
        )
    }

    /// A `delivery` row with its id.
    static func delivery(_ row: Row) throws -> (id: Int64, delivery: Delivery) {
        let kindText: String = row["kind"]
        guard let kind = DeliveryKind(rawValue: kindText) else {
            throw JournalError.incompatible("delivery row has unknown kind \(kindText)")
        }
        let delivery = Delivery(
            kind: kind,
            idempotencyKey: row["idempotency_key"],
            receivedAt: date(row["received_at"]) ?? Date(timeIntervalSince1970: 0),
            details: try decodeMap(row["details"]),
            body: row["body"]
        )
        return (row["id"], delivery)
    }
}
