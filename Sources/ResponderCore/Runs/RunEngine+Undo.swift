import Foundation

/// Undo steps (carried out once when a run ends, for any reason) and load-check waits.
extension RunEngine {
    /// Starts the run's undo: each undo step whose action succeeded (or a `cleanup:` step) becomes due now, one whose
    /// action is still running waits for it, and one whose action never succeeded is skipped. Returns false when there
    /// is nothing to undo (the run then ends at once).
    func beginUndo(_ run: inout Run, _ status: RunStatus, _ now: Date) -> Bool {
        var any = false
        for index in run.steps.indices where run.steps[index].phase == .undo && run.steps[index].status == .pending {
            guard let undone = run.steps[index].undoes else {
                run.steps[index].due = now
                run.steps[index].scheduledAt = now
                any = true
                continue
            }
            switch run.steps.indices.contains(undone) ? run.steps[undone].status : .cancelled {
            case .done:
                run.steps[index].due = now
                run.steps[index].scheduledAt = now
                any = true
            case .running:
                run.steps[index].due = nil
                any = true
            case let other:
                run.steps[index].status = .skipped
                run.steps[index].outcome = "step \(undone) never succeeded (\(other.rawValue)): nothing to undo"
            }
        }
        guard any else { return false }
        run.closing = status
        run.status = .active
        run.heldAt = nil
        run.endedAt = now
        return true
    }

    /// A step of a closing run found running at a restart: its outcome is unknown, so it is not repeated, and its undo
    /// runs as if it had succeeded (undo calls are resets, harmless when there was nothing to undo).
    static func abandon(_ run: inout Run, step index: Int) {
        run.steps[index].status = .cancelled
        run.steps[index].outcome = "outcome unknown: Responder stopped while it ran, after the run had ended; not repeated, its undo runs"
        let due = run.endedAt ?? run.steps[index].startedAt ?? Date(timeIntervalSince1970: 0)
        for undo in run.steps.indices where run.steps[undo].phase == .undo && run.steps[undo].undoes == index
            && run.steps[undo].status == .pending && run.steps[undo].due == nil {
            run.steps[undo].due = due
            run.steps[undo].scheduledAt = due
        }
    }

    /// Cancels the pending undo steps (a person aborted a closing run).
    func cancelUndo(_ run: inout Run, reason: String) {
        for index in run.steps.indices where run.steps[index].phase == .undo && !run.steps[index].status.isFinished
            && run.steps[index].status != .running {
            run.steps[index].status = .cancelled
            run.steps[index].outcome = reason
        }
    }

    /// A step that was running when the run closed reports back: its undo runs if it succeeded and is skipped if it
    /// did not; the step itself is not retried (the run's work has ended).
    mutating func finishAfterClose(_ run: inout Run, step: RunStep, result: StepResult, now: Date) -> [EngineEffect] {
        var step = step
        let succeeded: Bool
        step.finishedAt = now
        switch result {
        case .success(let detail, let snapshot):
            step.status = .done
            step.outcome = detail
            run.snapshot.merge(snapshot) { original, _ in original }
            succeeded = true
        case .retryable(let message), .permanent(let message):
            step.status = .failed
            step.outcome = "\(message) (not retried: the run had ended)"
            succeeded = false
        case .waiting(let wait):
            step.status = .cancelled
            step.outcome = "not run: the run ended while it waited (\(wait.reason))"
            succeeded = false
        }
        run.steps[step.index] = step
        record(&run, now, "step \(step.index), running when the run ended, \(succeeded ? "done" : "did not succeed"): \(step.outcome ?? "")")
        for index in run.steps.indices where run.steps[index].phase == .undo && run.steps[index].undoes == step.index
            && run.steps[index].status == .pending {
            if succeeded {
                run.steps[index].due = now
                run.steps[index].scheduledAt = now
            } else {
                run.steps[index].status = .skipped
                run.steps[index].outcome = "step \(step.index) never succeeded: nothing to undo"
            }
        }
        store(run)
        return []
    }

