import Foundation
import GRDB
import ResponderCore

/// The alert journal in a SQLite file (WAL mode, `synchronous=FULL` so a committed delivery survives power loss).
public final class SQLiteJournal: AlertJournal {
    /// Location of the database file.
    public let path: String
    /// Connections to the file, shared with the run store and the recording executor (one file, one WAL).
    let pool: DatabasePool
    /// Stored runs skipped because they cannot be used.
    let unreadable = UnreadableRuns()
    /// Concurrent deliveries, committed together.
    private let deliveries: GroupCommit<PreparedDelivery, JournalReceipt>

    /// Opens (creating if needed) the journal at `path` and applies pending migrations.
    ///
    /// - Parameter busyTimeout: how long a write waits for another writer's lock before failing as unavailable.
    public init(path: String, busyTimeout: TimeInterval = 5) throws(JournalError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB switches the writer to WAL with `synchronous = NORMAL` after `prepareDatabase` ran, and NORMAL does
            // not sync the WAL at each commit: an answered delivery could be lost to a power cut. FULL is set again
            // here, on the one connection that writes.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.enableIncrementalVacuumIfNew(pool)
            try JournalSchema.migrator.migrate(pool)
            self.pool = pool
            deliveries = GroupCommit()
        } catch let error as JournalError {
            throw error
        } catch {
            throw Self.map(error, doing: "open the journal at \(path)")
        }
    }

    /// Lets a new, empty database give deleted pages back to the file system (``reclaimSpace()``). It must be set
    /// before the first table; the pool already switched the file to WAL, so the setting takes a VACUUM, instant on
    /// an empty file. An existing database keeps its mode: turning it on there rewrites the whole file (twice its
    /// size on disk, the write lock held throughout), which docs/operations.md leaves to the operator, offline.
    private static func enableIncrementalVacuumIfNew(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0 else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM")
        }
    }

    /// Stores the delivery and its new alerts, durably, before returning. Deliveries made at the same time share one
    /// transaction (``GroupCommit``), each in its own savepoint, so one fsync commits them all and a failed one does not
    /// undo the others. (Callers that can skip work for a duplicate ask ``duplicateReceipt(_:alerts:)`` first.)
    public func record(
        _ delivery: Delivery,
        alerts: [NormalizedAlert],
        plans: [String: String]
    ) async throws(JournalError) -> JournalReceipt {
        let prepared: PreparedDelivery
        do {
            prepared = try PreparedDelivery(delivery, alerts: alerts, plans: plans)
        } catch {
            throw Self.map(error, doing: "record a delivery")
        }
        let slot = deliveries.enqueue(prepared)
        let deliveries = self.deliveries
        do {
            try await pool.writeWithoutTransaction { db in
                // Whatever is queued goes in; repeated until this caller's own write is done (the queue may hold more
                // than one batch ahead of it).
                while slot.result == nil {
                    let batch = deliveries.take()
                    if batch.isEmpty { break }
                    Self.commit(batch, in: db)
                }
            }
        } catch {
            if deliveries.withdraw(slot) { throw Self.map(error, doing: "record a delivery") }
        }
        guard let result = slot.result else { throw JournalError.unavailable("could not record a delivery: it was not committed") }
        return try result.get()
    }

    /// The receipt of a delivery that stores nothing, from a read (no write lock); nil when it may hold something new.
    public func duplicateReceipt(_ delivery: Delivery, alerts: [NormalizedAlert]) async throws(JournalError) -> JournalReceipt? {
        do {
            return try await pool.read { db in try JournalWriter(db: db).duplicateReceipt(delivery, alerts: alerts) }
        } catch {
            throw Self.map(error, doing: "record a delivery")
        }
    }

    /// Deliveries waiting for their group commit now.
    public var queuedDeliveries: Int { deliveries.statistics.queued }

    /// Transactions that recorded deliveries and the deliveries they held, since the journal opened.
    public var groupCommitStatistics: (transactions: Int, deliveries: Int) {
        let (batches, writes, _) = deliveries.statistics
        return (batches, writes)
    }

    /// The most recent alerts, newest first.
    public func recentAlerts(limit: Int) async throws(JournalError) -> [JournaledAlert] {
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM alert ORDER BY id DESC LIMIT ?",
                    arguments: [max(0, limit)]
                )
                return try rows.map(JournalRows.alert)
            }
        } catch {
            throw Self.map(error, doing: "read alerts")
        }
    }

    /// Deliveries stored, newest first (for operators and tests).
    public func recentDeliveries(limit: Int) async throws(JournalError) -> [(id: Int64, delivery: Delivery)] {
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM delivery ORDER BY id DESC LIMIT ?",
                    arguments: [max(0, limit)]
                )
                return try rows.map(JournalRows.delivery)
            }
        } catch {
            throw Self.map(error, doing: "read deliveries")
        }
    }

    /// Commits `batch` in one transaction, each write in a savepoint: a write that fails is rolled back alone; a
    /// commit that fails fails them all. Every slot has its result when this returns.
    private static func commit(_ batch: [GroupCommit<PreparedDelivery, JournalReceipt>.Slot], in db: Database) {
        var results: [Result<JournalReceipt, JournalError>] = []
        do {
            try db.inTransaction(.immediate) {
                results = batch.map { slot -> Result<JournalReceipt, JournalError> in
                    do {
                        var receipt = JournalReceipt(deliveryID: nil, newAlerts: 0, duplicateAlerts: 0, duplicateDelivery: true)
                        try db.inSavepoint {
                            receipt = try JournalWriter(db: db).record(slot.work)
                            return .commit
                        }
                        return .success(receipt)
                    } catch {
                        return .failure(map(error, doing: "record a delivery"))
                    }
                }
                return .commit
            }
        } catch {
            results = Array(repeating: .failure(map(error, doing: "record a delivery")), count: batch.count)
        }
        for (slot, result) in zip(batch, results) { slot.finish(result) }
    }

    /// The writer's `PRAGMA synchronous` level (2 is FULL: every commit is synced before it returns).
    public func synchronousLevel() async throws(JournalError) -> Int {
        do {
            return try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        } catch {
            throw Self.map(error, doing: "read the synchronous level")
        }
    }

    /// Takes the write lock and releases it without changing anything.
    public func checkWritable() async throws(JournalError) {
        do {
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
        } catch {
            throw Self.map(error, doing: "check that the journal is writable")
        }
    }

    /// Runs `body` in a read transaction; errors say what was being done.
    func read<T: Sendable>(_ doing: String, _ body: @Sendable @escaping (Database) throws -> T) async throws(JournalError) -> T {
        do { return try await pool.read(body) } catch { throw Self.map(error, doing: doing) }
    }

    /// Runs `body` in a write transaction; errors say what was being done.
    func write<T: Sendable>(_ doing: String, _ body: @Sendable @escaping (Database) throws -> T) async throws(JournalError) -> T {
        do { return try await pool.write(body) } catch { throw Self.map(error, doing: doing) }
    }

    /// Maps GRDB errors to journal errors that say what failed; corrupt files are incompatible, the rest unavailable (a
    /// full disk says so, since freeing space is what brings it back).
    static func map(_ error: any Error, doing action: String) -> JournalError {
        if let error = error as? JournalError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return .incompatible("could not \(action): the database file is damaged or not SQLite (\(error.resultCode))")
            case .SQLITE_FULL:
                return .unavailable("could not \(action): the disk holding the journal is full (SQLITE_FULL); free space "
                    + "on it or grow the volume, writes resume by themselves")
            default:
                return .unavailable("could not \(action): SQLite \(error.resultCode) \(error.message ?? "")")
            }
        }
        return .unavailable("could not \(action): \(error)")
    }
}

