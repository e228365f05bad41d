import Foundation
import Logging
import PostgresNIO
import ResponderCore
import ServiceLifecycle

/// The store several `responder serve` replicas share: alert journal, backlog, runs with leases, notification outbox,
/// Slack threads, action-link nonces, the dry-run ledger, pauses and the action ledger, in one PostgreSQL database. Every change is one
/// transaction; rows other replicas may change at the same time are locked or claimed, never read-then-written blind.
///
/// The store is a `Service`: ``run()`` keeps its connection pool until the service group shuts down (in `serve`, as
/// the first service of the group, so it stops last); afterwards queries fail. ``withConnected(url:logger:outboxClaim:operationTimeout:_:)``
/// runs it around a body for commands and tests.
///
/// While the database is unreachable every operation fails within ``operationTimeout`` (at once when the server
/// refuses connections), so a delivery is answered 503 and a timer retries at its next tick; when it answers again
/// the next operation connects (see ``PostgresConnectionPool``), with no restart.
public final class PostgresStore: Sendable, Service {
    /// Where the store connects, as parsed from its URL.
    public let url: PostgresURL
    /// How long a claimed notification is hidden from other replicas while this one delivers it.
    public let outboxClaim: Duration
    /// How long one operation (waiting for a connection, then its transaction) may take before it fails as
    /// unavailable: an unreachable or black-holed database must turn into a quick 503 and a retry, not a hang.
    public let operationTimeout: Duration
    /// The connections, opened on demand.
    let pool: PostgresConnectionPool
    /// Where queries and the pool log.
    let logger: Logger
    /// Stored runs skipped because they cannot be used.
    let unreadable = UnreadableRuns()

    /// The URL with its password replaced by `***`, for the startup line.
    public var redactedURL: String { url.redacted }

    private init(url: PostgresURL, pool: PostgresConnectionPool, logger: Logger, outboxClaim: Duration, operationTimeout: Duration) {
        self.url = url
        self.pool = pool
        self.logger = logger
        self.outboxClaim = outboxClaim
        self.operationTimeout = operationTimeout
    }

    /// Parses `url`, checks the server can be reached with it, applies pending migrations and makes the connection
    /// pool, which works once ``run()`` runs. Errors say what to fix and never contain the password.
    ///
    /// - Parameter outboxClaim: how long a notification handed out by ``dueNotifications(now:limit:)`` stays hidden
    ///   from other replicas (and from this one) unless it is marked delivered, retried or failed first.
    /// - Parameter operationTimeout: how long one operation may wait for a connection and run its transaction.
    public static func connect(
        url text: String, logger: Logger, outboxClaim: Duration = .seconds(60), operationTimeout: Duration = .milliseconds(1500)
    ) async throws(JournalError) -> PostgresStore {
        let url = try PostgresURL(parsing: text)
        try await PostgresSchema.migrate(url: url, logger: logger)
        // A connection attempt never outlasts the operation that needs it (nor 10 s, for long operation limits).
        let pool = try PostgresConnectionPool(url: url, connectTimeout: min(operationTimeout, .seconds(10)), logger: logger)
        return PostgresStore(
            url: url, pool: pool, logger: logger, outboxClaim: outboxClaim, operationTimeout: operationTimeout
        )
    }

    /// Keeps the connection pool until the service group shuts down gracefully or the task is cancelled, then closes
    /// its connections; the store cannot be used afterwards (queries fail). Call it once.
    public func run() async {
        await cancelWhenGracefulShutdown {
            // Sleeps until cancelled; the error that ends the sleep is the way out.
            try? await Task.sleep(for: .seconds(1_000_000_000))
        }
        pool.stop()
    }

    /// Connects (as ``connect(url:logger:outboxClaim:operationTimeout:)``), runs the pool while `body` runs, then stops it.
    public static func withConnected<T: Sendable>(
        url: String, logger: Logger, outboxClaim: Duration = .seconds(60), operationTimeout: Duration = .milliseconds(1500),
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let store = try await connect(url: url, logger: logger, outboxClaim: outboxClaim, operationTimeout: operationTimeout)
        return try await store.whileRunning { try await body(store) }
    }

    /// Runs the pool while `body` runs, then stops it: for a store made with ``connect(url:logger:outboxClaim:operationTimeout:)``
    /// outside a service group.
    public func whileRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await Self.whileRunning([self], body)
    }

    /// Runs the pools of `stores` (several replicas' stores in one process) while `body` runs, then stops them.
    public static func whileRunning<T: Sendable>(_ stores: [PostgresStore], _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { await store.run() } }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    // MARK: Queries

    /// Runs `body` in one transaction on one pooled connection: commits when it returns, rolls back when it throws
    /// (by closing the connection: the server rolls back, and no query is sent on a connection in an unknown state).
    /// A deadlock or serialization failure is retried (twice), so `body` must not have effects outside the database.
    func transaction<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(JournalError) -> T {
        try await conditionalTransaction(action) { connection in (try await body(connection), true) }
    }

    /// Like ``transaction(_:_:)``, but `body` also says whether to commit (true) or roll back (false) what it did.
    func conditionalTransaction<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> (value: T, commit: Bool)
    ) async throws(JournalError) -> T {
        let logger = self.logger
        var attempt = 0
        while true {
            attempt += 1
            do {
                // When anything throws, the pool closes the connection instead of sending ROLLBACK: the server rolls
                // back, and no query goes to a connection that may be closing (postgres-nio loses a query written
                // after its connection's handlers were removed, and its caller then waits forever).
                return try await withTimedConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    // A replica whose host vanishes mid-transaction must not hold its locks (every alert batch waits on
                    // them) until TCP notices: the server ends such a transaction after 60 s. Set per transaction, not
                    // as start-up parameters, which PgBouncer refuses.
                    try await connection.query("""
                        SELECT set_config('idle_in_transaction_session_timeout', '60s', true),
                               set_config('lock_timeout', '30s', true)
                        """, logger: logger)
                    let (value, commit) = try await body(connection)
                    try await connection.query(commit ? "COMMIT" : "ROLLBACK", logger: logger)
                    return value
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
        let logger = self.logger
        do {
            return try await withTimedConnection { connection in
                try await connection.query(query, logger: logger).collect()
            }
        } catch {
            throw map(error, doing: action)
        }
    }

    /// Runs `body` on a pooled connection within ``operationTimeout``, waiting for the connection included: the one way
    /// every query of the store reaches the server.
    func withTimedConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withinTimeout { [pool] in
            try await pool.withConnection { connection in
                try await Self.closingOnCancel(connection) { try await body(connection) }
            }
        }
    }

    /// Runs `operation`, cancelling it when it takes longer than ``operationTimeout``: waiting for a pooled connection
    /// ends at cancellation, and a query in flight ends because ``closingOnCancel(_:_:)`` closes its connection.
    private func withinTimeout<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = operationTimeout
        return try await withThrowingTaskGroup(of: TimedResult<T>.self) { group in
            group.addTask { .finished(try await operation()) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .timedOut
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .finished(let value)?: return value
            case .timedOut?, nil: throw PostgresOperationTimeout(timeout: timeout)
            }
        }
    }

    /// Runs `body`, closing `connection` if the task is cancelled meanwhile: postgres-nio does not abandon a query
    /// whose server stopped answering, but fails it at once when its connection closes.
    private static func closingOnCancel<T: Sendable>(
        _ connection: PostgresConnection, _ body: () async throws -> T
    ) async throws -> T {
        try await withTaskCancellationHandler {
            try await body()
        } onCancel: {
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
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
