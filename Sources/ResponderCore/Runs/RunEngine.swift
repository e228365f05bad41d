import Foundation
import HeapModule

/// The run state machine: pure, driven by events and an injected `now`, with no I/O and no sleeping. It decides which
/// steps fire, when, and what a re-fire, a resolve, a preemption or a person's command does; its driver persists the
/// runs it changed, executes the steps it asks for and sleeps until ``nextDue``.
///
/// Guarantees: a step fires only when `now >= due`; a step is handed out at most once per attempt (a second
/// `stepFinished` for it is ignored); one run owns a target at a time.
public struct RunEngine: Sendable {
    /// Runs in memory: every open run, and ended ones for `keepEnded` (cooldowns, status).
    public private(set) var runs: [String: Run]
    /// Number of the next run id.
    public private(set) var nextNumber: Int
    /// Tunables.
    public var settings: EngineSettings
    /// Pauses, server-wide limits and recent actions, checked before each step is handed out (the driver sets them
    /// from the store; the engine adds the actions it hands out).
    public var guardrails = Guardrails()
    /// Actions handed out since ``drainActions()``.
    var handedOut: [ActionRecord] = []
    private var changed: Set<String> = []
    private var lastPrune = Date.distantPast
    /// Runs by the time they next need attention, so a tick touches only those (entries go stale when a run changes
    /// and are dropped when popped; a stale entry can only cause an extra, empty tick).
    private var agenda = Heap<AgendaEntry>()

    /// Restores the engine from persisted runs. With `restoring` (a start-up, or a run taken over from a replica whose
    /// lease expired) steps that were running are marked for a re-check: the executor reads the target before
    /// re-applying, so a step whose change landed is not repeated. Without it (a shared store's transaction, where
    /// another replica may be running the step) they stay running. New run ids continue after the highest of `runs`
    /// and `highestRunNumber` (the store's, so ids of runs no longer loaded are never reused).
    public init(runs: [Run], settings: EngineSettings = EngineSettings(), highestRunNumber: Int = 0, restoring: Bool = true) {
        var restored: [String: Run] = [:]
        // Clamped, so a damaged id such as run-9223372036854775807 cannot make `highest + 1` overflow.
        var highest = min(max(0, highestRunNumber), Run.maxNumber)
        for var run in runs {
            for index in run.steps.indices where restoring && run.steps[index].status == .running {
                // A closing run's work has ended: an action that was in flight is not sent again (a repeat that
                // failed would skip its undo while the first copy may have landed); its undo runs instead.
                if run.closing != nil, run.steps[index].phase != .undo {
                    Self.abandon(&run, step: index)
                    continue
                }
                run.steps[index].status = .pending
                run.steps[index].recheck = true
            }
            restored[run.id] = run
            highest = max(highest, min(Self.number(ofRunID: run.id) ?? 0, Run.maxNumber))
        }
        self.runs = restored
        self.nextNumber = highest + 1
        self.settings = settings
        for run in restored.values { schedule(run) }
    }

