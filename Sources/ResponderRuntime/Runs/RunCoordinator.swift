import Foundation
import Logging
import ResponderCore
import ResponderTracing
import Tracing

/// The one run driver, for SQLite (one process) and PostgreSQL (several replicas) alike. It keeps no runs of its own:
/// every change is one transaction of the store port that locks the runs involved, lets the pure engine decide, and
/// writes the outcome with the notifications about it. Due runs are claimed and leased to this driver while their
/// step runs, so each step runs once; a driver that dies mid-step has its runs taken over once its leases expire
/// (another replica, or this one after a restart), re-checking the step that was running. Steps are not run here:
/// they are handed to the run timer service's task group (``executions``), which reports each result back.
public actor RunCoordinator: RunControl {
    let store: any TransactionalRunStore
    let playbooks: PlaybookRegistry
    let settings: EngineSettings
    let notifier: RunNotifier
    let notificationsQueued: @Sendable () -> Void
    let logger: Logger
    private let clock: any WallClock
    private let targetsReader: any StepExecutor
    let events: (any EventStore)?
    /// Told the pauses in force whenever they are read (`/metrics` shows them without a store read at the scrape).
    let pausesObserved: @Sendable ([Pause], Date) -> Void
    /// When the pauses in force were last read for ``pausesObserved``.
    var lastPauseRead = Date.distantPast
    /// Told how late each step it hands out starts against its due time, in seconds (0 when on time).
    let stepLateness: @Sendable (TimeInterval) -> Void
    /// Told the runs by status whenever they are counted (every ``runCountInterval``).
    let runsCounted: @Sendable (RunCounts, Date) -> Void
    /// When the runs were last counted for ``runsCounted``.
    var lastRunCount = Date.distantPast
    /// This driver's name in the leases it holds.
    public nonisolated let owner: String
    private let lease: Duration
    /// Steps started here, by run: their leases are renewed until the results are saved.
    private var running: [String: Int] = [:]
    private var lastRenewal = Date.distantPast
    private var lastTick = Date.distantPast
    private var lastBacklogCheck = Date.distantPast
    private var nextAttention: Date?
    /// When the playbooks' recurring schedules are next turned into events (nil before the first tick).
    var nextOccurrencePass: Date?
    /// The playbook generation the schedules were last read from (a reload triggers a pass).
    var occurrenceGeneration = 0
    private var reportedUnreadable: Set<String> = []
    let wakeUp = WakeSignal()
    let drainWanted = WakeSignal()
    private let drain: BacklogDrain
    private let started: AsyncStream<StepExecution>.Continuation
    /// Steps started and not yet handed to the executor's task group, in order (``RunTimerService`` reads them).
    public nonisolated let executions: AsyncStream<StepExecution>
    var accepting = true
    /// Trace contexts of recent deliveries (by alert key, left by the hooks) and runs (by run id), so the engine's spans
    /// join or link to the delivery's trace while this process remembers it.
    public nonisolated let traces: TraceMemory

    /// Creates the driver. `executor` is only read here (replica counts and autoscaler demand for new runs); the timer
    /// service executes the steps. `owner` names this driver in leases (unique per process); `lease` is how long a
    /// claim holds without renewal. Scheduled `events` whose preparation is due are turned into alerts at each tick.
    public init(
        store: any TransactionalRunStore, executor: any StepExecutor, playbooks: PlaybookRegistry,
        settings: EngineSettings = EngineSettings(), logger: Logger, owner: String = "local", lease: Duration = .seconds(30),
        notifier: RunNotifier = RunNotifier(channels: []), notificationsQueued: @escaping @Sendable () -> Void = {},
        clock: any WallClock = SystemWallClock(), events: (any EventStore)? = nil,
        pausesObserved: @escaping @Sendable ([Pause], Date) -> Void = { _, _ in },
        stepLateness: @escaping @Sendable (TimeInterval) -> Void = { _ in },
        runsCounted: @escaping @Sendable (RunCounts, Date) -> Void = { _, _ in },
        traces: TraceMemory = TraceMemory()
    ) {
        self.traces = traces
        self.store = store
        self.stepLateness = stepLateness
        self.runsCounted = runsCounted
        self.events = events
        self.pausesObserved = pausesObserved
        self.targetsReader = executor
        self.playbooks = playbooks
        self.settings = settings
        self.logger = logger
        self.owner = owner
        self.lease = lease
        self.notifier = notifier
        self.notificationsQueued = notificationsQueued
        self.clock = clock
        drain = BacklogDrain(backlog: store, logger: logger)
        (executions, started) = AsyncStream.makeStream(of: StepExecution.self)
    }

    var now: Date { clock.now.date }

    // MARK: - Alerts

    /// Starts or joins runs for those of `alerts` not handled yet, in one transaction that also marks them processed.
    public func submit(_ alerts: [NormalizedAlert]) async {
        guard !alerts.isEmpty else { return }
        // Without a playbook set (none ever loaded) nothing can start, and the alerts are marked handled.
        let set = await playbooks.playbooks
        let footprint = RunFootprint(alerts: alerts, set: set)
        // Only the targets of playbooks these alerts match are read: with live executors each read is an API call.
        let targets = footprint.targets.sorted()
        let trace = EngineTrace.alerts(alerts, memory: traces)
        // The reads (API calls, commands) are traced in the delivery's trace, before the engine's span.
        let reader = targetsReader
        let (counts, wanted) = await ServiceContext.withValue(trace.parent) {
            async let replicas = reader.replicas(of: targets)
            async let desired = reader.autoscalerDesired(of: targets)
            return await (replicas, desired)
        }
        let at = now
        let (settings, notifier) = (self.settings, self.notifier)
        let scope = RunScope.alerts(endedSince: at.addingTimeInterval(-settings.keepEnded.timeInterval),
                                    candidates: alerts.map(\.idempotencyKey), touching: footprint)
        _ = await transact(scope, at: at, doing: "handle \(alerts.count) alert(s)", trace: trace) { view in
            var engine = RunEngine(runs: view.runs, settings: settings, highestRunNumber: view.highestRunNumber, restoring: false)
            engine.guardrails = view.guardrails
            let pending = Set(view.unprocessedAlerts)
            var effects: [EngineEffect] = []
            // The whole batch goes through the engine before one commit: one transaction (one fsync) per batch.
            for alert in alerts where pending.contains(alert.idempotencyKey) {
                guard let set else { break }
                effects += engine.handle(.alert(alert, playbooks: set, replicas: counts, autoscalerDesired: wanted), now: at)
            }
            return Self.outcome(&engine, before: view.runs, notifier: notifier, at: at, effects: effects, value: true,
                                processed: view.unprocessedAlerts)
        }
    }

    /// A scheduled event changed (moved, cancelled): the next tick comes now, and tells its run.
    public nonisolated func eventsChanged() {
        wakeUp.wake()
    }

    /// Newly journaled alerts are waiting: the ingest loop (``drainLoop()``) reads them back from the journal.
    public nonisolated func alertsAccepted() {
        drainWanted.wake()
    }

    /// Handles alerts accepted (by any replica) but never handled: drains the journal's backlog in batches.
    public func replayBacklog() async {
        await drain.run { await self.submit($0) }
    }

    /// Drains the backlog whenever alerts are accepted (and every 10 s for alerts whose handling failed), until the
    /// task is cancelled: run by the timer service, so a flood of deliveries queues in the durable journal.
    func drainLoop() async {
        while !Task.isCancelled {
            await replayBacklog()
            await drainWanted.sleep(for: .seconds(Self.backlogInterval), on: clock)
        }
    }

    // MARK: - Commands

    /// Applies a person's command to a run, whichever replica runs its steps.
    public func command(_ command: RunCommand, runID: String, actor: String) async throws(RunCommandError) {
        let at = now
        let (settings, notifier) = (self.settings, self.notifier)
        let refusal = await transact(.run(id: runID), at: at, doing: "\(command.rawValue) \(runID)",
                                     trace: .current("engine command")) { view -> Outcome<RunCommandError?> in
            guard let run = view.runs.first else { return Self.unchanged(RunCommandError?.some(.unknownRun(runID))) }
            var engine = RunEngine(runs: [run], settings: settings, restoring: false)
            engine.guardrails = view.guardrails
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

    // MARK: - Timers

    /// Claims the runs due now (or whose lease expired), moves them forward and starts the steps that fire; renews the
    /// leases of steps still running here; marks expired pauses lifted.
    public func tick() async {
        let at = now
        lastTick = at
        if !running.isEmpty, at.timeIntervalSince(lastRenewal) >= lease.timeInterval / 3 {
            lastRenewal = at
            do {
                try await store.renewLeases(owner: owner, runIDs: running.keys.sorted(), now: at, lease: lease)
            } catch {
                logger.error("leases not renewed; another replica may take these runs over", metadata: ["error": "\(error)"])
            }
        }
        let (settings, notifier) = (self.settings, self.notifier)
        // The claim and the engine use one instant: a run due after it would be claimed, fire nothing and be claimed
        // again by the next pass.
        var claimed = Self.claimBatch
        var passes = 0
        while claimed == Self.claimBatch, passes < Self.maxPasses, accepting {
            passes += 1
            claimed = await transact(.due(limit: Self.claimBatch), at: at, doing: "claim due runs", trace: .tick) { view in
                // A run held by a driver whose lease expired has its running step re-checked before it is re-applied.
                var engine = RunEngine(runs: view.runs, settings: settings, restoring: true)
                engine.guardrails = view.guardrails
                let effects = engine.handle(.tick, now: at)
                // Every claimed run is written back, so a claim that fired nothing still clears its lease and due time.
                return Self.outcome(&engine, before: view.runs, notifier: notifier, at: at, effects: effects,
                                    value: view.runs.count, saveAll: view.runs.map(\.id))
            } ?? 0
        }
        await refreshPauses(at: at)
        await countRuns(at: at)
        await scheduleOccurrences(at: at)
        await prepareEvents(at: at)
        let nextRun = try? await store.nextAttention()
        let nextEvent = try? await events?.nextEventPreparation()
        nextAttention = [nextRun ?? nil, nextEvent ?? nil, nextOccurrencePass].compactMap { $0 }.min()
    }

    /// Runs claimed per transaction.
    static let claimBatch = 100
    /// Claim passes per tick at most, so lease renewals and new alerts are not starved.
    static let maxPasses = 20
    /// How often the journal is checked for alerts no one handled, in seconds.
    static let backlogInterval = 10.0

    /// Returns when the next run needs attention (as last read from the store), when new work may have changed it, or
    /// after `heartbeat`: other replicas' changes are seen at the next heartbeat at the latest.
    public func waitForWork(heartbeat: Duration) async {
        // Until the due time itself (a step fires when now >= due) and at most a heartbeat after the last tick; at least
        // 10 ms after it, so steps due close together are started (and saved) as one batch and a tick that could not
        // move a due run (the store failing) does not spin.
        let latest = lastTick.addingTimeInterval(heartbeat.timeInterval)
        let deadline = max(lastTick.addingTimeInterval(0.01), min(nextAttention ?? latest, latest))
        await wakeUp.sleep(until: WallInstant(deadline), on: clock)
    }

    /// No new step starts from now on (shutdown): claims stop and the execution stream ends once the steps already
    /// handed out are taken.
    public func stopStarting() {
        accepting = false
        started.finish()
    }

    // MARK: - Reading

    /// A run, open or ended, from the store.
    public func run(id: String) async throws(JournalError) -> Run? {
        try await store.run(id: id)
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] {
        try await store.recentRuns(limit: limit)
    }

    /// Ended runs that pass `query`, from the store.
    public func endedRuns(matching query: EndedRunQuery) async throws(JournalError) -> [Run] {
        try await store.endedRuns(matching: query)
    }

    /// The most recent runs of one alert, from the store.
    public func runs(alertFingerprint fingerprint: String, limit: Int) async throws(JournalError) -> [Run] {
        try await store.runs(alertFingerprint: fingerprint, limit: limit)
    }

    /// Steps this driver has started whose result is not saved yet.
    public var stepsInFlight: Int { running.values.reduce(0, +) }

    // MARK: - Results

    /// Saves a step's result (unless the step has since been taken over) and starts what it hands out.
    public func finished(_ execution: StepExecution, result: StepResult, requests: [String] = []) async {
        let (runID, step, attempt) = (execution.runID, execution.step.index, execution.step.attempts)
        let at = now
        let (settings, notifier) = (self.settings, self.notifier)
        let saved = await transact(.run(id: runID), at: at, doing: "save step \(step) of \(runID)",
                                   trace: .current("engine step result")) { view in
            // A result of an attempt another driver has since taken over (this one's lease had expired) is late: the
            // step belongs to the newer attempt.
            guard let run = view.runs.first, run.steps.indices.contains(step), run.steps[step].attempts == attempt else {
                return Self.unchanged(false)
            }
            var engine = RunEngine(runs: [run], settings: settings, restoring: false)
            engine.guardrails = view.guardrails
            let effects = engine.handle(.stepFinished(runID: runID, step: step, result: result, requests: requests), now: at)
            return Self.outcome(&engine, before: [run], notifier: notifier, at: at, effects: effects, value: true)
        }
        if saved == nil {
            // Not lost: the lease runs out and a driver (this one included) re-checks the step.
            logger.error("step result not saved; the step is re-checked when its lease expires",
                         metadata: ["run": "\(runID)", "step": "\(step)"])
        }
        running[runID, default: 1] -= 1
        if running[runID] == 0 { running[runID] = nil }
    }

    // MARK: - Transactions

    /// What a transaction body returns: what to write, the effects to carry out after the commit, and a value.
    typealias Outcome<Value: Sendable> = RunTransactionOutcome<Decision<Value>>

    /// The engine's effects and the caller's value, handed back after the commit.
    struct Decision<Value: Sendable>: Sendable {
        var effects: [EngineEffect]
        var value: Value
        var notified: Bool
        /// The runs written, for the transaction's span.
        var runs: [RunLabel] = []
    }

    /// Runs `body` in one store transaction; after the commit carries out its effects and returns its value, nil
    /// when the store failed (nothing was written, nothing is executed).
    /// The transaction is traced as `trace` says (``EngineTrace``); the steps it starts are children of its span.
    func transact<Value: Sendable>(
        _ scope: RunScope, at: Date, doing: String, trace: EngineTrace,
        _ body: @escaping @Sendable (RunTransactionView) -> Outcome<Value>
    ) async -> Value? {
        let decision: Decision<Value>
        let begun = DefaultTracerClock.now
        do {
            decision = try await store.transact(scope, owner: owner, now: at, lease: lease, body)
        } catch {
            logger.error("could not \(doing): the run store failed; retried at the next tick or lease expiry",
                         metadata: ["error": "\(error)"])
            // A failing timer pass (each second while the store is down) is left to the log.
            if trace.always {
                let span = trace.start(at: begun, runs: [], memory: traces)
                span.setStatus(SpanStatus(code: .error, message: "the run store failed"))
                span.end()
            }
            return nil
        }
        let span: (any Span)? = trace.always || !decision.effects.isEmpty
            ? trace.start(at: begun, runs: decision.runs, memory: traces) : nil
        defer { span?.end() }
        if let span, trace.remembersRuns {
            for run in decision.runs { traces.remember(span.context, for: run.id) }
        }
        for (id, why) in await store.unreadableRuns() where !reportedUnreadable.contains(id) {
            reportedUnreadable.insert(id)
            logger.error("stored run skipped: it cannot be used", metadata: ["run": "\(id)", "error": "\(why)", "replica": "\(owner)"])
        }
        if decision.notified { notificationsQueued() }
        var handler = StartedSteps(logger: logger, owner: owner)
        EffectInterpreter.run(decision.effects, on: &handler)
        span?.attributes["responder.steps.started"] = handler.started.count
        for var execution in handler.started {
            execution.trace = span?.context ?? ServiceContext.current
            start(execution)
        }
        if !decision.effects.isEmpty { wakeUp.wake() }
        return decision.value
    }

    /// Hands a committed step to the timer service's task group; during shutdown the step is left to its lease (it is
    /// re-checked by whoever claims the run next).
    private func start(_ execution: StepExecution) {
        guard accepting, case .enqueued = started.yield(execution) else {
            logger.warning("step not started: shutting down; it is re-checked when its lease expires",
                           metadata: ["run": "\(execution.runID)", "step": "\(execution.step.index)", "replica": "\(owner)"])
            return
        }
        running[execution.runID, default: 0] += 1
        stepLateness(execution.lateness)
    }

    /// What a transaction writes: the runs the engine changed (plus `saveAll`), the notifications about them, and the
    /// effects to carry out after the commit.
    static func outcome<Value: Sendable>(
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
                                     actions: engine.drainActions(),
                                     result: Decision(effects: effects, value: value, notified: !notifications.isEmpty,
                                                      runs: changed.map(RunLabel.init)))
    }

    static func unchanged<Value: Sendable>(_ value: Value) -> Outcome<Value> {
        RunTransactionOutcome(result: Decision(effects: [], value: value, notified: false))
    }
}
