import Foundation
import PostgresNIO
import ResponderCore
import ResponderStore

extension PostgresStore: RunRepository {
    /// Inserts or replaces `runs` in one transaction, releasing any lease on them.
    public func save(_ runs: [Run]) async throws(JournalError) {
        try await save(runs, notifications: [])
    }

    /// Inserts or replaces `runs` (leases released, due at ``RunEngine/attention(_:)``) and queues `notifications` in
    /// one transaction: a run's change and what people are told about it are durable together.
    public func save(_ runs: [Run], notifications: [OutboundNotification]) async throws(JournalError) {
        guard !runs.isEmpty || !notifications.isEmpty else { return }
        let logger = self.logger
        let now = Date()
        try await transaction("save \(runs.count) run(s) and \(notifications.count) notification(s)") { connection in
            let encoder = RunRows.encoder()
            for run in runs {
                try await Self.upsert(run, encoder: encoder, updatedAt: now, lease: nil, on: connection, logger: logger)
            }
            for item in notifications {
                try await Self.insert(item, on: connection, logger: logger)
            }
        }
    }

    /// Runs with status `active` or `held`, oldest start first.
    public func openRuns() async throws(JournalError) -> [Run] {
        try await readRuns("read open runs", """
            SELECT id, body FROM run WHERE status IN ('active', 'held') ORDER BY started_at, number, id
            """)
    }

    /// The run with `id`, if stored.
    public func run(id: String) async throws(JournalError) -> Run? {
        try await readRuns("read run \(id)", "SELECT id, body FROM run WHERE id = \(id)", skipping: false).first
    }

    /// The `limit` most recently started runs, newest first.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] {
        try await readRuns("read recent runs", """
            SELECT id, body FROM run ORDER BY started_at DESC, number DESC, id DESC LIMIT \(max(0, limit))
            """)
    }

    /// The most recent runs of the alert with `fingerprint`, newest first.
    public func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run] {
        try await readRuns("read the runs of alert \(fingerprint)", """
            SELECT id, body FROM run WHERE alert_fingerprint = \(fingerprint)
            ORDER BY started_at DESC, number DESC, id DESC LIMIT \(max(0, limit))
            """)
    }

    /// Runs that ended at or after `since`, oldest end first.
    public func endedRuns(since: Date) async throws(JournalError) -> [Run] {
        try await readRuns("read ended runs", """
            SELECT id, body FROM run WHERE ended_at IS NOT NULL AND ended_at >= \(PostgresInstant(since))
            ORDER BY ended_at, number, id
            """)
    }

    /// Ended runs that pass `query`, newest start first (the target through `target_list`).
    public func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run] {
        let statuses = query.statusNames
        guard !statuses.isEmpty, query.limit > 0 else { return [] }
        return try await readRuns("read ended runs", """
            SELECT id, body FROM run WHERE ended_at IS NOT NULL AND status = ANY(\(statuses))
            AND (\(query.playbook)::text IS NULL OR playbook = \(query.playbook))
            AND (\(query.target)::text IS NULL OR \(query.target) = ANY(target_list))
            AND (\(query.endedSince.instant)::timestamptz IS NULL OR ended_at >= \(query.endedSince.instant))
            AND (\(query.endedBefore.instant)::timestamptz IS NULL OR ended_at < \(query.endedBefore.instant))
            ORDER BY started_at DESC, number DESC, id DESC LIMIT \(query.limit) OFFSET \(query.offset)
            """)
    }

    /// The highest `run-N` number stored, 0 when there is no run.
    public func highestRunNumber() async throws(JournalError) -> Int {
        let rows = try await rows("read the highest run number", "SELECT coalesce(max(number), 0) FROM run")
        return try decode("read the highest run number") { try rows.first?.decode(Int.self) ?? 0 }
    }

    /// Inserts or replaces `run`; the caller provides the transaction. A `lease` holds the run for its owner until
    /// then; without one the run is free and due at its next attention time.
    static func upsert(_ run: Run, encoder: JSONEncoder, updatedAt: Date, lease: (owner: String, until: Date)?,
                       keepLease: Bool = false, on connection: PostgresConnection, logger: Logger) async throws {
        let body = String(decoding: try encoder.encode(run), as: UTF8.self)
        let targets = String(decoding: try encoder.encode(run.targets), as: UTF8.self)
        let number = RunEngine.number(ofRunID: run.id) ?? 0
        try await connection.query("""
            INSERT INTO run (id, number, playbook, kind, status, started_at, ended_at, alert_fingerprint, targets, target_list, body,
                             updated_at, due_at, lease_owner, lease_until)
            VALUES (\(run.id), \(number), \(run.playbook), \(run.kind.rawValue), \(run.status.rawValue),
                    \(PostgresInstant(run.startedAt)), \(run.endedAt.instant), \(run.alertFingerprint), \(targets), \(run.targets), \(body),
                    \(PostgresInstant(updatedAt)), \(RunEngine.attention(run).instant), \(lease?.owner), \(lease.map { PostgresInstant($0.until) }))
            ON CONFLICT (id) DO UPDATE SET
                number = excluded.number, playbook = excluded.playbook, kind = excluded.kind, status = excluded.status,
                started_at = excluded.started_at, ended_at = excluded.ended_at, alert_fingerprint = excluded.alert_fingerprint,
                targets = excluded.targets, target_list = excluded.target_list, body = excluded.body, updated_at = excluded.updated_at, due_at = excluded.due_at,
                lease_owner = CASE WHEN \(keepLease) THEN run.lease_owner ELSE excluded.lease_owner END,
                lease_until = CASE WHEN \(keepLease) THEN run.lease_until ELSE excluded.lease_until END
            """, logger: logger)
    }

    /// Runs skipped because their stored body cannot be used, by id, with why.
    public func unreadableRuns() async -> [String: String] {
        unreadable.all
    }

    /// Runs of the rows `query` selects (`id, body`); unusable ones are skipped (or, with `skipping` false, an error).
    func readRuns(_ action: String, _ query: PostgresQuery, skipping: Bool = true) async throws(JournalError) -> [Run] {
        let rows = try await rows(action, query)
        let unreadable = unreadable
        return try decode(action) { try PostgresRows.runs(rows, unreadable: unreadable, skipping: skipping) }
    }
}