    /// Handles one event at `now` and returns what to do.
    public mutating func handle(_ event: EngineEvent, now: Date) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        switch event {
        case .alert(let alert, let playbooks, let replicas, let desired):
            effects += handleAlert(alert, playbooks: playbooks, replicas: replicas, desired: desired, now: now)
        case .tick:
            break
        case .stepFinished(let runID, let step, let result, let requests):
            effects += finish(runID: runID, step: step, result: result, requests: requests, now: now)
        case .command(let runID, let command, let actor):
            effects += (try? apply(command, to: runID, actor: actor, now: now)) ?? []
        }
        effects += fireDue(now: now)
        prune(now: now)
        return effects
    }

    /// The earliest time something becomes due, for the driver's timer; nil when nothing is waiting on time.
    public var nextDue: Date? { agenda.min?.due }

    /// Runs changed since the last call, for the driver to persist.
    public mutating func drainChanged() -> [Run] {
        defer { changed.removeAll() }
        return changed.sorted().compactMap { runs[$0] }
    }

    /// Open runs, oldest first.
    public var openRuns: [Run] { runs.values.filter(\.isOpen).sorted { $0.startedAt < $1.startedAt } }

    // MARK: - Firing

    private mutating func fireDue(now: Date) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        var candidates = Set<String>()
        while let entry = agenda.min, entry.due <= now {
            _ = agenda.popMin()
            if let run = runs[entry.runID], Self.attention(run) == entry.due { candidates.insert(entry.runID) }
        }
        for id in candidates.sorted() {
            guard var run = runs[id], run.status == .active else { continue }
            let before = run
            let fired = advance(&run, now: now)
            // Stored first: the action records name the run's playbook.
            if run != before { store(run) } else { schedule(run) }
            recordActions(fired, now: now)
            effects += fired
        }
        return effects
    }

    /// When a run next needs the engine: its next pending step's due time, or at once when nothing is left (to
    /// complete it); nil while it waits for a resolve, an ack, an executor result, or is not active.
    public static func attention(_ run: Run) -> Date? {
        guard run.status == .active else { return nil }
        guard let index = run.nextStepIndex else { return .distantPast }
        let step = run.steps[index]
        return step.status == .pending ? step.due : nil
    }

    private mutating func schedule(_ run: Run) {
        if let due = Self.attention(run) { agenda.insert(AgendaEntry(due: due, runID: run.id)) }
    }

    /// Moves one run forward: skips or holds overdue steps by policy, waits for acks, hands out the next due step.
    private func advance(_ run: inout Run, now: Date) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        while let index = run.nextStepIndex {
            var step = run.steps[index]
            guard step.status == .pending, let due = step.due, due <= now else { return effects }
            let lateness = now.timeIntervalSince(due)
            // A restore and undo steps are exempt: skipping them would leave the run's temporary values behind. A step
            // already waiting for its load checks is re-checked, not missed.
            if lateness > settings.missedDeadlineGrace.timeInterval, !step.recheck, !step.acknowledged,
               step.attempts == 0, step.work != .restore, step.phase != .undo, step.wait == nil, step.blocked == nil {
                let late = Duration.seconds(Int(saturating: lateness)).playbookText
                switch run.policy.missedDeadline {
                case .fire:
                    record(&run, now, "step \(index) is \(late) late (missed deadline): firing now")
                case .skip:
                    step.status = .skipped
                    step.outcome = "missed its deadline by \(late): skipped"
                    run.steps[index] = step
                    record(&run, now, "step \(index) skipped: missed its deadline by \(late)")
                    effects.append(.notify(runID: run.id, message: "step \(index) (\(step.detail)) skipped: missed its deadline by \(late)"))
                    continue
                case .waitForAck:
                    step.status = .waitingAck
                    run.steps[index] = step
                    record(&run, now, "step \(index) missed its deadline by \(late): waiting for an acknowledgement")
                    effects.append(.notify(runID: run.id, message: "step \(index) (\(step.detail)) is \(late) late: acknowledge to let it run"))
                    return effects
                }
            }
            switch guardStep(&run, index: index, now: now, effects: &effects) {
            case .go: step = run.steps[index]
            case .skipped: continue
            case .stopped: return effects
            }
            if run.policy.requireAck, step.phase == .ladder, !step.acknowledged {
                step.status = .waitingAck
                run.steps[index] = step
                record(&run, now, "step \(index) due: waiting for an acknowledgement")
                effects.append(.notify(runID: run.id, message: "step \(index) (\(step.detail)) is due: acknowledge to let it run"))
                return effects
            }
            step.status = .running
            step.attempts = step.attempts < Int.max ? step.attempts + 1 : Int.max
            step.startedAt = now
            run.steps[index] = step
            // A re-check of a step waiting for its load checks is not news: its wait is in the history once.
            if step.wait == nil || step.wait?.until != nil { record(&run, now, "step \(index) started: \(step.detail)") }
            effects.append(.execute(runID: run.id, step: step, snapshot: run.snapshot, dryRun: run.dryRun || step.work.isDryRunOnly))
            return effects
        }
        if let closing = run.closing {
            end(&run, closing, now, "undo finished: \(UndoSummary(run).text)")
            effects.append(.notify(runID: run.id, message: "run \(run.id) (\(run.playbook)) \(closing.rawValue); undo finished: \(UndoSummary(run).text)"))
            return effects
        }
        end(&run, .completed, now, "completed")
        if let closing = run.closing {
            effects.append(.notify(runID: run.id, message: "run \(run.id) (\(run.playbook)) \(closing.rawValue); undoing: \(UndoSummary(run).pendingText)"))
            return effects + advance(&run, now: now)
        }
        effects.append(.notify(runID: run.id, message: "run \(run.id) (\(run.playbook)) completed"))
        return effects
    }

    private mutating func finish(runID: String, step index: Int, result: StepResult, requests: [String], now: Date) -> [EngineEffect] {
        guard var run = runs[runID], run.steps.indices.contains(index), run.steps[index].status == .running else {
            return []
        }
        var effects: [EngineEffect] = []
        var step = run.steps[index]
        step.recheck = false
        if !requests.isEmpty {
            let attempt = step.attempts
            step.requests = Array(((step.requests ?? []) + requests.map { "attempt \(attempt): \($0)" }).suffix(RunStep.maxRequests))
        }
        if run.closing != nil, step.phase != .undo {
            return finishAfterClose(&run, step: step, result: result, now: now)
        }
        switch result {
        case .waiting(let wait):
            step.status = .pending
            step.attempts = max(0, step.attempts - 1)
            effects += waitForChecks(&run, step: &step, wait, now: now)
            run.steps[index] = step
            store(run)
            return effects
        case .success(let detail, let snapshot):
            step.status = .done
            step.finishedAt = now
            step.outcome = detail
            if let wait = step.wait, wait.until == nil {
                step.wait?.until = now
                // The ladder keeps its spacing: the steps after one that waited for its load checks move by the wait.
                shiftLater(&run, after: index, by: now.timeIntervalSince(wait.since), now: now)
            }
            run.snapshot.merge(snapshot) { original, _ in original }
            record(&run, now, "step \(index) done: \(detail)")
        case .retryable(let message) where step.attempts < settings.maxAttempts:
            // In Double, and capped before any conversion: the attempt count and the settings may be large.
            let delay = min(settings.retryBackoff.timeInterval * pow(2, Double(step.attempts) - 1),
                            settings.maxRetryBackoff.timeInterval)
            step.status = .pending
            step.due = now.addingTimeInterval(delay)
            step.scheduledAt = now
            step.outcome = "attempt \(step.attempts) failed: \(message)"
            record(&run, now, "step \(index) attempt \(step.attempts) failed (\(message)); retrying in \(Duration.seconds(Int(saturating: delay)).playbookText)")
        case .retryable(let message) where step.phase == .undo, .permanent(let message) where step.phase == .undo:
            step.status = .failed
            step.finishedAt = now
            step.outcome = message
            record(&run, now, "undo step \(index) failed after \(step.attempts) attempt(s): \(message); the other undo steps go on")
            effects.append(.notify(runID: runID, message: "run \(runID) (\(run.playbook)): undo step \(index) (\(step.detail)) FAILED: \(message); undo it by hand"))
        case .retryable(let message), .permanent(let message):
            step.status = .failed
            step.finishedAt = now
            step.outcome = message
            run.steps[index] = step
            cancelPending(&run, reason: "step \(index) failed")
            end(&run, .failed, now, "step \(index) failed after \(step.attempts) attempt(s): \(message)")
            effects.append(.notify(runID: runID, message: "run \(runID) (\(run.playbook)) FAILED at step \(index) (\(step.detail)): \(message); needs a person"))
            store(run)
            return effects
        }
        run.steps[index] = step
        store(run)
        return effects
    }

    // MARK: - Shared helpers

    mutating func store(_ run: Run) {
        runs[run.id] = run
        changed.insert(run.id)
        schedule(run)
    }

    func record(_ run: inout Run, _ now: Date, _ message: String, kind: RunEvent.Kind? = nil) {
        run.history.append(RunEvent(at: now, message: message, kind: kind))
    }

    /// Records that `alert` joined `run`. While the run's last line is a join line, it is updated in place (count and
    /// latest alert) instead of adding one: under a flood the history, the saved run and the chat thread do not grow
    /// with every alert. Returns whether this join began a new line.
    func recordJoin(_ run: inout Run, _ now: Date, _ alert: String) -> Bool {
        if let last = run.history.indices.last, let count = run.history[last].joined {
            let total = count.addingReportingOverflow(1).overflow ? count : count + 1
            run.history[last].message = "\(total) alerts joined since \(RFC3339.format(run.history[last].at)), the latest \(alert): one run per target"
            run.history[last].joined = total
            return false
        }
        run.history.append(RunEvent(at: now, message: "\(alert) joined: one run per target", joined: 1))
        return true
    }

    /// Cancels every pending step except the undo steps (they run when the run ends).
    func cancelPending(_ run: inout Run, reason: String) {
        for index in run.steps.indices where run.steps[index].phase != .undo
            && (run.steps[index].status == .pending || run.steps[index].status == .waitingAck) {
            run.steps[index].status = .cancelled
            run.steps[index].outcome = reason
        }
    }

    /// Ends the run's work with `status`. With undo steps to carry out, the run first closes: it stays active, owning
    /// nothing, until they finish (``Run/closing``); a second call (or one on a closing run) ends it for good.
    func end(_ run: inout Run, _ status: RunStatus, _ now: Date, _ message: String) {
        if run.closing == nil, beginUndo(&run, status, now) {
            record(&run, now, "\(message); undoing: \(UndoSummary(run).pendingText)")
            return
        }
        run.status = status
        run.endedAt = now
        run.heldAt = nil
        record(&run, now, message)
    }

    private mutating func prune(now: Date) {
        let keep = settings.keepEnded.timeInterval
        guard now.timeIntervalSince(lastPrune) > 60 else { return }
        lastPrune = now
        for (id, run) in runs where !run.isOpen {
            if let ended = run.endedAt, now.timeIntervalSince(ended) > keep, !changed.contains(id) {
                runs[id] = nil
            }
        }
    }

    /// The number of a run id (`run-42` → 42), nil for another shape (and for digits past `Int.max`).
    public static func number(ofRunID id: String) -> Int? {
        guard id.hasPrefix("run-") else { return nil }
        return Int(id.dropFirst(4))
    }

    mutating func makeID() -> String {
        defer { nextNumber += 1 }
        return "run-\(nextNumber)"
    }
}

/// A run and the time it next needs attention, ordered by time.
struct AgendaEntry: Comparable, Sendable {
    var due: Date
    var runID: String

    static func < (lhs: AgendaEntry, rhs: AgendaEntry) -> Bool {
        (lhs.due, lhs.runID) < (rhs.due, rhs.runID)
    }
}
