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
