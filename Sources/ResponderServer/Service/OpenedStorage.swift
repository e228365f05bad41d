import Foundation
import Logging
import ResponderCore
import ResponderPostgres
import ResponderStore
import ServiceLifecycle

/// The store `responder serve` runs on, opened: the SQLite journal in the state folder, or the PostgreSQL database of
/// `database.url` that several replicas share.
struct OpenedStorage: Sendable {
    /// Every durable interface of the store.
    let store: any ResponderStorage
    /// The PostgreSQL store replicas share; nil for SQLite.
    let shared: PostgresStore?
    /// The SQLite journal of one process; nil for PostgreSQL.
    let journal: SQLiteJournal?
    /// Where the data lives, for the start-up line (a database URL without its password).
    let location: String
    /// The PostgreSQL connection pool, run as the first service of `serve`'s group so that it stops last; nil for
    /// SQLite, whose connection lives as long as the journal.
    let pool: (any Service)?

    /// Opens PostgreSQL when `database.url` is set (running its migrations), else the SQLite journal in `state`.
    static func open(config: ResponderConfig, state: StateDirectory, logger: Logger) async throws -> OpenedStorage {
        guard let url = config.database.url else {
            let journal = try SQLiteJournal(path: state.file("responder.sqlite"))
            return OpenedStorage(store: journal, shared: nil, journal: journal, location: "journal: \(journal.path)", pool: nil)
        }
        let store: PostgresStore
        do {
            store = try await PostgresStore.connect(
                url: url.value, logger: logger,
                operationTimeout: .milliseconds(Int64(config.database.operationTimeoutSeconds * 1000))
            )
        } catch {
            throw ConfigError("database.url: \(error)")
        }
        return OpenedStorage(store: store, shared: store, journal: nil, location: "store: PostgreSQL \(store.redactedURL)", pool: store)
    }

    /// Whether several replicas share the store (leases name each replica).
    var replicated: Bool { shared != nil }

    /// The run driver's store port: PostgreSQL itself, or the SQLite journal with its open (and recently ended, for
    /// `keepEnded`) runs loaded into memory.
    func runs(keepEnded: Duration) async throws(JournalError) -> any TransactionalRunStore {
        if let shared { return shared }
        guard let journal else { throw JournalError.unavailable("no store was opened") }
        return try await SQLiteRunTransactions(journal: journal, keepEnded: keepEnded, now: Date())
    }

    /// The name this replica uses in leases: `database.replica_id`, else host name, process id and a random suffix
    /// (a restarted container keeps its host name and often its pid).
    static func replicaID(config: ResponderConfig) -> String {
        if let configured = config.database.replicaID { return configured }
        let suffix = String(UInt16.random(in: .min ... .max), radix: 16)
        return "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }
}

extension PostgresStore: ActionTokenLedger {}
