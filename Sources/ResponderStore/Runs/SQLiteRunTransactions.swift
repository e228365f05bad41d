import Foundation
import ResponderCore

/// The run driver's store port on the SQLite journal, for one process. Open runs and those ended within `keepEnded`,
/// the pauses not lifted and the actions of the last ``Guardrails/actionHorizon`` live in memory, so a transaction
/// reads no rows; every transaction writes its runs, notifications, handled alerts and actions in one SQLite
/// transaction before the cache changes. Transactions (and pause changes) run one at a time. Leases live in memory
/// only: one process holds them, and after a restart every step that was running is re-checked.
public actor SQLiteRunTransactions: TransactionalRunStore {
    /// The journal the runs are stored in.
    public nonisolated let journal: SQLiteJournal
    private var runs: [String: Run] = [:]
    private var leases: [String: (owner: String, until: Date)] = [:]
    private var highest = 0
    /// Whether the cache holds what the journal had at its first use (``loadIfNeeded()``).
    private var loaded = false
    /// The instant the keep windows of the first load are measured from.
    private let loadedAt: Date
    private let keepEnded: TimeInterval
    private var lastPrune = Date.distantPast
    /// Pauses not lifted (in force, or past their expiry and not yet marked), by number.
    var pauses: [Pause] = []
    /// Actions recorded within the last ``Guardrails/actionHorizon`` (older ones until the next prune), by run and step.
    private var actions: [ActionKey: ActionRecord] = [:]
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// A store port on `journal` that loads open runs and those ended since `now - keepEnded` (cooldowns, dedup
    /// windows), the pauses not lifted and the actions recorded since `now` minus ``Guardrails/actionHorizon`` at its
    /// first use, not here: `serve` listens (and journals deliveries) while the run driver's first transaction loads
    /// them, so start-up does not wait on the number of open runs.
    public init(journal: SQLiteJournal, keepEnded: Duration, now: Date) async throws(JournalError) {
        self.journal = journal
        self.keepEnded = keepEnded.timeInterval
        loadedAt = now
    }

    /// Fills the cache from the journal, once; a failed load is tried again at the next use.
    private func loadIfNeeded() async throws(JournalError) {
        guard !loaded else { return }
        let ended = loadedAt.addingTimeInterval(-keepEnded)
        let stored = try await journal.openRuns() + journal.endedRuns(since: ended)
        let highest = try await journal.highestRunNumber()
        let pauses = try await journal.pauses(liftedSince: nil, limit: 0)
        let actions = try await journal.actions(since: loadedAt.addingTimeInterval(-Guardrails.actionHorizon.timeInterval))
        for run in stored where runs[run.id] == nil {
            runs[run.id] = run
            // A step left running by the previous process has no result coming: its lease is over, so the run is
            // claimed at once and the step re-checked.
            if run.steps.contains(where: { $0.status == .running }) { leases[run.id] = ("a previous process", .distantPast) }
        }
        self.highest = max(self.highest, highest)
        self.pauses = pauses
        for action in actions { self.actions[ActionKey(action)] = action }
        loaded = true
    }

    /// Runs `body` on the runs of `scope` and commits its outcome; see ``TransactionalRunStore``.
    public func transact<Result: Sendable>(
        _ scope: RunScope, owner: String, now: Date, lease: Duration,
        _ body: @escaping @Sendable (RunTransactionView) -> RunTransactionOutcome<Result>
    ) async throws(JournalError) -> Result {
        try await acquire()
        defer { release() }
        var view: RunTransactionView
        switch scope {
        case .alerts(let endedSince, let candidates, let footprint):
            let touched = runs.values.filter { footprint.covers($0, endedSince: endedSince) }
            view = RunTransactionView(runs: Self.ordered(touched), highestRunNumber: highest,
                                      unprocessedAlerts: try await journal.unprocessedKeys(among: candidates))
        case .run(let id):
            view = RunTransactionView(runs: runs[id].map { [$0] } ?? [])
        case .due(let limit):
            view = RunTransactionView(runs: Self.ordered(due(at: now, limit: limit)))
        }
        view.pauses = pauses
        view.actions = recentActions(at: now)
        let outcome = body(view)
        try await journal.commit(runs: outcome.save, notifications: outcome.notifications, processed: outcome.processedAlerts,
                                 actions: outcome.actions, at: now)
        for action in outcome.actions {
            // As stored (milliseconds), so the cache says what a restart would load.
            var stored = action
            stored.at = RFC3339.parse(RFC3339.format(action.at)) ?? action.at
            actions[ActionKey(action)] = stored
        }
        let until = now.addingTimeInterval(lease.timeInterval)
        for run in outcome.save {
            runs[run.id] = run
            highest = max(highest, min(RunEngine.number(ofRunID: run.id) ?? 0, Run.maxNumber))
            let running = run.steps.contains { $0.status == .running }
            if !running {
                leases[run.id] = nil
            } else if outcome.started?.contains(run.id) ?? true {
                leases[run.id] = (owner, until)
            }
        }
        prune(now: now)
        return outcome.result
    }

    /// Extends `owner`'s leases on `runIDs`.
    public func renewLeases(owner: String, runIDs: [String], now: Date, lease: Duration) async throws(JournalError) {
        // Before the first load this process holds no lease.
        for id in runIDs where leases[id]?.owner == owner {
            leases[id] = (owner, now.addingTimeInterval(lease.timeInterval))
        }
    }

    /// The earliest due step of a free open run or lease expiry of a held one.
    public func nextAttention() async throws(JournalError) -> Date? {
        // Before the first load nothing is known; the driver's next tick loads.
        guard loaded else { return nil }
        return runs.values.lazy.filter(\.isOpen).compactMap { run in self.leases[run.id]?.until ?? RunEngine.attention(run) }.min()
    }

    /// Saves `runs` outside a transaction of the driver (tests, tools); the cache follows.
    public func save(_ runs: [Run]) async throws(JournalError) {
        try await save(runs, notifications: [])
    }

    /// Saves `runs` and queues `notifications` in one transaction; the cache follows.
    public func save(_ runs: [Run], notifications: [OutboundNotification]) async throws(JournalError) {
        try await acquire()
        defer { release() }
        try await journal.commit(runs: runs, notifications: notifications, processed: [], at: Date())
        for run in runs { self.runs[run.id] = run }
    }

    /// Open runs, oldest start first.
    public func openRuns() async throws(JournalError) -> [Run] { try await journal.openRuns() }
    /// The run with `id`.
    public func run(id: String) async throws(JournalError) -> Run? { try await journal.run(id: id) }
    /// The `limit` most recently started runs.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] { try await journal.recentRuns(limit: limit) }
    /// The most recent runs of one alert.
    public func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run] {
        try await journal.runs(alertFingerprint: fingerprint, limit: limit)
    }
    /// Ended runs that pass `query`.
    public func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run] {
        try await journal.endedRuns(matching: query)
    }
    /// Runs ended at or after `since`.
    public func endedRuns(since: Date) async throws(JournalError) -> [Run] { try await journal.endedRuns(since: since) }
    /// Open runs and runs ended since `endedSince`, by status, counted in the journal.
    public func runCounts(endedSince: Date) async throws(JournalError) -> RunCounts {
        try await journal.runCounts(endedSince: endedSince)
    }
    /// The highest run number stored.
    public func highestRunNumber() async throws(JournalError) -> Int { try await journal.highestRunNumber() }
    /// Stored runs skipped as unusable.
    public func unreadableRuns() async -> [String: String] { await journal.unreadableRuns() }
    /// Accepted alerts not yet handled, oldest first.
    public func unprocessedAlerts(limit: Int) async throws(JournalError) -> [NormalizedAlert] {
        try await journal.unprocessedAlerts(limit: limit)
    }
    /// Marks alerts handled.
    public func markProcessed(_ idempotencyKeys: [String]) async throws(JournalError) {
        try await journal.markProcessed(idempotencyKeys)
    }

    /// Open runs due at `now` that nobody holds, or whose holder's lease expired; at most `limit`, soonest first.
    private func due(at now: Date, limit: Int) -> [Run] {
        var due: [(Date, Run)] = []
        for run in runs.values where run.isOpen {
            if let lease = leases[run.id] {
                if lease.until < now { due.append((lease.until, run)) }
            } else if let attention = RunEngine.attention(run), attention <= now {
                due.append((attention, run))
            }
        }
        return due.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.prefix(max(0, limit)).map(\.1)
    }

    /// Actions recorded at or after `now` minus ``Guardrails/actionHorizon``, oldest first.
    private func recentActions(at now: Date) -> [ActionRecord] {
        let cutoff = now.addingTimeInterval(-Guardrails.actionHorizon.timeInterval)
        return actions.values.filter { $0.at >= cutoff }.sorted { ($0.at, $0.runID, $0.step) < ($1.at, $1.runID, $1.step) }
    }

    private static func ordered(_ runs: [Run]) -> [Run] {
        runs.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Forgets runs ended more than `keepEnded` ago and actions older than ``Guardrails/actionHorizon``, once a minute.
    private func prune(now: Date) {
        guard now.timeIntervalSince(lastPrune) >= 60 else { return }
        lastPrune = now
        let horizon = now.addingTimeInterval(-keepEnded)
        runs = runs.filter { $0.value.isOpen || ($0.value.endedAt ?? now) >= horizon }
        let cutoff = now.addingTimeInterval(-Guardrails.actionHorizon.timeInterval)
        actions = actions.filter { $0.value.at >= cutoff }
    }

    /// Waits for the transactions (and pause changes) before this one, then loads the cache if it is not yet.
    func acquire() async throws(JournalError) {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        do {
            try await loadIfNeeded()
        } catch {
            release()
            throw error
        }
    }

    /// Lets the next waiting transaction in.
    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// A run and step: the ledger keeps one record for each.
private struct ActionKey: Hashable {
    var runID: String
    var step: Int

    init(_ action: ActionRecord) {
        runID = action.runID
        step = action.step
    }
}
