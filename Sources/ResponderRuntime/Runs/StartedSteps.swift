import Foundation
import Logging
import ResponderCore

/// The driver's side of the effect interpreter: notifications go to the log (people are told through the outbox the
/// transaction filled), steps are collected to be started once the transaction that made them running has committed.
struct StartedSteps: EffectHandler {
    /// Where notices are logged.
    let logger: Logger
    /// This driver's name, in the log lines.
    let owner: String
    /// Steps handed out, in order, to start after the commit.
    var started: [StepExecution] = []

    /// Logs the notice (people hear of it through the outbox).
    mutating func notify(runID: String?, message: String) {
        logger.notice("\(message)", metadata: ["run": "\(runID ?? "-")", "replica": "\(owner)"])
    }

    /// Collects the step; its result comes later, from the timer service.
    mutating func execute(runID: String, step: RunStep, snapshot: [String: String], dryRun: Bool) -> StepResult? {
        // Which replica ran which step is otherwise not recorded anywhere.
        logger.info("step started", metadata: ["run": "\(runID)", "step": "\(step.index)", "attempt": "\(step.attempts)",
                                               "recheck": "\(step.recheck)", "replica": "\(owner)"])
        started.append(StepExecution(runID: runID, step: step, snapshot: snapshot, dryRun: dryRun))
        return nil
    }

    /// Nothing follows here: results arrive through ``RunCoordinator/finished(_:result:)``.
    mutating func finished(runID: String, step: Int, result: StepResult) -> [EngineEffect] { [] }
}
