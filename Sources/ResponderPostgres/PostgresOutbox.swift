import Foundation
import PostgresNIO
import ResponderCore

extension PostgresStore: NotificationOutbox {
    /// Claims the head of each (run, channel) queue that is due: in one transaction, the oldest pending notification
    /// of each queue whose next attempt is at or before `now` (rows another replica is claiming are skipped), moved
    /// to `now + outboxClaim` so no other replica takes it while this one delivers it. Marking it delivered, retried or
    /// failed ends the claim; a replica that dies mid-delivery leaves it due again once the claim runs out.
    public func dueNotifications(now: Date, limit: Int) async throws(JournalError) -> [OutboxItem] {
        let logger = self.logger
        let at = PostgresInstant(now)
        let claimedUntil = PostgresInstant(now.addingTimeInterval(outboxClaim.timeInterval))
        return try await transaction("claim due notifications") { connection in
            let rows = try await connection.query("""
                SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox AS o
                WHERE o.status = 'pending' AND o.next_attempt_at <= \(at)
                  AND NOT EXISTS (SELECT 1 FROM outbox AS p
                                  WHERE p.run_id = o.run_id AND p.channel = o.channel AND p.status = 'pending' AND p.id < o.id)
                ORDER BY o.id LIMIT \(max(0, limit))
                FOR UPDATE SKIP LOCKED
                """, logger: logger).collect()
            let items = try rows.compactMap(PostgresRows.outboxItem)
            if !items.isEmpty {
                try await connection.query("""
                    UPDATE outbox SET next_attempt_at = \(claimedUntil) WHERE id = ANY(\(items.map(\.id)))
                    """, logger: logger)
            }
            return items
        }
    }

    /// The earliest next attempt of a pending notification at the head of its queue (a claimed one's counts from the
    /// end of its claim). Notifications queued behind another cannot be attempted before it, so counting them would
    /// wake the caller for nothing while another replica holds the head.
    public func nextNotificationAttempt() async throws(JournalError) -> Date? {
        let rows = try await rows("read the next notification attempt", """
            SELECT min(o.next_attempt_at) FROM outbox AS o
            WHERE o.status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM outbox AS p
                              WHERE p.run_id = o.run_id AND p.channel = o.channel AND p.status = 'pending' AND p.id < o.id)
            """)
        return try decode("read the next notification attempt") { try rows.first?.decode(PostgresInstant?.self)?.date }
    }

    /// Marks a notification delivered (the notification service keeps trying while the database does not answer:
    /// given up, the claim would run out and the notification be sent again).
    public func markDelivered(_ id: Int64, attempts: Int, at: Date) async throws(JournalError) {
        try await execute("mark notification \(id) delivered", """
            UPDATE outbox SET status = 'delivered', attempts = \(attempts), sent_at = \(PostgresInstant(at)), last_error = NULL
            WHERE id = \(id)
            """)
    }

    /// Records a failed attempt and when to try again.
    public func markRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws(JournalError) {
        try await execute("record a failed attempt of notification \(id)", """
            UPDATE outbox SET attempts = \(attempts), next_attempt_at = \(PostgresInstant(next)), last_error = \(error) WHERE id = \(id)
            """)
    }

    /// Marks a notification refused for good; later ones of its run and channel go ahead.
    public func markFailed(_ id: Int64, attempts: Int, error: String, at: Date) async throws(JournalError) {
        try await execute("mark notification \(id) failed", """
            UPDATE outbox SET status = 'failed', attempts = \(attempts), last_error = \(error), sent_at = \(PostgresInstant(at))
            WHERE id = \(id)
            """)
    }

    /// Every notification of a run, oldest first.
    public func notifications(runID: String) async throws(JournalError) -> [OutboxItem] {
        let rows = try await rows("read the notifications of \(runID)", """
            SELECT \(unescaped: PostgresRows.outboxColumns) FROM outbox WHERE run_id = \(runID) ORDER BY id
            """)
        return try decode("read the notifications of \(runID)") { try rows.compactMap(PostgresRows.outboxItem) }
    }

    /// Queues `item`; the caller provides the transaction.
    static func insert(_ item: OutboundNotification, on connection: PostgresConnection, logger: Logger) async throws {
        let created = PostgresInstant(item.createdAt)
        try await connection.query("""
            INSERT INTO outbox (run_id, channel, kind, text, next_attempt_at, created_at)
            VALUES (\(item.runID), \(item.channel.rawValue), \(item.kind.rawValue), \(item.text), \(created), \(created))
            """, logger: logger)
    }
}

extension PostgresStore: ChatThreadStore {
    /// Where the run's Slack message is (channel id and ts), once posted.
    public func slackMessage(runID: String) async throws(JournalError) -> (channel: String, ts: String)? {
        let rows = try await rows("read the Slack message of \(runID)", "SELECT channel, ts FROM slack_message WHERE run_id = \(runID)")
        return try decode("read the Slack message of \(runID)") {
            try rows.first.map { row in
                let (channel, ts) = try row.decode((String, String).self)
                return (channel: channel, ts: ts)
            }
        }
    }

    /// Remembers where the run's Slack message is.
    public func setSlackMessage(runID: String, channel: String, ts: String) async throws(JournalError) {
        try await execute("remember the Slack message of \(runID)", """
            INSERT INTO slack_message (run_id, channel, ts) VALUES (\(runID), \(channel), \(ts))
            ON CONFLICT (run_id) DO UPDATE SET channel = excluded.channel, ts = excluded.ts
            """)
    }
}

extension PostgresStore {
    /// Records the use of an action link's nonce; false when it was used before, on any replica (the link acts once).
    public func useActionToken(nonce: String, runID: String, action: String, actor: String, at: Date) async throws(JournalError) -> Bool {
        let rows = try await rows("record the use of an action link", """
            INSERT INTO action_token_use (nonce, run_id, action, actor, used_at)
            VALUES (\(nonce), \(runID), \(action), \(actor), \(PostgresInstant(at)))
            ON CONFLICT (nonce) DO NOTHING RETURNING nonce
            """)
        return rows.count == 1
    }

    /// Gives back a nonce whose action was refused (the run had ended), so the record says only what happened.
    public func releaseActionToken(nonce: String) async throws(JournalError) {
        try await execute("release an action link", "DELETE FROM action_token_use WHERE nonce = \(nonce)")
    }
}

extension PostgresStore {
    /// Pending notifications per channel and when the oldest was queued (`outbox_pending` is a partial index of the
    /// pending rows; the oldest is the lowest pending id, one row read).
    public func outboxBacklog() async throws(JournalError) -> OutboxBacklog {
        let counts = try await rows("count pending notifications", """
            SELECT channel, count(*)::bigint FROM outbox WHERE status = 'pending' GROUP BY channel
            """)
        let oldest = try await rows("read the oldest pending notification", """
            SELECT created_at FROM outbox WHERE id = (SELECT min(id) FROM outbox WHERE status = 'pending')
            """)
        return try decode("count pending notifications") {
            var backlog = OutboxBacklog()
            for row in counts {
                let (channel, count) = try row.decode((String, Int).self)
                guard let channel = OutboundNotification.Channel(rawValue: channel) else { continue }
                backlog.pending[channel] = count
            }
            backlog.oldestQueuedAt = try oldest.first?.decode(PostgresInstant.self).date
            return backlog
        }
    }
}
