import Foundation
import GRDB
import ResponderCore

extension SQLiteJournal: NotificationOutbox {
    /// Saves `runs` and queues `notifications` in one transaction: a run's change and what people are told about it
    /// are durable together, so a crash cannot keep one and lose the other.
    public func save(_ runs: [Run], notifications: [OutboundNotification]) async throws(JournalError) {
        try await commit(runs: runs, notifications: notifications, processed: [], at: Date())
    }


    /// The head of each (run, channel) queue that is due.
    public func dueNotifications(now: Date, limit: Int) async throws(JournalError) -> [OutboxItem] {
        try await read("read due notifications") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM outbox AS o
                WHERE o.status = 'pending' AND o.next_attempt_at <= ?
                  AND o.id = (SELECT MIN(p.id) FROM outbox AS p
                              WHERE p.status = 'pending' AND p.run_id = o.run_id AND p.channel = o.channel)
                ORDER BY o.id LIMIT ?
                """, arguments: [RFC3339.format(now), limit]).compactMap(OutboxRows.item)
        }
    }

    /// The earliest next attempt of a notification first in its (run, channel) queue: those queued behind it wait for
    /// it, so their own (earlier) times must not wake the service into a loop that finds nothing due.
    public func nextNotificationAttempt() async throws(JournalError) -> Date? {
        try await read("read the next notification attempt") { db in
            try String.fetchOne(db, sql: """
                SELECT MIN(o.next_attempt_at) FROM outbox AS o
                WHERE o.status = 'pending'
                  AND NOT EXISTS (SELECT 1 FROM outbox AS p
                                  WHERE p.run_id = o.run_id AND p.channel = o.channel AND p.status = 'pending' AND p.id < o.id)
                """)
                .flatMap { JournalRows.date($0) }
        }
    }

    /// Marks a notification delivered.
    public func markDelivered(_ id: Int64, attempts: Int, at: Date) async throws(JournalError) {
        try await write("mark notification \(id) delivered") { db in
            try db.execute(sql: "UPDATE outbox SET status = 'delivered', attempts = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                           arguments: [attempts, RFC3339.format(at), id])
        }
    }

    /// Records a failed attempt.
    public func markRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws(JournalError) {
        try await write("record a failed attempt of notification \(id)") { db in
            try db.execute(sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                           arguments: [attempts, RFC3339.format(next), error, id])
        }
    }

    /// Marks a notification refused for good.
    public func markFailed(_ id: Int64, attempts: Int, error: String, at: Date) async throws(JournalError) {
        try await write("mark notification \(id) failed") { db in
            try db.execute(sql: "UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, sent_at = ? WHERE id = ?",
                           arguments: [attempts, error, RFC3339.format(at), id])
        }
    }

    /// Every notification of a run.
    public func notifications(runID: String) async throws(JournalError) -> [OutboxItem] {
        try await read("read the notifications of \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE run_id = ? ORDER BY id", arguments: [runID])
                .compactMap(OutboxRows.item)
        }
    }

    /// Pending notifications per channel and when the oldest was queued: the partial index of pending rows answers
    /// the count; the oldest is the lowest pending id (queue order), one row read.
    public func outboxBacklog() async throws(JournalError) -> OutboxBacklog {
        try await read("count pending notifications") { db in
            var backlog = OutboxBacklog()
            for row in try Row.fetchAll(db, sql: "SELECT channel, COUNT(*) AS n FROM outbox WHERE status = 'pending' GROUP BY channel") {
                guard let channel = OutboundNotification.Channel(rawValue: row["channel"]) else { continue }
                backlog.pending[channel] = row["n"]
            }
            backlog.oldestQueuedAt = try String.fetchOne(db, sql: """
                SELECT created_at FROM outbox WHERE id = (SELECT MIN(id) FROM outbox WHERE status = 'pending')
                """).flatMap { JournalRows.date($0) }
            return backlog
        }
    }

    /// Where the run's Slack message is (channel id and ts), once posted.
    public func slackMessage(runID: String) async throws(JournalError) -> (channel: String, ts: String)? {
        try await read("read the Slack message of \(runID)") { db in
            try Row.fetchOne(db, sql: "SELECT channel, ts FROM slack_message WHERE run_id = ?", arguments: [runID])
                .map { (channel: $0["channel"], ts: $0["ts"]) }
        }
    }

    /// Remembers where the run's Slack message is.
    public func setSlackMessage(runID: String, channel: String, ts: String) async throws(JournalError) {
        try await write("remember the Slack message of \(runID)") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO slack_message (run_id, channel, ts) VALUES (?, ?, ?)",
                           arguments: [runID, channel, ts])
        }
    }

    /// Records the use of an action link's nonce; false when it was used before (the link acts once).
    public func useActionToken(nonce: String, runID: String, action: String, actor: String, at: Date) async throws(JournalError) -> Bool {
        try await write("record the use of an action link") { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO action_token_use (nonce, run_id, action, actor, used_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [nonce, runID, action, actor, RFC3339.format(at)])
            return db.changesCount == 1
        }
    }

    /// Gives back a nonce whose action was refused (the run had ended), so the record says only what happened.
    public func releaseActionToken(nonce: String) async throws(JournalError) {
        try await write("release an action link") { db in
            try db.execute(sql: "DELETE FROM action_token_use WHERE nonce = ?", arguments: [nonce])
        }
    }
}

/// Rows of table `outbox`.
enum OutboxRows {
    static func insert(_ item: OutboundNotification, in db: Database) throws {
        let created = RFC3339.format(item.createdAt)
        try db.execute(sql: """
            INSERT INTO outbox (run_id, channel, kind, text, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [item.runID, item.channel.rawValue, item.kind.rawValue, item.text, created, created])
    }

    static func item(_ row: Row) -> OutboxItem? {
        guard let channel = OutboundNotification.Channel(rawValue: row["channel"]),
              let kind = OutboundNotification.Kind(rawValue: row["kind"]),
              let status = OutboxItem.Status(rawValue: row["status"]),
              let created = JournalRows.date(row["created_at"]),
              let next = JournalRows.date(row["next_attempt_at"]) else { return nil }
        let notification = OutboundNotification(runID: row["run_id"], channel: channel, kind: kind, text: row["text"], createdAt: created)
        return OutboxItem(id: row["id"], notification: notification, status: status, attempts: row["attempts"],
                          nextAttemptAt: next, lastError: row["last_error"], finishedAt: (row["sent_at"] as String?).flatMap { JournalRows.date($0) })
    }
}
extension SQLiteJournal: ChatThreadStore {}
