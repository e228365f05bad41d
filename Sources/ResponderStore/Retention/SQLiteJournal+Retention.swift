import Foundation
import GRDB
import ResponderCore

extension SQLiteJournal: RetentionStore {
    /// Pages given back to the file system per ``reclaimSpace()`` call (about 8 MiB of 4 KiB pages): a short write.
    static let reclaimPages = 2_000

    /// Deletes one batch of `kind` older than `cutoff`, oldest first, in one short write transaction.
    public func purge(_ kind: RetentionKind, before cutoff: Date, limit: Int) async throws(JournalError) -> Int {
        let cutoff = RFC3339.format(cutoff)
        let limit = max(1, limit)
        return try await write("delete old \(kind.rawValue)") { db in
            guard let statement = RetentionSQL.batch[kind] else {
                return try Self.purgeEndedRuns(db, cutoff: cutoff, limit: limit)
            }
            try db.execute(sql: statement, arguments: [cutoff, limit])
            return db.changesCount
        }
    }

    /// Deletes up to `limit` ended runs with their executor calls (but a target's last recorded scale), sent
    /// notifications and Slack message references.
    private static func purgeEndedRuns(_ db: Database, cutoff: String, limit: Int) throws -> Int {
        let ids = try String.fetchAll(db, sql: RetentionSQL.endedRuns, arguments: [cutoff, limit])
        guard !ids.isEmpty else { return 0 }
        let list = databaseQuestionMarks(count: ids.count)
        let arguments = StatementArguments(ids)
        try db.execute(sql: RetentionSQL.endedRunCalls(list), arguments: arguments)
        for table in ["outbox", "slack_message", "run"] {
            let column = table == "run" ? "id" : "run_id"
            try db.execute(sql: "DELETE FROM \(table) WHERE \(column) IN (\(list))", arguments: arguments)
        }
        return ids.count
    }

    /// Runs `PRAGMA incremental_vacuum` for a bounded number of pages when the file was created with
    /// `auto_vacuum = INCREMENTAL`; otherwise freed pages stay in the file and new rows reuse them.
    public func reclaimSpace() async throws(JournalError) {
        do {
            try await pool.writeWithoutTransaction { db in
                guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2 else { return }
                try db.execute(sql: "PRAGMA incremental_vacuum(\(Self.reclaimPages))")
            }
        } catch {
            throw Self.map(error, doing: "give freed space back")
        }
    }

    /// The database and WAL files' size, and the oldest record of each kind (index look-ups).
    public func footprint() async throws(JournalError) -> StoreFootprint {
        let oldest = try await read("read the oldest records") { db in
            var oldest: [RetentionKind: Date] = [:]
            for (kind, sql) in RetentionSQL.oldest {
                if let date = JournalRows.date(try String.fetchOne(db, sql: sql)) { oldest[kind] = date }
            }
            return oldest
        }
        let sizes = [path, path + "-wal"].compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? NSNumber)?.int64Value
        }
        return StoreFootprint(bytes: sizes.isEmpty ? nil : sizes.reduce(0, +), oldest: oldest)
    }
}
