import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

extension PostgresStore: AlertJournal {
    /// Stores the delivery and its new alerts in one transaction, like the SQLite journal. Replicas receiving the same
    /// delivery at once (Alertmanager HA peers post to all of them) insert with `ON CONFLICT DO NOTHING`, so each
    /// alert is stored once and only the call that stored it reports it new; a keyless delivery that stored no alert
    /// is rolled back and reported as a duplicate.
    public func record(_ delivery: Delivery, alerts: [NormalizedAlert], plans: [String: String]) async throws(JournalError) -> JournalReceipt {
        let details = try encode(delivery.details)
        let logger = self.logger
        return try await conditionalTransaction("record a delivery") { connection -> (value: JournalReceipt, commit: Bool) in
            try await Self.insert(delivery, details: details, alerts: alerts, plans: plans, on: connection, logger: logger)
        }
    }

    /// The statements of ``record(_:alerts:plans:)`` on `connection`, inside the caller's transaction: the receipt, and
    /// whether to commit (a duplicate keyless delivery is rolled back).
    static func insert(_ delivery: Delivery, details: String, alerts: [NormalizedAlert], plans: [String: String],
                       on connection: PostgresConnection, logger: Logger) async throws -> (value: JournalReceipt, commit: Bool) {
        let inserted = try await connection.query("""
            INSERT INTO delivery (kind, idempotency_key, received_at, details, body)
            VALUES (\(delivery.kind.rawValue), \(delivery.idempotencyKey), \(PostgresInstant(delivery.receivedAt)), \(details),
                    \(delivery.body))
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
            """, logger: logger).collect()
        guard let deliveryID = try inserted.first?.decode(Int64.self) else {
            return (JournalReceipt(deliveryID: nil, newAlerts: 0, duplicateAlerts: alerts.count, duplicateDelivery: true), false)
        }
        var fresh: [String] = []
        var seen = Set<String>()
        for alert in alerts where seen.insert(alert.idempotencyKey).inserted {
            let labels = try JournalRows.encode(alert.labels)
            let annotations = try JournalRows.encode(alert.annotations)
            let rows = try await connection.query("""
                INSERT INTO alert (delivery_id, idempotency_key, source, fingerprint, status, labels, annotations,
                                   starts_at, ends_at, generator_url, group_key, receiver, received_at, plan)
                VALUES (\(deliveryID), \(alert.idempotencyKey), \(alert.source.rawValue), \(alert.fingerprint),
                        \(alert.status.rawValue), \(labels), \(annotations), \(alert.startsAt.instant), \(alert.endsAt.instant),
                        \(alert.generatorURL), \(alert.groupKey), \(alert.receiver), \(PostgresInstant(delivery.receivedAt)),
                        \(plans[alert.idempotencyKey]))
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                """, logger: logger).collect()
            if !rows.isEmpty { fresh.append(alert.idempotencyKey) }
        }
        let duplicates = alerts.count - fresh.count
        // A keyless delivery (an Alertmanager POST) that carries nothing new is an HA duplicate or a re-send.
        if delivery.idempotencyKey == nil, fresh.isEmpty, !alerts.isEmpty {
            return (JournalReceipt(deliveryID: nil, newAlerts: 0, duplicateAlerts: duplicates, duplicateDelivery: true), false)
        }
        let receipt = JournalReceipt(deliveryID: deliveryID, newAlerts: fresh.count, duplicateAlerts: duplicates,
                                     duplicateDelivery: false, newAlertKeys: fresh)
        return (receipt, true)
    }

    /// The most recent alerts, newest first.
    public func recentAlerts(limit: Int) async throws(JournalError) -> [JournaledAlert] {
        let rows = try await rows("read alerts", """
            SELECT \(unescaped: PostgresRows.alertColumns) FROM alert ORDER BY id DESC LIMIT \(max(0, limit))
            """)
        return try decode("read alerts") { try rows.map(PostgresRows.alert) }
    }

    /// Throws unless the server accepts writes: it must answer, and not be a standby in recovery or read-only.
    public func checkWritable() async throws(JournalError) {
        let rows = try await rows("check that PostgreSQL is writable", """
            SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only') = 'on'
            """)
        let (recovering, readOnly) = try decode("check that PostgreSQL is writable") {
            try rows.first?.decode((Bool, Bool).self) ?? (true, true)
        }
        if recovering {
            throw .unavailable("PostgreSQL at \(url.host):\(url.port) is a standby in recovery (read-only): point the URL at the primary")
        }
        if readOnly {
            throw .unavailable("PostgreSQL database \(url.database) at \(url.host):\(url.port) is read-only (default_transaction_read_only)")
        }
    }

    /// Runs a decoding step, mapping its errors like a query's.
    func decode<T>(_ action: String, _ body: () throws -> T) throws(JournalError) -> T {
        do { return try body() } catch { throw map(error, doing: action) }
    }

    private func encode(_ map: [String: String]) throws(JournalError) -> String {
        do { return try JournalRows.encode(map) } catch { throw .unavailable("could not encode delivery details: \(error)") }
    }
}

extension PostgresStore: AlertBacklog {
    /// Accepted alerts not yet handled, oldest first.
    public func unprocessedAlerts(limit: Int) async throws(JournalError) -> [NormalizedAlert] {
        let rows = try await rows("read unprocessed alerts", """
            SELECT \(unescaped: PostgresRows.alertColumns) FROM alert WHERE processed_at IS NULL ORDER BY id LIMIT \(max(0, limit))
            """)
        return try decode("read unprocessed alerts") { try rows.map { try PostgresRows.alert($0).alert } }
    }

    /// Marks alerts handled.
    public func markProcessed(_ idempotencyKeys: [String]) async throws(JournalError) {
        guard !idempotencyKeys.isEmpty else { return }
        try await execute("mark alerts processed", """
            UPDATE alert SET processed_at = \(PostgresInstant(Date()))
            WHERE idempotency_key = ANY(\(idempotencyKeys)) AND processed_at IS NULL
            """)
    }
}
