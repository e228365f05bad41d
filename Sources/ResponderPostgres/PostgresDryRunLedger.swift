import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

extension PostgresStore: DryRunLedger {
    /// Checks and inserts in one transaction under a lock on (run, step), so replicas executing the same step at once
    /// record it once: the first gets its result, the others nil. The unique index on (run, step) backs this up.
    public func recordOnce<Result: Sendable>(
        runID: String, step: Int, _ render: @escaping @Sendable (AlertTemplate?) -> (call: RecordedCall?, result: Result)
    ) async throws(JournalError) -> Result? {
        let logger = self.logger
        return try await transaction("record step \(step) of \(runID)") { connection -> Result? in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtextextended(\("executor_call:\(runID)/\(step)"), 0))", logger: logger
            )
            let recorded = try await connection.query(
                "SELECT 1 FROM executor_call WHERE run_id = \(runID) AND step = \(step)", logger: logger
            ).collect()
            if !recorded.isEmpty { return nil }
            let (call, result) = render(try await Self.template(forRun: runID, on: connection, logger: logger))
            guard let call else { return result }
            let inserted = try await connection.query("""
                INSERT INTO executor_call (run_id, step, attempt, idempotency_key, target, action, value, request, recorded_at)
                VALUES (\(call.runID), \(call.step), \(call.attempt), \(call.idempotencyKey), \(call.target), \(call.action),
                        \(call.value), \(call.request), \(PostgresInstant(call.recordedAt)))
                ON CONFLICT DO NOTHING RETURNING id
                """, logger: logger).collect()
            return inserted.isEmpty ? nil : result
        }
    }

    /// The last recorded scale of each target that has one; a stored value outside ``Limits/replicas`` (a damaged row)
    /// counts as none, so it never reaches a plan.
    public func lastScaled(targets: [String]) async throws(JournalError) -> [String: Int] {
        guard !targets.isEmpty else { return [:] }
        let rows = try await rows("read recorded scales", """
            SELECT DISTINCT ON (target) target, value FROM executor_call
            WHERE target = ANY(\(Array(Set(targets)))) AND action = 'scale' AND value IS NOT NULL
            ORDER BY target, id DESC
            """)
        return try decode("read recorded scales") {
            var counts: [String: Int] = [:]
            for row in rows {
                let (target, value) = try row.decode((String, Int).self)
                if Limits.replicas.contains(value) { counts[target] = value }
            }
            return counts
        }
    }

    /// Recorded calls in the order they were made, of one run or of all.
    public func recordedCalls(runID: String?) async throws(JournalError) -> [RecordedCall] {
        let query: PostgresQuery = if let runID {
            "SELECT \(unescaped: PostgresRows.callColumns) FROM executor_call WHERE run_id = \(runID) ORDER BY id"
        } else {
            "SELECT \(unescaped: PostgresRows.callColumns) FROM executor_call ORDER BY id"
        }
        let rows = try await rows("read recorded executor calls", query)
        return try decode("read recorded executor calls") { try rows.map(PostgresRows.recordedCall) }
    }

    /// The alert run `runID` was started by, as a template context (its firing version when there is one); nil when
    /// the run or its alert is not stored or the store cannot be read.
    public func alertTemplate(forRun runID: String) async -> AlertTemplate? {
        let logger = self.logger
        return try? await withTimedConnection { connection in
            try await Self.template(forRun: runID, on: connection, logger: logger)
        }
    }

    /// The alert the run was started by, as a template context, when both the run and its alert are stored.
    static func template(forRun runID: String, on connection: PostgresConnection, logger: Logger) async throws -> AlertTemplate? {
        let runs = try await connection.query(
            "SELECT playbook, alert_fingerprint FROM run WHERE id = \(runID)", logger: logger
        ).collect()
        guard let (playbook, fingerprint) = try runs.first?.decode((String, String).self) else { return nil }
        // Prefer the firing alert: its labels are the ones the playbook matched.
        let alerts = try await connection.query("""
            SELECT \(unescaped: PostgresRows.alertColumns) FROM alert WHERE fingerprint = \(fingerprint)
            ORDER BY status = 'firing' DESC, id DESC LIMIT 1
            """, logger: logger).collect()
        guard let row = alerts.first, let alert = try? PostgresRows.alert(row) else { return nil }
        return AlertTemplate(alert: alert.alert, playbook: playbook)
    }
}
