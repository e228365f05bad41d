import Foundation

/// A person's commands on a run: acknowledge, hold, resume, abort.
extension RunEngine {
    /// Applies a person's command; throws when it does not apply.
    public mutating func apply(_ command: RunCommand, to runID: String, actor: String, now: Date) throws(RunCommandError) -> [EngineEffect] {
        guard var run = runs[runID] else { throw .unknownRun(runID) }
        guard run.isOpen else { throw .finished(runID, run.status) }
        var effects: [EngineEffect] = []
        switch command {
        case .ack:
            run.acknowledgedBy = actor
            for index in run.steps.indices where run.steps[index].status == .waitingAck {
                run.steps[index].status = .pending
                run.steps[index].acknowledged = true
                // A step held over a limit runs anyway: the person who acknowledged was told which limit.
                if run.steps[index].blocked?.isLimit == true { run.steps[index].limitWaived = true }
            }
            record(&run, now, "acknowledged by \(actor)", kind: .acknowledged)
        case .hold:
            guard run.status == .active else { throw .notApplicable("run \(runID) is already held") }
            run.status = .held
            run.heldAt = now
            record(&run, now, "held by \(actor): no step fires until resumed", kind: .held)
        case .resume:
            guard run.status == .held, let heldAt = run.heldAt else { throw .notApplicable("run \(runID) is not held") }
            // Each step moves by the part of the hold after its due time was set: a ladder scheduled by a resolve
            // during the hold only moves by the time held since then.
            for index in run.steps.indices where run.steps[index].status == .pending {
                guard let due = run.steps[index].due else { continue }
                let since = max(heldAt, run.steps[index].scheduledAt ?? heldAt)
                run.steps[index].due = due.addingTimeInterval(max(0, now.timeIntervalSince(since)))
                run.steps[index].scheduledAt = now
                // A step held for its load checks gets a whole `max_wait` again.
                if run.steps[index].wait?.until == nil { run.steps[index].wait?.since = now }
            }
            run.status = .active
            run.heldAt = nil
            record(&run, now, "resumed by \(actor); remaining steps moved \(Duration.seconds(Int(saturating: now.timeIntervalSince(heldAt))).playbookText) later (or less, if scheduled during the hold)", kind: .resumed)
        case .abort:
            if run.closing != nil {
                cancelUndo(&run, reason: "undo cancelled by \(actor)")
                end(&run, .aborted, now, "aborted by \(actor) while undoing: remaining undo steps cancelled")
            } else {
                cancelPending(&run, reason: "aborted by \(actor)")
                end(&run, .aborted, now, "aborted by \(actor)")
            }
        }
        effects.append(.notify(runID: runID, message: run.history.last?.message ?? command.rawValue))
        store(run)
        return effects
    }
}
