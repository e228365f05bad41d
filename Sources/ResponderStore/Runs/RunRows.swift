import Foundation
import GRDB
import ResponderCore

/// Conversions between `run` rows and runs. The row's `body` is the whole run as sorted-key JSON with RFC 3339
/// dates (millisecond precision, like every date in the journal); the other columns only serve the queries.
package enum RunRows {
    /// Encoder for run bodies.
    package static func encoder() -> JSONEncoder {
        RFC3339JSON.encoder([.sortedKeys])
    }

    /// Decoder for run bodies.
    package static func decoder() -> JSONDecoder {
        RFC3339JSON.decoder()
    }

    /// Inserts or replaces `run`; the caller provides the transaction.
    static func upsert(_ run: Run, encoder: JSONEncoder, updatedAt: Date, in db: Database) throws {
        let body = String(decoding: try encoder.encode(run), as: UTF8.self)
        let targets = String(decoding: try encoder.encode(run.targets), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO run (id, playbook, kind, status, started_at, ended_at, alert_fingerprint, targets, body, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    playbook = excluded.playbook, kind = excluded.kind, status = excluded.status,
                    started_at = excluded.started_at, ended_at = excluded.ended_at,
                    alert_fingerprint = excluded.alert_fingerprint, targets = excluded.targets,
                    body = excluded.body, updated_at = excluded.updated_at
                """,
            arguments: [
                run.id, run.playbook, run.kind.rawValue, run.status.rawValue, RFC3339.format(run.startedAt),
                run.endedAt.map(RFC3339.format), run.alertFingerprint, targets, body, RFC3339.format(updatedAt),
            ]
        )
    }

    /// Runs of the rows `sql` selects (it must select `id` and `body`). A body that cannot be decoded or fails
    /// ``Run/validate()`` is noted in `unreadable` and skipped, so one damaged row never hides the others; with
    /// `skipping` false (one run asked for by id) it is an error naming the run instead.
    static func fetch(_ db: Database, sql: String, arguments: StatementArguments = [], unreadable: UnreadableRuns,
                      skipping: Bool = true) throws -> [Run] {
        let decoder = decoder()
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            let id: String = row["id"]
            let body: String = row["body"]
            switch UnreadableRuns.check(id: id, { try decoder.decode(Run.self, from: Data(body.utf8)) }) {
            case .success(let run):
                return run
            case .failure(let error):
                unreadable.record(id, error.message)
                // Not a transient failure: say which run and why.
                if !skipping { throw JournalError.incompatible(error.message) }
                return nil
            }
        }
    }
}
