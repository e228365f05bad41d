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
        try await readRuns(doing: "read run \(id)", sql: "SELECT id, body FROM run WHERE id = ?", arguments: [id]).first
    }

    /// The `limit` most recently started runs, newest first.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] {
        try await readRuns(
            doing: "read recent runs",
            sql: "SELECT id, body FROM run ORDER BY started_at DESC, rowid DESC LIMIT ?",
            arguments: [max(0, limit)]
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

    private func readRuns(doing action: String, sql: String, arguments: StatementArguments) async throws(JournalError) -> [Run] {
        do {
            return try await pool.read { db in try RunRows.fetch(db, sql: sql, arguments: arguments) }
        } catch {
            throw Self.map(error, doing: action)
        }
    }
}

extension SQLiteJournal {
    /// The alert run `runID` was started by, as a template context (its firing version when there is one); nil when
    /// the run or its alert is not in the file or the file cannot be read.
    public func alertTemplate(forRun runID: String) async -> AlertTemplate? {
        try? await pool.read { db in try DryRunCall.template(forRun: runID, in: db) }
    }
}
