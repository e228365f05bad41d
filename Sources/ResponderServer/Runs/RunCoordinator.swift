import Foundation
import Logging
import ResponderCore

/// Owns the run engine: feeds it alerts, commands and time; persists every run it changed before anything is
/// executed (write-ahead), hands steps to the executor and the results back. One actor, so the state machine sees one
/// event at a time.
public actor RunCoordinator {
    private var engine: RunEngine
    private let repository: any RunRepository
    private let backlog: (any AlertBacklog)?
    private let executor: any StepExecutor
    private let playbooks: PlaybookRegistry
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let wakeUp = WakeSignal()
    private var inFlight = 0
    private var flushScheduled = false
    private let notifier: RunNotifier
    private let notificationsQueued: @Sendable () -> Void
    /// Each run as last saved, so what changed (and what people are told about it) is known at the next save.
    private var saved: [String: Run] = [:]
    private var lastPrune = Date.distantPast
    private let drain: BacklogDrain?
    private var lastBacklogCheck = Date.distantPast

    /// Restores open runs (and recently ended ones, for cooldowns) from `repository`.
    public init(
        repository: any RunRepository,
        backlog: (any AlertBacklog)? = nil,
        executor: any StepExecutor,
        playbooks: PlaybookRegistry,
        settings: EngineSettings = EngineSettings(),
        logger: Logger,
        notifier: RunNotifier = RunNotifier(channels: []),
        notificationsQueued: @escaping @Sendable () -> Void = {},
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws(JournalError) {
        let open = try await repository.openRuns()
        let ended = try await repository.endedRuns(since: now().addingTimeInterval(-settings.keepEnded.timeInterval))
        engine = RunEngine(runs: open + ended, settings: settings, highestRunNumber: try await repository.highestRunNumber())
        for (id, why) in await repository.unreadableRuns().sorted(by: { $0.key < $1.key }) {
            logger.error("stored run skipped: it cannot be used", metadata: ["run": "\(id)", "error": "\(why)"])
        }
        saved = Dictionary((open + ended).map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.notifier = notifier
        self.notificationsQueued = notificationsQueued
        self.repository = repository
        self.backlog = backlog
        drain = backlog.map { BacklogDrain(backlog: $0, logger: logger) }
        self.executor = executor
        self.playbooks = playbooks
        self.logger = logger
        self.now = now
        if !open.isEmpty {
            logger.info("runs restored", metadata: ["open": "\(open.count)"])
        }
    }

    /// Starts or joins runs for newly accepted alerts, then marks them handled in the backlog (only after the runs
    /// they changed are durable, so a crash in between replays them instead of losing them).
    public func submit(_ alerts: [NormalizedAlert]) async {
        guard !alerts.isEmpty else { return }
        if let set = await playbooks.playbooks {
            // Only the targets of playbooks these alerts match are read: with live executors each read is an API call.
            let targets = Self.targets(touchedBy: alerts, in: set)
            async let replicas = executor.replicas(of: targets)
            async let desired = executor.autoscalerDesired(of: targets)
            let (counts, wanted) = await (replicas, desired)
            // The whole batch goes through the engine before one save: one transaction (one fsync) per batch, not
            // per alert, which kept the engine far behind ingest under a sustained flood.
            var effects: [EngineEffect] = []
            for alert in alerts {
                effects += engine.handle(.alert(alert, playbooks: set, replicas: counts, autoscalerDesired: wanted), now: now())
            }
            await process(effects)
        }
        do {
            try await backlog?.markProcessed(alerts.map(\.idempotencyKey))
        } catch {
            logger.error("alerts not marked processed; they will be replayed at the next start", metadata: ["error": "\(error)"])
        }
    }

    /// Targets of the playbooks that match any of `alerts`, sorted.
    static func targets(touchedBy alerts: [NormalizedAlert], in set: PlaybookSet) -> [String] {
        var names: Set<String> = []
        for playbook in set.playbooks where alerts.contains(where: { PlaybookMatching.evaluate(playbook, alert: $0).matched }) {
            names.formUnion(playbook.actions.compactMap(\.target))
            names.formUnion(playbook.ladder?.levels.map(\.target) ?? [])
        }
        return names.sorted()
    }

    /// Replays alerts accepted before a crash but never handled; call once at start-up.
    public func replayBacklog() async {
        guard let backlog else { return }
        if let pending = try? await backlog.unprocessedAlerts(limit: 1), !pending.isEmpty {
            logger.notice("replaying alerts accepted before a restart")
        }
        await drainBacklog()
    }

    /// Newly journaled alerts are waiting. With a backlog (the journal) they are read back from it by one drain loop
    /// at a time, in batches, so a flood of deliveries queues in the durable journal rather than in memory; without
    /// one they are submitted directly.
    public func alertsAccepted(_ alerts: [NormalizedAlert]) async {
        guard backlog != nil else { return await submit(alerts) }
        await drainBacklog()
    }

    private func drainBacklog() async {
        await drain?.run { await self.submit($0) }
    }

    /// Applies a person's command; throws when it does not apply.
    public func command(_ command: RunCommand, runID: String, actor: String) async throws(RunCommandError) {
        let effects = try engine.apply(command, to: runID, actor: actor, now: now())
        await process(effects + engine.handle(.tick, now: now()))
    }

    /// Fires whatever is due now.
    public func tick() async {
        // Alerts whose handling could not be saved (the store was unavailable) stay in the backlog: read it again
        // every few seconds rather than only at the next alert or restart.
        if backlog != nil, now().timeIntervalSince(lastBacklogCheck) >= Self.backlogInterval {
            lastBacklogCheck = now()
            await drainBacklog()
        }
        await handle(.tick)
    }

    /// How often the timer loop re-reads the backlog, in seconds.
    static let backlogInterval = 10.0

    /// When the engine next needs a tick.
    public var nextDue: Date? { engine.nextDue }

    /// Steps handed to the executor whose result has not come back yet.
    public var stepsInFlight: Int { inFlight }

    /// A run as the engine holds it (open or recently ended), else from the store.
    public func run(id: String) async throws(JournalError) -> Run? {
        if let run = engine.runs[id] { return run }
        return try await repository.run(id: id)
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int) async throws(JournalError) -> [Run] {
        try await repository.recentRuns(limit: limit)
    }

    /// Returns at the next due time, when new work may have changed it, or after `heartbeat`, whichever is first.
    public func waitForWork(heartbeat: Duration) async {
        let limit = heartbeat.timeInterval
        // At least 10 ms between ticks, so steps due close together are started (and saved) as one batch.
        let delay = max(0.01, min(engine.nextDue.map { $0.timeIntervalSince(now()) } ?? limit, limit))
        await wakeUp.sleep(for: Duration.clampedSeconds(delay) + .milliseconds(1))
    }

    private func handle(_ event: EngineEvent) async {
        await process(engine.handle(event, now: now()))
    }

    private func process(_ effects: [EngineEffect]) async {
        let changed = engine.drainChanged()
        if !changed.isEmpty {
            do {
                try await persist(changed)
            } catch {
                // Nothing is executed unless its "running" state is durable; the steps come back as retryable.
                logger.error("runs not persisted; their steps will be retried", metadata: ["error": "\(error)"])
                for case .execute(let runID, let step, _, _) in effects {
                    await handle(.stepFinished(runID: runID, step: step.index, result: .retryable("store unavailable: \(error)")))
                }
                return
            }
        }
        for effect in effects {
            switch effect {
            case .notify(let runID, let message):
                logger.notice("\(message)", metadata: ["run": "\(runID ?? "-")"])
            case .execute(let runID, let step, let snapshot, let dryRun):
                inFlight += 1
                let executor = self.executor
                Task {
                    let result = await executor.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
                    await self.finished(runID: runID, step: step.index, result: result)
                }
            }
        }
        // New work from outside the timer loop (an alert, a command, a step's result) may move the next due time:
        // wake the loop to recompute its sleep. A tick that changed nothing must not, or the loop wakes itself forever.
        if !changed.isEmpty || !effects.isEmpty { wakeUp.wake() }
    }

    /// Results are saved in groups: a "done" that is lost in a crash is harmless, because the step then restarts with
    /// a re-check and the executor reports it already applied. Anything that starts a new step is saved at once
    /// (write-ahead), together with the results gathered so far.
    private func finished(runID: String, step: Int, result: StepResult) async {
        inFlight -= 1
        let effects = engine.handle(.stepFinished(runID: runID, step: step, result: result), now: now())
        if effects.contains(where: { if case .execute = $0 { return true } else { return false } }) {
            await process(effects)
            return
        }
        for case .notify(let id, let message) in effects {
            logger.notice("\(message)", metadata: ["run": "\(id ?? "-")"])
        }
        guard !flushScheduled else { return }
        flushScheduled = true
        Task {
            try? await Task.sleep(for: .milliseconds(20))
            await self.flush()
        }
    }

    /// Saves `changed` together with what people are told about the change (the durable outbox), then wakes the
    /// notification service. After a failed save the old versions stay the reference, so the next save still tells
    /// everything.
    private func persist(_ changed: [Run]) async throws(JournalError) {
        let at = now()
        let notifications = changed.flatMap { notifier.notifications(before: saved[$0.id], after: $0, now: at) }
        // The reference moves before the save is awaited: another save can start meanwhile (actor reentrancy), and
        // it must not tell the same change again. A failed save puts back what it replaced, unless newer.
        let replaced = changed.map { saved[$0.id] }
        for run in changed { saved[run.id] = run }
        do {
            try await repository.save(changed, notifications: notifications)
        } catch {
            for (run, old) in zip(changed, replaced) where saved[run.id] == run { saved[run.id] = old }
            throw error
        }
        // Forgetting long-ended runs walks every saved run: do it once a minute, not at every save (100,000 open runs
        // made each save that slow).
        if at.timeIntervalSince(lastPrune) >= 60 {
            lastPrune = at
            let horizon = at.addingTimeInterval(-engine.settings.keepEnded.timeInterval)
            saved = saved.filter { $0.value.isOpen || ($0.value.endedAt ?? at) >= horizon }
        }
        if !notifications.isEmpty { notificationsQueued() }
    }

    private func flush() async {
        flushScheduled = false
        let changed = engine.drainChanged()
        guard !changed.isEmpty else { return }
        do {
            try await persist(changed)
        } catch {
            logger.error("step results not persisted; steps will be re-checked after a restart", metadata: ["error": "\(error)"])
        }
    }
}
