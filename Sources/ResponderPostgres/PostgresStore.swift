import Foundation
import Logging
import PostgresNIO
import ResponderCore

/// The store several `responder serve` replicas share: alert journal, backlog, runs with leases, notification outbox,
/// Slack threads, action-link nonces and the dry-run ledger, in one PostgreSQL database. Every change is one
/// transaction; rows other replicas may change at the same time are locked or claimed, never read-then-written blind.
public final class PostgresStore: Sendable {
    /// Where the store connects, as parsed from its URL.
    public let url: PostgresURL
    /// How long a claimed notification is hidden from other replicas while this one delivers it.
    public let outboxClaim: Duration
    /// The connection pool; its `run()` is the task ``close()`` cancels.
    let client: PostgresClient
    /// Where queries and the pool log.
    let logger: Logger
    /// Stored runs skipped because they cannot be used.
    let unreadable = UnreadableRuns()
    private let runner: Task<Void, Never>

    /// The URL with its password replaced by `***`, for the startup line.
    public var redactedURL: String { url.redacted }

    private init(url: PostgresURL, client: PostgresClient, logger: Logger, outboxClaim: Duration) {
        self.url = url
        self.client = client
        self.logger = logger
        self.outboxClaim = outboxClaim
        runner = Task { await client.run() }
    }

    /// Parses `url`, checks the server can be reached with it, applies pending migrations and starts the connection
    /// pool. Errors say what to fix and never contain the password.
    ///
    /// - Parameter outboxClaim: how long a notification handed out by ``dueNotifications(now:limit:)`` stays hidden
    ///   from other replicas (and from this one) unless it is marked delivered, retried or failed first.
    public static func connect(url text: String, logger: Logger, outboxClaim: Duration = .seconds(60)) async throws(JournalError) -> PostgresStore {
        let url = try PostgresURL(parsing: text)
        try await PostgresSchema.migrate(url: url, logger: logger)
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: PostgresTLS.client(url)
        )
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 20
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return PostgresStore(url: url, client: client, logger: logger, outboxClaim: outboxClaim)
    }

    /// Stops the connection pool; the store cannot be used afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    // MARK: Queries

    /// Runs `body` in one transaction on one pooled connection: commits when it returns, rolls back when it throws.
    /// A deadlock or serialization failure is retried (twice), so `body` must not have effects outside the database.
    func transaction<T: Sendable>(
        _ action: String, _ body: (PostgresConnection) async throws -> T
    ) async throws(JournalError) -> T {
        try await conditionalTransaction(action) { connection in (try await body(connection), true) }
    }

    /// Like ``transaction(_:_:)``, but `body` also says whether to commit (true) or roll back (false) what it did.
    func conditionalTransaction<T: Sendable>(
        _ action: String, _ body: (PostgresConnection) async throws -> (value: T, commit: Bool)
    ) async throws(JournalError) -> T {
        let logger = self.logger
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        // A replica whose host vanishes mid-transaction must not hold its locks (every alert batch
                        // waits on them) until TCP notices: the server ends such a transaction after 60 s. Set per
                        // transaction, not as start-up parameters, which PgBouncer refuses.
                        try await connection.query("""
                            SELECT set_config('idle_in_transaction_session_timeout', '60s', true),
                                   set_config('lock_timeout', '30s', true)
                            """, logger: logger)
                        let (value, commit) = try await body(connection)
                        try await connection.query(commit ? "COMMIT" : "ROLLBACK", logger: logger)
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch {
                // 40P01 deadlock, 40001 serialization failure: the server undid the transaction; running it again is safe.
                if attempt < 3, let state = PostgresErrors.sqlState(error), state == "40P01" || state == "40001" {
                    continue
                }
                throw map(error, doing: action)
            }
        }
    }

    /// The rows `query` returns, outside any explicit transaction.
    func rows(_ action: String, _ query: PostgresQuery) async throws(JournalError) -> [PostgresRow] {
        do {
            return try await client.query(query, logger: logger).collect()
        } catch {
            throw map(error, doing: action)
        }
    }

    /// Runs a statement that returns nothing of interest, outside any explicit transaction.
    func execute(_ action: String, _ query: PostgresQuery) async throws(JournalError) {
        _ = try await rows(action, query)
    }

    /// A journal error saying what was being done and what the server said, without the password.
    func map(_ error: any Error, doing action: String) -> JournalError {
        PostgresErrors.map(error, doing: action, url: url)
    }
}
