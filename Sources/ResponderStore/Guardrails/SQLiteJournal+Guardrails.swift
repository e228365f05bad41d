import Foundation
import GRDB
import ResponderCore

/// Pauses and the action ledger in the journal's file. ``SQLiteRunTransactions`` is the one writer (it keeps the
/// pauses not lifted and the recent actions in memory); these are its reads and writes.
extension SQLiteJournal {
    /// Stores `request` as `pause-<n>`, `n` one above the highest number in the file (pauses are never deleted, so
    /// numbers are never reused), and returns the pause as stored.
    func addPause(_ request: PauseRequest) async throws(JournalError) -> Pause {
        try StoredGuardrailRows.check(request)
        let unreadable = unreadable
        return try await write("store a pause") { db in
            // Only integers count: a value of another type written by hand must not make a number collide.
            let highest = try Int64.fetchOne(db, sql: "SELECT max(number) FROM pause WHERE typeof(number) = 'integer'") ?? 0
            guard highest < Int64.max else {
                throw JournalError.incompatible("could not store a pause: pause numbers are exhausted; renumber the rows of table pause")
            }
            let id = "pause-\(highest + 1)"
            try db.execute(
                sql: """
                    INSERT INTO pause (id, number, target, direction, mode, reason, created_by, since, until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, highest + 1, request.target, request.direction.rawValue, request.mode.rawValue, request.reason,
                            request.by, RFC3339.format(request.since), request.until.map(RFC3339.format)]
            )
            // Read back, so the pause returned (and cached) is exactly what a restart will load.
            guard let pause = try GuardrailRows.pauses(db, sql: "SELECT * FROM pause WHERE id = ?", arguments: [id],
                                                       unreadable: unreadable).first else {
                throw JournalError.unavailable("could not store a pause: \(id) did not read back as written")
            }
            return pause
        }
    }

    /// Marks the pauses `ids` lifted at `at` by `by`, in one transaction (those already lifted are left alone).
    func markLifted(_ ids: [String], by: String, at: Date) async throws(JournalError) {
        guard !ids.isEmpty else { return }
        try await write("lift \(ids.count) pause(s)") { db in
            for id in ids {
                try db.execute(sql: "UPDATE pause SET lifted_at = ?, lifted_by = ? WHERE id = ? AND lifted_at IS NULL",
                               arguments: [RFC3339.format(at), by, id])
            }
        }
    }

    /// Marks the pauses `ids` lifted by `expiry` at their own expiry time, in one transaction.
    func markExpired(_ ids: [String]) async throws(JournalError) {
        guard !ids.isEmpty else { return }
        try await write("mark \(ids.count) pause(s) expired") { db in
            for id in ids {
                try db.execute(sql: """
                    UPDATE pause SET lifted_at = until, lifted_by = 'expiry' WHERE id = ? AND lifted_at IS NULL AND until IS NOT NULL
                    """, arguments: [id])
            }
        }
    }

    /// Every pause not lifted (by number), then up to `limit` lifted at or after `liftedSince` (none when it is nil),
    /// most recently lifted first.
    func pauses(liftedSince: Date?, limit: Int) async throws(JournalError) -> [Pause] {
        let unreadable = unreadable
        return try await read("read pauses") { db in
            let inForce = try GuardrailRows.pauses(db, sql: "SELECT * FROM pause WHERE lifted_at IS NULL ORDER BY number",
                                                   unreadable: unreadable)
            guard let liftedSince else { return inForce }
            return inForce + (try GuardrailRows.pauses(db, sql: """
                SELECT * FROM pause WHERE lifted_at IS NOT NULL AND lifted_at >= ? ORDER BY lifted_at DESC, number DESC LIMIT ?
                """, arguments: [RFC3339.format(liftedSince), max(0, limit)], unreadable: unreadable))
        }
    }

    /// Action records at or after `since`, oldest first.
    func actions(since: Date) async throws(JournalError) -> [ActionRecord] {
        let unreadable = unreadable
        return try await read("read the action ledger") { db in
            // RFC 3339 UTC text with fixed-width fields sorts like the instants it names.
            try GuardrailRows.actions(db, sql: "SELECT * FROM action_record WHERE at >= ? ORDER BY at, run_id, step",
                                      arguments: [RFC3339.format(since)], unreadable: unreadable)
        }
    }
}
