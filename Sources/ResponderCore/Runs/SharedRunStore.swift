import Foundation

/// Which runs a shared-store transaction locks and hands to its body.
public enum RunScope: Sendable, Equatable {
    /// Takes the store-wide alert lock (one alert batch at a time across replicas), then locks every open run and the
    /// runs ended since `endedSince` (cooldowns). `candidates` are alert idempotency keys the caller wants handled; the
    /// view says which of them are still unprocessed.
    case alerts(endedSince: Date, candidates: [String])
    /// Locks one run, waiting for other writers of it.
    case run(id: String)
    /// Claims up to `limit` runs that need attention at `now`: their next step is due and no replica holds them, or
    /// the lease of the replica that held them has expired. Rows another transaction holds are skipped
    /// (`FOR UPDATE SKIP LOCKED`), so each due run goes to exactly one replica.
    case due(limit: Int)
}

/// What a shared-store transaction sees.
public struct RunTransactionView: Sendable {
    /// The runs the scope locked, oldest start first.
    public var runs: [Run]
    /// The highest run number ever stored (`run-N`), for new run ids; only read for ``RunScope/alerts(endedSince:candidates:)``.
    public var highestRunNumber: Int
    /// Of the scope's candidate alerts, those not yet processed (oldest first); empty for other scopes.
    public var unprocessedAlerts: [String]

    /// Creates a view.
    public init(runs: [Run], highestRunNumber: Int = 0, unprocessedAlerts: [String] = []) {
        self.runs = runs
        self.highestRunNumber = highestRunNumber
        self.unprocessedAlerts = unprocessedAlerts
    }
}

/// What a shared-store transaction writes, and what it returns to its caller.
public struct RunTransactionOutcome<Result: Sendable>: Sendable {
    /// Runs to insert or replace. A run with a step in status `running` that this transaction started (see
    /// `started`) is leased to the transaction's owner until `now + lease`; one whose running step was started
    /// elsewhere keeps its lease; any other run is released (its lease cleared) and becomes due at
    /// ``RunEngine/attention(_:)``.
    public var save: [Run]
    /// Ids of the runs on which this transaction started a step; nil counts every saved run with a running step.
    public var started: Set<String>?
    /// Notifications about the saved runs, queued in the same transaction.
    public var notifications: [OutboundNotification]
    /// Alert idempotency keys to mark processed in the same transaction.
    public var processedAlerts: [String]
    /// Handed back to the caller after the commit.
    public var result: Result

    /// Creates an outcome.
    public init(save: [Run] = [], started: Set<String>? = nil, notifications: [OutboundNotification] = [],
                processedAlerts: [String] = [], result: Result) {
        self.save = save
        self.started = started
        self.notifications = notifications
        self.processedAlerts = processedAlerts
        self.result = result
    }
}

/// A run store several `responder serve` processes share (PostgreSQL). Every change to runs is one transaction that
/// locks the runs it reads, lets the pure engine decide, and writes the result; steps are claimed with a lease, so a
/// due step runs on one replica, and a replica that dies mid-step has its runs taken over once the lease expires.
public protocol SharedRunStore: RunRepository {
    /// Runs `body` on the runs `scope` locks, inside one transaction, and commits what it returns (runs with their
    /// leases for `owner`, notifications, processed alerts). Nothing is written when the store fails; the body may
    /// then have run without effect, so it must be pure.
    func transact<Result: Sendable>(
        _ scope: RunScope, owner: String, now: Date, lease: Duration,
        _ body: @escaping @Sendable (RunTransactionView) -> RunTransactionOutcome<Result>
    ) async throws(JournalError) -> Result

    /// Extends `owner`'s leases on `runIDs` to `now + lease` (while their steps are still running); runs it no longer
    /// holds are left alone.
    func renewLeases(owner: String, runIDs: [String], now: Date, lease: Duration) async throws(JournalError)

    /// The earliest time any run needs attention (a due step or an expiring lease), nil when none will.
    func nextAttention() async throws(JournalError) -> Date?
}
