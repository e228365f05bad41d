import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

/// What run transactions read and write of the guardrails: the pauses not lifted and the action ledger.
extension PostgresStore {
    /// Columns of `pause` in the order ``pause(_:)`` reads them.
    static let pauseColumns = "id, number, target, direction, mode, reason, created_by, since, until, lifted_at, lifted_by"

    /// The pauses not lifted (by number) and the actions recorded since `now` minus ``Guardrails/actionHorizon``
    /// (oldest first), for a run transaction's view, after taking the ledger lock. Call it after the scope's other
    /// locks.
    static func guardrails(at now: Date, unreadable: UnreadableRuns, on connection: PostgresConnection,
                           logger: Logger) async throws -> (pauses: [Pause], actions: [ActionRecord]) {
        // Limits count actions of every replica. Two transactions that both read the ledger, both see one slot left
        // and both hand out a step would pass a limit together; row locks cannot stop that (the conflict is over rows
        // not written yet), and SERIALIZABLE would turn it into retried transactions. This transaction-level lock
        // makes each transaction that reads the ledger wait until the one before it has committed its actions. It is
        // taken last in every scope (after the alert lock and the run rows' locks), so a transaction holding it waits
        // for none of those locks and cannot close a deadlock cycle; it is held for the engine's pure decision and the
        // writes only. Run transactions thus take turns across replicas, which they are short enough to afford.
        try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.ledgerLock))", logger: logger)
        let pauseRows = try await connection.query("""
            SELECT \(unescaped: pauseColumns) FROM pause WHERE lifted_at IS NULL ORDER BY number
            """, logger: logger).collect()
        let cutoff = PostgresInstant(now.addingTimeInterval(-Guardrails.actionHorizon.timeInterval))
        let actionRows = try await connection.query("""
            SELECT run_id, step, playbook, target, at, dry_run FROM action_record WHERE at >= \(cutoff) ORDER BY at, run_id, step
            """, logger: logger).collect()
        return (pauseRows.compactMap { pause($0).reported(to: unreadable) },
                actionRows.compactMap { action($0).reported(to: unreadable) })
    }

    /// Records `actions` (a record for a run and step already recorded moves to the new time) and deletes up to 1,000
    /// records older than ``Guardrails/actionHorizon`` at `now`, oldest first, through the index on `at`; the caller
    /// holds the transaction and the ledger lock.
    static func record(_ actions: [ActionRecord], at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        guard !actions.isEmpty else { return }
        for action in actions {
            try await connection.query("""
                INSERT INTO action_record (run_id, step, playbook, target, at, dry_run)
                VALUES (\(action.runID), \(Int32(clamping: action.step)), \(action.playbook), \(action.target),
                        \(PostgresInstant(action.at)), \(action.dryRun))
                ON CONFLICT (run_id, step) DO UPDATE SET
                    playbook = excluded.playbook, target = excluded.target, at = excluded.at, dry_run = excluded.dry_run
                """, logger: logger)
        }
        let cutoff = PostgresInstant(now.addingTimeInterval(-Guardrails.actionHorizon.timeInterval))
        try await connection.query("""
            DELETE FROM action_record WHERE (run_id, step) IN (
                SELECT run_id, step FROM action_record WHERE at < \(cutoff) ORDER BY at LIMIT 1000)
            """, logger: logger)
    }

    /// A `pause` row (``pauseColumns``) as a pause, or why not: every value is checked, none trusted.
    static func pause(_ row: PostgresRow) -> Result<Pause, StoredRowError> {
        do {
            let (id, number, target, direction, mode, reason, by, since, until, liftedAt, liftedBy) = try row.decode(
                (String, Int64, String?, String, String, String, String, PostgresInstant, PostgresInstant?, PostgresInstant?,
                 String?).self
            )
            return StoredGuardrailRows.pause(id: id, number: number, target: target, direction: direction, mode: mode, reason: reason,
                                             by: by, since: since.date, until: until?.date, liftedAt: liftedAt?.date, liftedBy: liftedBy)
        } catch {
            return .failure(.pause("pause row", "its columns cannot be read (\(error))"))
        }
    }

    /// An `action_record` row (`run_id, step, playbook, target, at, dry_run`) as a record, or why not.
    static func action(_ row: PostgresRow) -> Result<ActionRecord, StoredRowError> {
        do {
            let (runID, step, playbook, target, at, dryRun) = try row.decode(
                (String, Int64, String, String?, PostgresInstant, Bool).self
            )
            return StoredGuardrailRows.action(runID: runID, step: step, playbook: playbook, target: target, at: at.date, dryRun: dryRun)
        } catch {
            return .failure(.action("?", -1, "its columns cannot be read (\(error))"))
        }
    }
}
