import Foundation
import GRDB
import ResponderCore

extension SQLiteJournal: DryRunLedger {
    /// Checks and inserts in one write transaction, so a step is recorded once across crashes.
    public func recordOnce<Result: Sendable>(
        runID: String, step: Int, _ render: @escaping @Sendable (AlertTemplate?) -> (call: RecordedCall?, result: Result)
    ) async throws(JournalError) -> Result? {
        do {
            return try await pool.write { db -> Result? in
                let recorded = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM executor_call WHERE run_id = ? AND step = ?", arguments: [runID, step]
                ) == true
                if recorded { return nil }
                let (call, result) = render(try DryRunCall.template(forRun: runID, in: db))
                if let call {
                    try db.execute(
                        sql: """
                            INSERT INTO executor_call (run_id, step, attempt, idempotency_key, target, action, value, request, recorded_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [call.runID, call.step, call.attempt, call.idempotencyKey, call.target, call.action, call.value,
                                    call.request, RFC3339.format(call.recordedAt)]
                    )
                }
                return result
            }
        } catch {
            throw Self.map(error, doing: "record step \(step) of \(runID)")
        }
    }

    /// The last recorded scale of each target that has one; a stored value outside ``Limits/replicas`` (a damaged row)
    /// counts as none, so it never reaches a plan.
    public func lastScaled(targets: [String]) async throws(JournalError) -> [String: Int] {
        do {
            return try await pool.read { db -> [String: Int] in
                var counts: [String: Int] = [:]
                for target in Set(targets) {
                    let last = try Int.fetchOne(
                        db,
                        sql: """
                            SELECT value FROM executor_call WHERE target = ? AND action = 'scale' AND value IS NOT NULL
                            ORDER BY id DESC LIMIT 1
                            """,
                        arguments: [target]
                    )
                    if let last, Limits.replicas.contains(last) { counts[target] = last }
                }
                return counts
            }
        } catch {
            throw Self.map(error, doing: "read recorded scales")
        }
    }

    /// Recorded calls in the order they were made, of one run or of all.
    public func recordedCalls(runID: String?) async throws(JournalError) -> [RecordedCall] {
        do {
            return try await pool.read { db in
                let rows: [Row]
                if let runID {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM executor_call WHERE run_id = ? ORDER BY id", arguments: [runID])
                } else {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM executor_call ORDER BY id")
                }
                return rows.map(RecordedCall.init(row:))
            }
        } catch {
            throw Self.map(error, doing: "read recorded executor calls")
        }
    }

    /// The alert run `runID` was started by, as a template context (its firing version when there is one); nil when
    /// the run or its alert is not in the file or the file cannot be read.
    public func alertTemplate(forRun runID: String) async -> AlertTemplate? {
        try? await pool.read { db in try DryRunCall.template(forRun: runID, in: db) }
    }
}
