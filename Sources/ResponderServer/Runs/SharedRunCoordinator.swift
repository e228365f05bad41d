import Foundation
import Logging
import ResponderCore

/// Drives the run engine for one of several replicas sharing a PostgreSQL store. It keeps no runs in memory: every
/// change is one store transaction that locks the runs involved, lets the pure engine decide, and writes the outcome
/// with the notifications about it. Due runs are claimed with `FOR UPDATE SKIP LOCKED` and leased to this replica
/// while their step runs, so each step runs on one replica; the leases of a replica that dies expire and another takes
/// its runs over, re-checking the step that was running (the executor reads the target before re-applying).
public actor SharedRunCoordinator {
    private let store: any SharedRunStore
    private let executor: any StepExecutor
    private let playbooks: PlaybookRegistry
    private let settings: EngineSettings
    private let notifier: RunNotifier
    private let notificationsQueued: @Sendable () -> Void
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// This replica's name in the leases it holds.
    public nonisolated let owner: String
    private let lease: Duration
    /// Steps this replica is running, by run: their leases are renewed until the results are saved.
    private var running: [String: Int] = [:]
    private var lastRenewal = Date.distantPast
    private var lastBacklogCheck = Date.distantPast
    private var nextAttention: Date?
    /// Stored runs the store skipped as unusable that were already logged.
    private var reportedUnreadable: Set<String> = []
    private let wakeUp = WakeSignal()
    private let drain: BacklogDrain

    /// Creates the driver; `owner` names this replica in leases (unique per process), `lease` is how long a claim
    /// holds without renewal: a replica that dies holds its runs for at most that long.
    public init(
        store: any SharedRunStore & AlertBacklog, executor: any StepExecutor, playbooks: PlaybookRegistry,
        settings: EngineSettings = EngineSettings(), logger: Logger, owner: String, lease: Duration = .seconds(30),
        notifier: RunNotifier = RunNotifier(channels: []), notificationsQueued: @escaping @Sendable () -> Void = {},
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.executor = executor
        self.playbooks = playbooks
        self.settings = settings
        self.logger = logger
        self.owner = owner
        self.lease = lease
        self.notifier = notifier
        self.notificationsQueued = notificationsQueued
        self.now = now
        drain = BacklogDrain(backlog: store, logger: logger)
    }

    /// Starts or joins runs for those of `alerts` no replica has handled yet, in one transaction that also marks them
    /// processed, then runs the steps that fired.
    public func submit(_ alerts: [NormalizedAlert]) async {
        guard !alerts.isEmpty else { return }
        // Without a playbook set (none ever loaded) nothing can start, and the alerts are marked handled, as with SQLite.
        let set = await playbooks.playbooks
        let targets = set.map { RunCoordinator.targets(touchedBy: alerts, in: $0) } ?? []
        async let replicas = executor.replicas(of: targets)
        async let desired = executor.autoscalerDesired(of: targets)
        let (counts, wanted) = await (replicas, desired)
        let at = now()
        let (settings, notifier) = (self.settings, self.notifier)
        let scope = RunScope.alerts(endedSince: at.addingTimeInterval(-settings.keepEnded.timeInterval),
                                    candidates: alerts.map(\.idempotencyKey))
        _ = await transact(scope, at: at, doing: "handle \(alerts.count) alert(s)") { view in
            var engine = RunEngine(runs: view.runs, settings: settings, highestRunNumber: view.highestRunNumber, restoring: false)
            let pending = Set(view.unprocessedAlerts)
            var effects: [EngineEffect] = []
            for alert in alerts where pending.contains(alert.idempotencyKey) {
                guard let set else { break }
                effects += engine.handle(.alert(alert, playbooks: set, replicas: counts, autoscalerDesired: wanted), now: at)
            }
            return Self.outcome(&engine, before: view.runs, notifier: notifier, at: at, effects: effects, value: true,
                                processed: view.unprocessedAlerts)
        }
    }

    /// Newly journaled alerts are waiting: drains the journal's backlog (another replica may take some first).
    public func alertsAccepted(_ alerts: [NormalizedAlert]) async {
        await drain.run { await self.submit($0) }
    }

    /// Handles alerts accepted before a restart (by any replica) but never handled.
    public func replayBacklog() async {
        await drain.run { await self.submit($0) }
    }

    /// Applies a person's command to a run, whichever replica runs its steps.
    public func command(_ command: RunCommand, runID: String, actor: String) async throws(RunCommandError) {
        let at = now()
        let (settings, notifier) = (self.settings, self.notifier)
        let refusal = await transact(.run(id: runID), at: at, doing: "\(command.rawValue) \(runID)") { view -> Outcome<RunCommandError?> in
            guard let run = view.runs.first else { return Self.unchanged(RunCommandError?.some(.unknownRun(runID))) }
            var engine = RunEngine(runs: [run], settings: settings, restoring: false)
            do throws(RunCommandError) {
                let effects = try engine.apply(command, to: runID, actor: actor, now: at) + engine.handle(.tick, now: at)
                return Self.outcome(&engine, before: [run], notifier: notifier, at: at, effects: effects, value: nil)
            } catch {
                return Self.unchanged(RunCommandError?.some(error))
            }
        }
        switch refusal {
        case .some(.some(let error)): throw error
        case .some(.none): return
        case .none: throw .notApplicable("the run store is unavailable; try again")
        }
    }

    /// Claims the runs due now (or whose lease expired), moves them forward and runs the steps that fire; renews the
    /// leases of steps still running here.
    public func tick() async {
        let at = now()
        // Alerts a replica journaled but never handled (it died, or its store call failed) are picked up here.
        if at.timeIntervalSince(lastBacklogCheck) >= Self.backlogInterval {
            lastBacklogCheck = at
            await drain.run { await self.submit($0) }
        }
        if !running.isEmpty, at.timeIntervalSince(lastRenewal) >= lease.timeInterval / 3 {
            lastRenewal = at
            do {
                try await store.renewLeases(owner: owner, runIDs: running.keys.sorted(), now: at, lease: lease)
            } catch {
                logger.error("leases not renewed; another replica may take these runs over", metadata: ["error": "\(error)"])
            }
        }
        let (settings, notifier) = (self.settings, self.notifier)
        // The claim query and the engine use one instant: a run due after it would be claimed, fire nothing and be
        // claimed again by the next pass.
        var claimed = Self.claimBatch
        var passes = 0
        while claimed == Self.claimBatch, passes < Self.maxPasses {
            passes += 1
            claimed = await transact(.due(limit: Self.claimBatch), at: at, doing: "claim due runs") { view in
                // A run held by a replica whose lease expired has its running step re-checked before it is re-applied.
                var engine = RunEngine(runs: view.runs, settings: settings, restoring: true)
                let effects = engine.handle(.tick, now: at)
                // Every claimed run is written back, so a claim that fired nothing still clears its lease and due time.
                return Self.outcome(&engine, before: view.runs, notifier: notifier, at: at, effects: effects,
                                    value: view.runs.count, saveAll: view.runs.map(\.id))
            } ?? 0
        }
        nextAttention = try? await store.nextAttention()
    }

    /// Runs claimed per transaction.
    static let claimBatch = 100
    /// Claim passes per tick at most, so lease renewals and new alerts are not starved.
    static let maxPasses = 20
    /// How often the journal is checked for alerts no replica handled, in seconds.
    static let backlogInterval = 10.0

    /// A run, open or ended, from the store.
    public func run(id: String) async throws(JournalError) -> Run? {
        try await store.run(id: id)
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] {
        try await store.recentRuns(limit: limit)
    }

    /// Steps this replica has handed to the executor whose result is not saved yet.
    public var stepsInFlight: Int { running.values.reduce(0, +) }

    /// Returns when the next run needs attention (as last read from the store), when this replica has new work, or
    /// after `heartbeat`: other replicas' changes are seen at the next heartbeat at the latest.
    public func waitForWork(heartbeat: Duration) async {
        let limit = heartbeat.timeInterval
        let delay = max(0.01, min(nextAttention.map { $0.timeIntervalSince(now()) } ?? limit, limit))
        await wakeUp.sleep(for: Duration.clampedSeconds(delay) + .milliseconds(1))
    }

    // MARK: - Transactions

    /// What a transaction body returns: what to write, the effects to carry out after the commit, and a value.
    typealias Outcome<Value: Sendable> = RunTransactionOutcome<Decision<Value>>

    /// The engine's effects and the caller's value, handed back after the commit.
    struct Decision<Value: Sendable>: Sendable {
        var effects: [EngineEffect]
        var value: Value
        var notified: Bool
    }

    /// Runs `body` in one store transaction; after the commit carries out its effects and returns its value, nil
    /// when the store failed (nothing was written, nothing is executed).
    private func transact<Value: Sendable>(
        _ scope: RunScope, at: Date, doing: String, _ body: @escaping @Sendable (RunTransactionView) -> Outcome<Value>
    ) async -> Value? {
        let decision: Decision<Value>
        do {
            decision = try await store.transact(scope, owner: owner, now: at, lease: lease, body)
        } catch {
            logger.error("could not \(doing): the run store failed; retried at the next tick or lease expiry",
                         metadata: ["error": "\(error)"])
            return nil
        }
        for (id, why) in await store.unreadableRuns() where !reportedUnreadable.contains(id) {
            reportedUnreadable.insert(id)
            logger.error("stored run skipped: it cannot be used", metadata: ["run": "\(id)", "error": "\(why)", "replica": "\(owner)"])
        }
        if decision.notified { notificationsQueued() }
        for effect in decision.effects {
            switch effect {
            case .notify(let runID, let message):
                logger.notice("\(message)", metadata: ["run": "\(runID ?? "-")", "replica": "\(owner)"])
            case .execute(let runID, let step, let snapshot, let dryRun):
                // Which replica ran which step is otherwise not recorded anywhere.
                logger.info("step started", metadata: ["run": "\(runID)", "step": "\(step.index)", "attempt": "\(step.attempts)",
                                                       "recheck": "\(step.recheck)", "replica": "\(owner)"])
                running[runID, default: 0] += 1
                let executor = self.executor
                Task {
                    let result = await executor.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
                    await self.finished(runID: runID, step: step.index, attempt: step.attempts, result: result)
                }
            }
        }
        if !decision.effects.isEmpty { wakeUp.wake() }
        return decision.value
    }

    private func finished(runID: String, step: Int, attempt: Int, result: StepResult) async {
        let at = now()
        let (settings, notifier) = (self.settings, self.notifier)
        let saved = await transact(.run(id: runID), at: at, doing: "save step \(step) of \(runID)") { view in
            // A result of an attempt another replica has since taken over (this one's lease had expired) is late:
            // the step belongs to the newer attempt.
            guard let run = view.runs.first, run.steps.indices.contains(step), run.steps[step].attempts == attempt else {
                return Self.unchanged(false)
            }
            var engine = RunEngine(runs: [run], settings: settings, restoring: false)
            let effects = engine.handle(.stepFinished(runID: runID, step: step, result: result), now: at)
            return Self.outcome(&engine, before: [run], notifier: notifier, at: at, effects: effects, value: true)
        }
        if saved == nil {
            // Not lost: the lease runs out and a replica (this one included) re-checks the step.
            logger.error("step result not saved; the step is re-checked when its lease expires",
                         metadata: ["run": "\(runID)", "step": "\(step)"])
        }
        running[runID, default: 1] -= 1
        if running[runID] == 0 { running[runID] = nil }
    }

    /// What a transaction writes: the runs the engine changed (plus `saveAll`), the notifications about them, and the
    /// effects to carry out after the commit.
    private static func outcome<Value: Sendable>(
        _ engine: inout RunEngine, before: [Run], notifier: RunNotifier, at: Date, effects: [EngineEffect], value: Value,
        processed: [String] = [], saveAll: [String] = []
    ) -> Outcome<Value> {
        var changed = engine.drainChanged()
        let changedIDs = Set(changed.map(\.id))
        changed += saveAll.filter { !changedIDs.contains($0) }.compactMap { engine.runs[$0] }
        let previous = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let notifications = changed.flatMap { notifier.notifications(before: previous[$0.id], after: $0, now: at) }
        var started = Set<String>()
        for case .execute(let runID, _, _, _) in effects { started.insert(runID) }
        return RunTransactionOutcome(save: changed, started: started, notifications: notifications, processedAlerts: processed,
                                     result: Decision(effects: effects, value: value, notified: !notifications.isEmpty))
    }

    private static func unchanged<Value: Sendable>(_ value: Value) -> Outcome<Value> {
        RunTransactionOutcome(result: Decision(effects: [], value: value, notified: false))
    }
}

extension SharedRunCoordinator: RunControl {}
