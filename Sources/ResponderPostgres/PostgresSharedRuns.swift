import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

extension PostgresStore: TransactionalRunStore {
    /// Locks the runs of `scope`, hands them to `body` and writes its outcome, all in one transaction; see
    /// ``TransactionalRunStore/transact(_:owner:now:lease:_:)``. Times compare against `now`, not the server's clock.
    public func transact<Result: Sendable>(
        _ scope: RunScope, owner: String, now: Date, lease: Duration,
        _ body: @escaping @Sendable (RunTransactionView) -> RunTransactionOutcome<Result>
    ) async throws(JournalError) -> Result {
        let logger = self.logger
        let unreadable = self.unreadable
        let at = PostgresInstant(now)
        let leaseUntil = now.addingTimeInterval(lease.timeInterval)
        return try await transaction("run a transaction on \(Self.describe(scope))") { connection in
            var view = try await Self.lock(scope, at: at, unreadable: unreadable, on: connection, logger: logger)
            // After the scope's locks, in every scope: the ledger lock is always taken last.
            (view.pauses, view.actions) = try await Self.guardrails(at: at.date, unreadable: unreadable, on: connection, logger: logger)
            let outcome = body(view)
            let encoder = RunRows.encoder()
            for run in outcome.save {
                let running = run.steps.contains { $0.status == .running }
                // A step another replica is running keeps that replica's lease: only steps started here are leased here.
                let startedHere = outcome.started?.contains(run.id) ?? true
                try await Self.upsert(run, encoder: encoder, updatedAt: now, lease: running ? (owner, leaseUntil) : nil,
                                      keepLease: running && !startedHere, on: connection, logger: logger)
            }
            for item in outcome.notifications {
                try await Self.insert(item, on: connection, logger: logger)
            }
            if !outcome.processedAlerts.isEmpty {
                try await connection.query("""
                    UPDATE alert SET processed_at = \(at)
                    WHERE idempotency_key = ANY(\(outcome.processedAlerts)) AND processed_at IS NULL
                    """, logger: logger)
            }
            try await Self.record(outcome.actions, at: now, on: connection, logger: logger)
            return outcome.result
        }
    }

    /// Extends `owner`'s leases on `runIDs` to `now + lease`; runs another replica holds, or none, are left alone. Rows
    /// are locked in the order an alert batch locks them, so the two cannot deadlock.
    public func renewLeases(owner: String, runIDs: [String], now: Date, lease: Duration) async throws(JournalError) {
        guard !runIDs.isEmpty else { return }
        let until = PostgresInstant(now.addingTimeInterval(lease.timeInterval))
        try await execute("renew the leases of \(runIDs.count) run(s)", """
            UPDATE run SET lease_until = \(until)
            WHERE id IN (SELECT id FROM run WHERE id = ANY(\(runIDs)) AND lease_owner = \(owner)
                         ORDER BY started_at, number, id FOR UPDATE)
            """)
    }

    /// The earliest due step of a free open run or lease expiry of a held one; nil when no open run will need attention.
    public func nextAttention() async throws(JournalError) -> Date? {
        let rows = try await rows("read when runs next need attention", """
            SELECT min(CASE WHEN lease_owner IS NOT NULL THEN lease_until ELSE due_at END)
            FROM run WHERE status IN ('active', 'held')
            """)
        return try decode("read when runs next need attention") { try rows.first?.decode(PostgresInstant?.self)?.date }
    }

    /// Open runs by status (`run_by_status`) and runs ended at or after `endedSince` by status (`run_by_ended_at`).
    public func runCounts(endedSince: Date) async throws(JournalError) -> RunCounts {
        let rows = try await rows("count runs", """
            SELECT status, count(*)::bigint FROM run WHERE status IN ('active', 'held') GROUP BY status
            UNION ALL
            SELECT status, count(*)::bigint FROM run WHERE ended_at >= \(PostgresInstant(endedSince)) GROUP BY status
            """)
        return try decode("count runs") {
            var counts = RunCounts()
            for row in rows {
                let (status, count) = try row.decode((String, Int).self)
                guard let status = RunStatus(rawValue: status) else { continue }
                counts.byStatus[status, default: 0] += count
            }
            return counts
        }
    }

    /// Takes the locks of `scope` and reads what its transaction sees of the runs (``guardrails(at:unreadable:on:logger:)``
    /// adds the pauses and actions).
    private static func lock(_ scope: RunScope, at now: PostgresInstant, unreadable: UnreadableRuns,
                             on connection: PostgresConnection, logger: Logger) async throws -> RunTransactionView {
        switch scope {
        case .alerts(let endedSince, let candidates, let footprint):
            // One alert batch at a time across replicas: the next one sees the runs (and run numbers) this one creates.
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.alertLock))", logger: logger)
            let runs = try PostgresRows.runs(try await connection.query("""
                SELECT id, body FROM run
                WHERE (status IN ('active', 'held')
                       AND (alert_fingerprint = ANY(\(footprint.fingerprints.sorted())) OR target_list && \(footprint.targets.sorted())))
                   OR (ended_at >= \(PostgresInstant(endedSince)) AND playbook = ANY(\(footprint.playbooks.sorted())))
                ORDER BY started_at, number, id FOR UPDATE
                """, logger: logger).collect(), unreadable: unreadable)
            let highest = try await connection.query("SELECT coalesce(max(number), 0) FROM run", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
            var unprocessed: [String] = []
            if !candidates.isEmpty {
                for try await key in try await connection.query("""
                    SELECT idempotency_key FROM alert WHERE idempotency_key = ANY(\(candidates)) AND processed_at IS NULL ORDER BY id
                    """, logger: logger).decode(String.self) {
                    unprocessed.append(key)
                }
            }
            return RunTransactionView(runs: runs, highestRunNumber: highest, unprocessedAlerts: unprocessed)
        case .run(let id):
            let rows = try await connection.query("SELECT id, body FROM run WHERE id = \(id) FOR UPDATE", logger: logger).collect()
            return RunTransactionView(runs: try PostgresRows.runs(rows, unreadable: unreadable))
        case .due(let limit):
            let rows = try await connection.query("""
                SELECT id, body FROM run
                WHERE status IN ('active', 'held')
                  AND ((lease_owner IS NULL AND due_at <= \(now)) OR lease_until < \(now))
                ORDER BY coalesce(lease_until, due_at), id
                LIMIT \(max(0, limit))
                FOR UPDATE SKIP LOCKED
                """, logger: logger).collect()
            let runs = try PostgresRows.runs(rows, unreadable: unreadable).sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
            return RunTransactionView(runs: runs)
        }
    }

    private static func describe(_ scope: RunScope) -> String {
        switch scope {
        case .alerts: return "runs for an alert batch"
        case .run(let id): return "run \(id)"
        case .due: return "due runs"
        }
    }
}
