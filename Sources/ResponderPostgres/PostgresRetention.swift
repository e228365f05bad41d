import Foundation
import PostgresNIO
import ResponderCore

extension PostgresStore: RetentionStore {
    /// Deletes one batch of `kind` older than `cutoff`, oldest first. Rows another replica's pass holds are skipped
    /// (`SKIP LOCKED`), so two replicas' passes share the work instead of waiting on each other.
    public func purge(_ kind: RetentionKind, before cutoff: Date, limit: Int) async throws(JournalError) -> Int {
        let cutoff = PostgresInstant(cutoff)
        let limit = max(1, limit)
        guard let query = Self.batch(kind, cutoff: cutoff, limit: limit) else {
            return try await purgeEndedRuns(cutoff: cutoff, limit: limit)
        }
        return try await rows("delete old \(kind.rawValue)", query).count
    }

    /// The one statement that deletes a batch of `kind`, returning a row per record; nil for ended runs, which take
    /// several (their rows in other tables go with them).
    private static func batch(_ kind: RetentionKind, cutoff: PostgresInstant, limit: Int) -> PostgresQuery? {
        switch kind {
        case .rawBodies:
            return """
                UPDATE delivery SET body = '' WHERE id IN (
                    SELECT id FROM delivery WHERE body <> '' AND received_at < \(cutoff)
                    ORDER BY received_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """
        case .alerts:
            // As on SQLite: handled alerts of no open run, never the newest firing alert of a fingerprint (Alertmanager
            // re-sends it with the same key every repeat_interval).
            return """
                DELETE FROM alert WHERE id IN (
                    SELECT a.id FROM alert AS a
                    WHERE a.received_at < \(cutoff) AND a.processed_at IS NOT NULL
                      AND NOT (a.status = 'firing' AND a.id = (SELECT MAX(b.id) FROM alert AS b
                                                              WHERE b.source = a.source AND b.fingerprint = a.fingerprint))
                      AND NOT EXISTS (SELECT 1 FROM run AS r
                                      WHERE r.alert_fingerprint = a.fingerprint AND r.status IN ('active', 'held'))
                    ORDER BY a.received_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """
        case .endedRuns:
            return nil
        case .actionLinks:
            return """
                DELETE FROM action_token_use WHERE nonce IN (
                    SELECT nonce FROM action_token_use WHERE used_at < \(cutoff)
                    ORDER BY used_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING nonce
                """
        case .deliveryKeys:
            return """
                DELETE FROM delivery WHERE id IN (
                    SELECT d.id FROM delivery AS d
                    WHERE d.received_at < \(cutoff) AND NOT EXISTS (SELECT 1 FROM alert AS a WHERE a.delivery_id = d.id)
                    ORDER BY d.received_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """
        }
    }

    /// Deletes up to `limit` ended runs with no unsent notification, never the highest-numbered run (the next number
    /// is one more than it: a reused number would find the old run's executor calls), with their executor calls (but
    /// a target's last recorded scale), sent notifications and Slack message references, in one transaction.
    private func purgeEndedRuns(cutoff: PostgresInstant, limit: Int) async throws(JournalError) -> Int {
        let logger = self.logger
        return try await transaction("delete old ended runs") { connection in
            let ids = try await connection.query("""
                SELECT r.id FROM run AS r
                WHERE r.ended_at IS NOT NULL AND r.ended_at < \(cutoff) AND r.status NOT IN ('active', 'held')
                  AND NOT EXISTS (SELECT 1 FROM outbox AS o WHERE o.run_id = r.id AND o.status = 'pending')
                  AND r.number < (SELECT max(number) FROM run)
                ORDER BY r.ended_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger: logger).collect().map { try $0.decode(String.self) }
            guard !ids.isEmpty else { return 0 }
            // A target's last recorded scale stays: the dry-run executor reads the target's replicas from it.
            try await connection.query("""
                DELETE FROM executor_call WHERE run_id = ANY(\(ids))
                  AND NOT (action = 'scale' AND value IS NOT NULL
                           AND id = (SELECT MAX(c.id) FROM executor_call AS c
                                     WHERE c.target = executor_call.target AND c.action = 'scale' AND c.value IS NOT NULL))
                """, logger: logger)
            try await connection.query("DELETE FROM outbox WHERE run_id = ANY(\(ids))", logger: logger)
            try await connection.query("DELETE FROM slack_message WHERE run_id = ANY(\(ids))", logger: logger)
            try await connection.query("DELETE FROM run WHERE id = ANY(\(ids))", logger: logger)
            return ids.count
        }
    }

    /// Nothing to do: autovacuum makes deleted rows' space reusable after the batched deletes; the files do not shrink.
    public func reclaimSpace() async throws(JournalError) {}

    /// The database's size and the oldest record of each kind (index look-ups).
    public func footprint() async throws(JournalError) -> StoreFootprint {
        let rows = try await rows("read the oldest records", """
            SELECT pg_database_size(current_database()),
                   (SELECT MIN(received_at) FROM delivery WHERE body <> ''),
                   (SELECT MIN(received_at) FROM delivery),
                   (SELECT MIN(received_at) FROM alert),
                   (SELECT MIN(ended_at) FROM run WHERE ended_at IS NOT NULL),
                   (SELECT MIN(used_at) FROM action_token_use)
            """)
        return try decode("read the oldest records") {
            guard let row = rows.first else { return StoreFootprint(bytes: nil, oldest: [:]) }
            let (bytes, bodies, keys, alerts, runs, links) = try row.decode(
                (Int64, PostgresInstant?, PostgresInstant?, PostgresInstant?, PostgresInstant?, PostgresInstant?).self
            )
            let pairs: [(RetentionKind, PostgresInstant?)] = [
                (.rawBodies, bodies), (.deliveryKeys, keys), (.alerts, alerts), (.endedRuns, runs), (.actionLinks, links),
            ]
            var oldest: [RetentionKind: Date] = [:]
            for (kind, instant) in pairs { if let instant { oldest[kind] = instant.date } }
            return StoreFootprint(bytes: bytes, oldest: oldest)
        }
    }
}