    /// A step's load checks did not hold: it waits `recheck` and is tried again; people are told when it starts
    /// waiting, and after `max_wait` the run is held with the value seen.
    func waitForChecks(_ run: inout Run, step: inout RunStep, _ wait: GateWait, now: Date) -> [EngineEffect] {
        var effects: [EngineEffect] = []
        let recheck = max(wait.recheck, .seconds(1))
        step.due = now.addingTimeInterval(recheck.timeInterval)
        step.scheduledAt = now
        step.outcome = "waiting for \(wait.check): \(wait.reason)"
        if var current = step.wait, current.until == nil {
            current.checks = current.checks < Int.max ? current.checks + 1 : Int.max
            current.lastChecked = now
            // The history says when the kind of answer changes (a value on the wrong side, or none at all), not at
            // every re-check.
            if (current.last.value == nil) != (wait.value == nil) {
                record(&run, now, "step \(step.index) still waits: \(wait.check): \(wait.reason)", kind: .gateWait)
            }
            current.last = wait
            step.wait = current
        } else {
            step.wait = RunStep.StepWait(since: now, last: wait)
            record(&run, now, "step \(step.index) waits for its load check: \(wait.check): \(wait.reason); checking again every "
                + "\(recheck.playbookText), holding the run after \(wait.maxWait.playbookText)", kind: .gateWait)
            effects.append(.notify(runID: run.id, message: "step \(step.index) (\(step.detail)) waits: \(wait.check): \(wait.reason); "
                + "checking again every \(recheck.playbookText), holding the run after \(wait.maxWait.playbookText)"))
        }
        if let since = step.wait?.since, now.timeIntervalSince(since) >= wait.maxWait.timeInterval {
            run.status = .held
            run.heldAt = now
            record(&run, now, "held: step \(step.index) waited \(wait.maxWait.playbookText) for \(wait.check) (\(wait.reason))", kind: .held)
            effects.append(.notify(runID: run.id, message: "run \(run.id) HELD: step \(step.index) (\(step.detail)) waited \(wait.maxWait.playbookText) "
                + "for \(wait.check); last: \(wait.reason). Resume to keep checking, or abort"))
        }
        return effects
    }
}

extension RunEngine {
    /// Moves the pending steps after `index` that have a due time later by `seconds` (a step waited that long for its
    /// load checks), so the ladder's spacing is kept and they do not count as missed deadlines.
    func shiftLater(_ run: inout Run, after index: Int, by seconds: TimeInterval, now: Date, for why: String = "its load checks") {
        guard seconds > 0 else { return }
        var moved = 0
        for later in run.steps.indices where later > index && run.steps[later].status == .pending && run.steps[later].phase != .undo {
            guard let due = run.steps[later].due else { continue }
            run.steps[later].due = due.addingTimeInterval(seconds)
            run.steps[later].scheduledAt = now
            moved += 1
        }
        if moved > 0 {
            record(&run, now, "step \(index) waited \(Duration.seconds(Int(saturating: seconds)).playbookText) for \(why): "
                + "the \(moved) step(s) after it move as much later")
        }
    }
}

/// The undo steps of a run, summed up for people.
struct UndoSummary {
    let run: Run

    init(_ run: Run) {
        self.run = run
    }

    private var steps: [RunStep] { run.steps.filter { $0.phase == .undo } }

    /// `2 undo step(s): POST .../reset, aws rds delete-db-instance ...`.
    var pendingText: String {
        let pending = steps.filter { !$0.status.isFinished }
        return pending.isEmpty ? "nothing" : pending.map(\.detail).joined(separator: "; ")
    }

    /// `3 done, 1 failed, 1 skipped`.
    var text: String {
        let counts = Dictionary(grouping: steps, by: \.status).mapValues(\.count)
        let parts = [StepStatus.done, .failed, .skipped, .cancelled].compactMap { status in
            counts[status].map { "\($0) \(status.rawValue)" }
        }
        return parts.isEmpty ? "nothing to undo" : parts.joined(separator: ", ")
    }
}
