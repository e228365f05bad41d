import Foundation
import GRDB
import ResponderCore

/// The journal's record of which accepted alerts the run engine has handled.
extension SQLiteJournal: AlertBacklog {
    /// Accepted alerts not yet handled, oldest first.
    public func unprocessedAlerts(limit: Int) async throws(JournalError) -> [NormalizedAlert] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM alert WHERE processed_at IS NULL ORDER BY id LIMIT ?", arguments: [max(0, limit)]
                ).map { try JournalRows.alert($0).alert }
            }
        } catch {
            throw Self.map(error, doing: "read unprocessed alerts")
        }
    }

    /// Marks alerts handled.
    public func markProcessed(_ idempotencyKeys: [String]) async throws(JournalError) {
        guard !idempotencyKeys.isEmpty else { return }
        let now = RFC3339.format(Date())
        do {
            try await pool.write { db in
                for key in idempotencyKeys {
                    try db.execute(
                        sql: "UPDATE alert SET processed_at = ? WHERE idempotency_key = ? AND processed_at IS NULL",
                        arguments: [now, key]
                    )
                }
            }
        } catch {
            throw Self.map(error, doing: "mark alerts processed")
        }
    }
}

extension SQLiteJournal {
    /// Of `idempotencyKeys`, those of alerts not yet handled, oldest first.
    func unprocessedKeys(among idempotencyKeys: [String]) async throws(JournalError) -> [String] {
        guard !idempotencyKeys.isEmpty else { return [] }
        do {
            return try await pool.read { db in
                var keys: [(Int64, String)] = []
                // Chunks stay far below SQLite's limit on bound variables.
                for start in stride(from: 0, to: idempotencyKeys.count, by: 500) {
                    let chunk = Array(idempotencyKeys[start..<min(start + 500, idempotencyKeys.count)])
                    let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                    for row in try Row.fetchAll(db, sql: "SELECT id, idempotency_key FROM alert WHERE processed_at IS NULL AND idempotency_key IN (\(marks))",
                                                arguments: StatementArguments(chunk)) {
                        keys.append((row["id"], row["idempotency_key"]))
                    }
                }
                return keys.sorted { $0.0 < $1.0 }.map(\.1)
            }
        } catch {
            throw Self.map(error, doing: "read which alerts are unprocessed")
        }
    }

    /// Saves `runs`, queues `notifications`, marks `processed` alerts handled and records `actions` (deleting records
    /// older than ``Guardrails/actionHorizon`` at `now`, a bounded batch at a time), all in one transaction.
    func commit(runs: [Run], notifications: [OutboundNotification], processed: [String], actions: [ActionRecord] = [],
                at now: Date) async throws(JournalError) {
        guard !runs.isEmpty || !notifications.isEmpty || !processed.isEmpty || !actions.isEmpty else { return }
        let encoder = RunRows.encoder()
        let stamp = RFC3339.format(now)
        let cutoff = now.addingTimeInterval(-Guardrails.actionHorizon.timeInterval)
        do {
            try await pool.write { db in
                for run in runs { try RunRows.upsert(run, encoder: encoder, updatedAt: now, in: db) }
                for item in notifications { try OutboxRows.insert(item, in: db) }
                for key in processed {
                    try db.execute(sql: "UPDATE alert SET processed_at = ? WHERE idempotency_key = ? AND processed_at IS NULL",
                                   arguments: [stamp, key])
                }
                for action in actions { try GuardrailRows.upsert(action, in: db) }
                // The ledger only grows when actions are written: that is when old records are worth deleting.
                if !actions.isEmpty { try GuardrailRows.forget(before: cutoff, in: db) }
            }
        } catch {
            throw Self.map(error, doing: "save \(runs.count) run(s), \(notifications.count) notification(s), \(processed.count) handled alert(s) "
                           + "and \(actions.count) action record(s)")
        }
    }
}
