import Foundation

/// Pauses and blast-radius limits, applied to each due step before it is handed out (``StepGuard``).
extension RunEngine {
    /// What happened to a due step under the guardrails.
    enum Guarded {
        /// It may run.
        case go
        /// It was skipped (a pause with `mode: skip`); the engine moves to the next step.
        case skipped
        /// It waits (for a pause, a window, or an acknowledgement); the run stops here for now.
        case stopped
    }

    /// Applies the pauses and limits in force to the run's due step `index`: it waits, is skipped or is held, and the
    /// run's thread is told once per pause or limit; a step that waited and may now run says so, and the steps after
    /// it move as much later (the ladder keeps its spacing).
    func guardStep(_ run: inout Run, index: Int, now: Date, effects: inout [EngineEffect]) -> Guarded {
        var step = run.steps[index]
        switch StepGuard.decide(step, of: run, guardrails: guardrails, limits: settings.limits, now: now) {
        case .go:
            guard let block = step.blocked else { return .go }
            step.blocked = nil
            run.steps[index] = step
            let waited = now.timeIntervalSince(block.since)
            record(&run, now, "step \(index) runs: \(block.reason) no longer stops it")
            shiftLater(&run, after: index, by: waited, now: now, for: block.isLimit ? "a limit" : "a pause")
            return .go
        case .paused(let pause):
            if pause.mode == .skip, step.work != .restore, step.phase != .undo {
                step.status = .skipped
                step.outcome = "skipped: paused by \(pause.id) (\(pause.reason))"
                step.blocked = nil
                run.steps[index] = step
                tell(&run, key: pause.id, now, "paused by \(pause.text): covered steps are skipped while it lasts "
                    + "(step \(index), \(step.detail), skipped)", kind: .paused, effects: &effects)
                return .skipped
            }
            let recheck = now.addingTimeInterval(settings.pauseRecheck.timeInterval)
            block(&run, &step, key: pause.id, reason: "paused by \(pause.id)", now: now)
            step.due = min(pause.until ?? recheck, recheck)
            step.outcome = "waiting: paused by \(pause.text)"
            run.steps[index] = step
            tell(&run, key: pause.id, now, "paused by \(pause.text): step \(index) (\(step.detail)) waits until the pause ends; "
                + "the steps after it keep their spacing", kind: .paused, effects: &effects)
            return .stopped
        case .overLimit(let hit):
            block(&run, &step, key: hit.key, reason: "over \(hit.description)", now: now)
            if let frees = hit.freesAt, hit.onLimit == .wait {
                step.due = frees
                step.outcome = "waiting until \(RFC3339.format(frees)): over \(hit.description)"
                run.steps[index] = step
                tell(&run, key: hit.key, now, "step \(index) (\(step.detail)) waits: over \(hit.description); the window has room again at "
                    + RFC3339.format(frees), kind: .overLimit, effects: &effects)
                return .stopped
            }
            step.status = .waitingAck
            step.outcome = "held: over \(hit.description)"
            run.steps[index] = step
            record(&run, now, "step \(index) held: over \(hit.description)", kind: .overLimit)
            effects.append(.notify(runID: run.id, message: "step \(index) (\(step.detail)) is over \(hit.description): acknowledge to let "
                + "this step run anyway, or abort"))
            return .stopped
        }
    }

    /// Marks the step blocked by `key`, keeping when it began waiting while one block follows another.
    private func block(_ run: inout Run, _ step: inout RunStep, key: String, reason: String, now: Date) {
        step.blocked = RunStep.StepBlock(key: key, reason: reason, since: step.blocked?.since ?? now)
        step.scheduledAt = now
    }

    /// Tells the run's thread `message` the first time this run meets `key` (a pause id, a limit key).
    private func tell(_ run: inout Run, key: String, _ now: Date, _ message: String, kind: RunEvent.Kind,
                      effects: inout [EngineEffect]) {
        guard !(run.notices ?? []).contains(key) else { return }
        run.notices = (run.notices ?? []) + [key]
        record(&run, now, message, kind: kind)
        effects.append(.notify(runID: run.id, message: "run \(run.id) (\(run.playbook)): \(message)"))
    }

    /// Counts the steps just handed out against the limits (one record per step; a retry moves its time).
    mutating func recordActions(_ effects: [EngineEffect], now: Date) {
        // A long simulation keeps one engine: only the last day's actions can count.
        if guardrails.actions.first.map({ now.timeIntervalSince($0.at) > Guardrails.actionHorizon.timeInterval }) ?? false {
            guardrails.forget(before: now)
        }
        for case .execute(let runID, let step, _, _) in effects where StepGuard.counts(step) {
            guard let run = runs[runID] else { continue }
            let action = ActionRecord(runID: runID, step: step.index, playbook: run.playbook, target: step.target, at: now, dryRun: run.dryRun)
            guardrails.record(action)
            handedOut.append(action)
        }
    }

    /// Makes the run's next step, waiting for one of `keys` (pauses just lifted), due now, so the next tick looks at it
    /// at once rather than at its next re-check; returns whether it did.
    public mutating func recheckBlocked(runID: String, keys: Set<String>, now: Date) -> Bool {
        guard var run = runs[runID], run.status == .active, let index = run.nextStepIndex,
              run.steps[index].status == .pending, let block = run.steps[index].blocked, keys.contains(block.key) else { return false }
        run.steps[index].due = min(run.steps[index].due ?? now, now)
        store(run)
        return true
    }

    /// Actions handed out since the last call, for the driver to keep in the store.
    public mutating func drainActions() -> [ActionRecord] {
        defer { handedOut.removeAll() }
        return handedOut
    }
}
