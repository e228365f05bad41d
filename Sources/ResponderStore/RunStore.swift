import Foundation
import GRDB
import ResponderCore

/// The run store: runs live in the journal's SQLite file (table `run`), so one file and one WAL serve alerts, runs
/// and recorded executor calls, with the journal's durability (WAL, `synchronous=FULL`).
public typealias SQLiteRunStore = SQLiteJournal

extension SQLiteJournal: RunRepository {
    /// Inserts or replaces `runs` in one transaction; returns once it is committed.
    public func save(_ runs: [Run]) async throws(JournalError) {
        guard !runs.isEmpty else { return }
        let encoder = RunRows.encoder()
        let now = Date()
        do {
            try await pool.write { db in
                for run in runs {
                    try RunRows.upsert(run, encoder: encoder, updatedAt: now, in: db)
                }
            }
        } catch {
            throw Self.map(error, doing: "save \(runs.count) run(s)")
        }
    }

    /// Runs with status `active` or `held`, oldest start first.
    public func openRuns() async throws(JournalError) -> [Run] {
        try await readRuns(
            doing: "read open runs",
            sql: "SELECT id, body FROM run WHERE status IN (?, ?) ORDER BY started_at, rowid",
            arguments: [RunStatus.active.rawValue, RunStatus.held.rawValue]
        )
    }

    /// The run with `id`, if stored.
    public func run(id: String) async throws(JournalError) -> Run? {
        try await readRuns(doing: "read run \(id)", sql: "SELECT id, body FROM run WHERE id = ?", arguments: [id], skipping: false).first
    }

    /// The `limit` most recently started runs, newest first.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] {
        try await readRuns(
            doing: "read recent runs",
            sql: "SELECT id, body FROM run ORDER BY started_at DESC, rowid DESC LIMIT ?",
            arguments: [max(0, limit)]
        )
    }

    /// The most recent runs of the alert with `fingerprint`, newest first.
    public func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run] {
        try await readRuns(
            doing: "read the runs of alert \(fingerprint)",
            sql: "SELECT id, body FROM run WHERE alert_fingerprint = ? ORDER BY started_at DESC, rowid DESC LIMIT ?",
            arguments: [fingerprint, max(0, limit)]
        )
    }

    /// Runs that ended at or after `since`, oldest end first.
    public func endedRuns(since: Date) async throws(JournalError) -> [Run] {
        // RFC 3339 UTC text with fixed-width fields sorts like the instants it names.
        try await readRuns(
            doing: "read ended runs",
            sql: "SELECT id, body FROM run WHERE ended_at IS NOT NULL AND ended_at >= ? ORDER BY ended_at, rowid",
            arguments: [RFC3339.format(since)]
        )
    }

    /// Ended runs that pass `query`, newest start first (the target through `json_each` over the stored list).
    public func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run] {
        let statuses = query.statusNames
        guard !statuses.isEmpty, query.limit > 0 else { return [] }
        let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
        var arguments = StatementArguments(statuses)
        arguments += [query.playbook, query.playbook, query.target, query.target,
                      query.endedSince.map(RFC3339.format), query.endedSince.map(RFC3339.format),
                      query.endedBefore.map(RFC3339.format), query.endedBefore.map(RFC3339.format), query.limit, query.offset]
        return try await readRuns(
            doing: "read ended runs",
            sql: """
                SELECT id, body FROM run WHERE ended_at IS NOT NULL AND status IN (\(marks))
                AND (? IS NULL OR playbook = ?)
                AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(run.targets) WHERE json_each.value = ?))
                AND (? IS NULL OR ended_at >= ?) AND (? IS NULL OR ended_at < ?)
                ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?
                """,
            arguments: arguments
        )
    }

    /// Open runs by status and runs ended at or after `endedSince` by status, from the status and end indexes.
    public func runCounts(endedSince: Date) async throws(JournalError) -> RunCounts {
        try await read("count runs") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT status, COUNT(*) AS n FROM run WHERE status IN ('active', 'held') GROUP BY status
                UNION ALL
                SELECT status, COUNT(*) AS n FROM run WHERE ended_at IS NOT NULL AND ended_at >= ? GROUP BY status
                """, arguments: [RFC3339.format(endedSince)])
            var counts = RunCounts()
            for row in rows {
                guard let status = RunStatus(rawValue: row["status"]) else { continue }
                counts.byStatus[status, default: 0] += row["n"] as Int
            }
            return counts
        }
    }

    /// The highest `run-N` number in the file, 0 when it holds no run.
    public func highestRunNumber() async throws(JournalError) -> Int {
        do {
            return try await pool.read { db in
                // SQLite casts an over-long number to Int64.max; the engine clamps it, so no id can overflow.
                try Int.fetchOne(db, sql: "SELECT max(CAST(substr(id, 5) AS INTEGER)) FROM run WHERE id LIKE 'run-%'") ?? 0
            }
        } catch {
            throw Self.map(error, doing: "read the highest run number")
        }
    }

    /// Runs skipped because their stored body cannot be used, by id, with why.
    public func unreadableRuns() async -> [String: String] {
        unreadable.all
    }

    private func readRuns(doing action: String, sql: String, arguments: StatementArguments,
                          skipping: Bool = true) async throws(JournalError) -> [Run] {
        let unreadable = unreadable
        do {
            return try await pool.read { db in
                try RunRows.fetch(db, sql: sql, arguments: arguments, unreadable: unreadable, skipping: skipping)
            }
        } catch {
            throw Self.map(error, doing: action)
        }
    }
}
