import Foundation

/// Which runs a store transaction locks and hands to its body.
public enum RunScope: Sendable, Equatable {
    /// Takes the store-wide alert lock (one alert batch at a time across replicas), then locks the runs the batch can
    /// touch (``RunFootprint``): open runs of its alerts or on its targets, and runs of its playbooks ended since
    /// `endedSince` (cooldowns, dedup windows). `candidates` are alert idempotency keys the caller wants handled; the
    /// view says which of them are still unprocessed.
    case alerts(endedSince: Date, candidates: [String], touching: RunFootprint)
    /// Locks one run, waiting for other writers of it.
    case run(id: String)
    /// Claims up to `limit` runs that need attention at `now`: their next step is due and no replica holds them, or
    /// the lease of the replica that held them has expired. Rows another transaction holds are skipped
    /// (`FOR UPDATE SKIP LOCKED`), so each due run goes to exactly one replica.
    case due(limit: Int)
}

/// What a store transaction sees.
public struct RunTransactionView: Sendable {
    /// The runs the scope locked, oldest start first.
    public var runs: [Run]
    /// The highest run number ever stored (`run-N`), for new run ids; only read for ``RunScope/alerts(endedSince:candidates:touching:)``.
    public var highestRunNumber: Int
    /// Of the scope's candidate alerts, those not yet processed (oldest first); empty for other scopes.
    public var unprocessedAlerts: [String]
    /// Pauses not lifted (the engine ignores those past their expiry), read in the transaction: a pause committed
    /// before it began stops the steps it would hand out.
    public var pauses: [Pause]
    /// Actions recorded since `now` minus ``Guardrails/actionHorizon``, for the blast-radius limits.
    public var actions: [ActionRecord]

    /// Creates a view.
    public init(runs: [Run], highestRunNumber: Int = 0, unprocessedAlerts: [String] = [], pauses: [Pause] = [],
                actions: [ActionRecord] = []) {
        self.runs = runs
        self.highestRunNumber = highestRunNumber
        self.unprocessedAlerts = unprocessedAlerts
        self.pauses = pauses
        self.actions = actions
    }
}

extension RunTransactionView {
    /// The pauses and recent actions the engine checks steps against.
    public var guardrails: Guardrails { Guardrails(pauses: pauses, actions: actions) }
}

/// What a store transaction writes, and what it returns to its caller.
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
    /// Actions handed out, recorded in the same transaction (one per run and step: a record for a step already
    /// recorded replaces it); records older than ``Guardrails/actionHorizon`` may be deleted.
    public var actions: [ActionRecord]
    /// Handed back to the caller after the commit.
    public var result: Result

    /// Creates an outcome.
    public init(save: [Run] = [], started: Set<String>? = nil, notifications: [OutboundNotification] = [],
                processedAlerts: [String] = [], actions: [ActionRecord] = [], result: Result) {
        self.save = save
        self.started = started
        self.notifications = notifications
        self.processedAlerts = processedAlerts
        self.actions = actions
        self.result = result
    }
}

/// The run driver's one store port, implemented by SQLite (one process, runs cached in memory) and PostgreSQL (several
/// replicas). Every change to runs is one transaction that locks the runs it reads, lets the pure engine decide, and
/// writes the result with its notifications and processed alerts; steps are claimed with a lease, so a due step runs
/// once, and a driver that dies mid-step has its runs taken over once the lease expires (at restart for SQLite).
public protocol TransactionalRunStore: RunRepository, AlertBacklog, PauseStore, RunCounting {
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

/// The runs an alert batch can touch, so a transaction reads those and not every open run: the engine joins, re-fires
/// or resolves open runs of the same alert (fingerprint), joins or preempts open runs on the same targets, and checks
/// cooldowns and dedup windows against ended runs of the same playbooks.
public struct RunFootprint: Sendable, Equatable {
    /// Fingerprints of the batch's alerts.
    public var fingerprints: Set<String>
    /// Targets of the playbooks the batch's alerts match.
    public var targets: Set<String>
    /// Names of the playbooks the batch's alerts match.
    public var playbooks: Set<String>

    /// Creates a footprint.
    public init(fingerprints: Set<String> = [], targets: Set<String> = [], playbooks: Set<String> = []) {
        self.fingerprints = fingerprints
        self.targets = targets
        self.playbooks = playbooks
    }

    /// The footprint of `alerts` against `set`.
    public init(alerts: [NormalizedAlert], set: PlaybookSet?) {
        var targets: Set<String> = []
        var playbooks: Set<String> = []
        for playbook in set?.playbooks ?? [] where alerts.contains(where: { PlaybookMatching.evaluate(playbook, alert: $0).matched }) {
            playbooks.insert(playbook.name)
            targets.formUnion(playbook.targets)
        }
        self.init(fingerprints: Set(alerts.map(\.fingerprint)), targets: targets, playbooks: playbooks)
    }

    /// Whether the batch can touch `run`: open and of one of its alerts or on one of its targets, or of one of its
    /// playbooks and ended at or after `endedSince`.
    public func covers(_ run: Run, endedSince: Date) -> Bool {
        if run.isOpen {
            return fingerprints.contains(run.alertFingerprint) || !targets.isDisjoint(with: run.targets)
        }
        return playbooks.contains(run.playbook) && (run.endedAt ?? .distantPast) >= endedSince
    }
}
