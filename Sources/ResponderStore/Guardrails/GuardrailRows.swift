import Foundation
import GRDB
import ResponderCore

/// Conversions between the journal's `pause` and `action_record` rows and pauses and action records. Rows are read
/// through ``SQLiteColumns``: SQLite stores any value in any column, and GRDB's typed subscripts trap on a value of
/// the wrong type.
enum GuardrailRows {
    /// Pauses of the rows `sql` selects (all columns of `pause`); unusable rows are reported to `unreadable` and skipped.
    static func pauses(_ db: Database, sql: String, arguments: StatementArguments = [], unreadable: UnreadableRuns) throws -> [Pause] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in pause(row).reported(to: unreadable) }
    }

    /// Action records of the rows `sql` selects (all columns of `action_record`); unusable rows are reported and skipped.
    static func actions(_ db: Database, sql: String, arguments: StatementArguments = [],
                        unreadable: UnreadableRuns) throws -> [ActionRecord] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in action(row).reported(to: unreadable) }
    }

    /// A `pause` row as a pause, or why not.
    static func pause(_ row: Row) -> Result<Pause, StoredRowError> {
        let columns = SQLiteColumns(row: row)
        let id = (try? columns.text("id")) ?? "pause with an unreadable id"
        do {
            return StoredGuardrailRows.pause(
                id: id, number: try columns.integer("number"), target: try columns.optionalText("target"),
                direction: try columns.text("direction"), mode: try columns.text("mode"), reason: try columns.text("reason"),
                by: try columns.text("created_by"), since: try columns.date("since"), until: try columns.optionalDate("until"),
                liftedAt: try columns.optionalDate("lifted_at"), liftedBy: try columns.optionalText("lifted_by")
            )
        } catch {
            return .failure(.pause(id, "\(error)"))
        }
    }

    /// An `action_record` row as a record, or why not.
    static func action(_ row: Row) -> Result<ActionRecord, StoredRowError> {
        let columns = SQLiteColumns(row: row)
        let runID = (try? columns.text("run_id")) ?? "?"
        let step = (try? columns.integer("step")) ?? -1
        do {
            return StoredGuardrailRows.action(
                runID: runID, step: try columns.integer("step"), playbook: try columns.text("playbook"),
                target: try columns.optionalText("target"), at: try columns.date("at"), dryRun: try columns.bool("dry_run")
            )
        } catch {
            return .failure(.action(runID, step, "\(error)"))
        }
    }

    /// Inserts `action`, or moves the time of the record of its run and step; the caller provides the transaction.
    static func upsert(_ action: ActionRecord, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO action_record (run_id, step, playbook, target, at, dry_run) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(run_id, step) DO UPDATE SET
                    playbook = excluded.playbook, target = excluded.target, at = excluded.at, dry_run = excluded.dry_run
                """,
            arguments: [action.runID, action.step, action.playbook, action.target, RFC3339.format(action.at), action.dryRun]
        )
    }

    /// Deletes up to 1,000 records older than `cutoff`, oldest first (through the index on `at`), so a write never
    /// pays for a long backlog at once; the caller provides the transaction.
    static func forget(before cutoff: Date, in db: Database) throws {
        try db.execute(
            sql: "DELETE FROM action_record WHERE rowid IN (SELECT rowid FROM action_record WHERE at < ? ORDER BY at LIMIT 1000)",
            arguments: [RFC3339.format(cutoff)]
        )
    }
}

/// Typed reads of a row's columns that fail with a message naming the column instead of trapping.
struct SQLiteColumns {
    /// The row.
    let row: Row

    /// Text, nil for NULL.
    func optionalText(_ column: String) throws(ColumnError) -> String? {
        let value: DatabaseValue = row[column]
        if value.isNull { return nil }
        guard case .string(let text) = value.storage else { throw ColumnError(column: column, expected: "text") }
        return text
    }

    /// Text that must be there.
    func text(_ column: String) throws(ColumnError) -> String {
        guard let text = try optionalText(column) else { throw ColumnError(column: column, expected: "text") }
        return text
    }

    /// An integer that must be there.
    func integer(_ column: String) throws(ColumnError) -> Int64 {
        let value: DatabaseValue = row[column]
        guard case .int64(let number) = value.storage else { throw ColumnError(column: column, expected: "an integer") }
        return number
    }

    /// 0 or 1.
    func bool(_ column: String) throws(ColumnError) -> Bool {
        switch try integer(column) {
        case 0: return false
        case 1: return true
        default: throw ColumnError(column: column, expected: "0 or 1")
        }
    }

    /// An RFC 3339 time, nil for NULL.
    func optionalDate(_ column: String) throws(ColumnError) -> Date? {
        guard let text = try optionalText(column) else { return nil }
        guard let date = RFC3339.parse(text) else { throw ColumnError(column: column, expected: "an RFC 3339 time") }
        return date
    }

    /// An RFC 3339 time that must be there.
    func date(_ column: String) throws(ColumnError) -> Date {
        guard let date = try optionalDate(column) else { throw ColumnError(column: column, expected: "an RFC 3339 time") }
        return date
    }
}

/// A column whose value is not of the type the schema gives it.
struct ColumnError: Error, CustomStringConvertible {
    /// The column.
    var column: String
    /// What it should hold.
    var expected: String

    /// `its run_id is not text`.
    var description: String { "its \(column) is not \(expected)" }
}
