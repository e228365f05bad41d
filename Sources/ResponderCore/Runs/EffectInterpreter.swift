import Foundation

/// What carries out the engine's effects: the server's run driver (which starts a step and reports its result later),
/// `simulate` and the test harnesses (which finish a step at once). One interpreter walks the effects for all of them,
/// so they see the same effects in the same order.
public protocol EffectHandler {
    /// Tells people (the log, and through the driver's outbox Slack and PagerDuty).
    mutating func notify(runID: String?, message: String)
    /// Carries out a step: returns its result when it finished at once, nil when it was started and its result comes
    /// back later as ``EngineEvent/stepFinished(runID:step:result:)``.
    mutating func execute(runID: String, step: RunStep, snapshot: [String: String], dryRun: Bool) -> StepResult?
    /// Feeds a step's result back to the engine and returns what that hands out.
    mutating func finished(runID: String, step: Int, result: StepResult) -> [EngineEffect]
}

/// Carries out effects in order. A step's result that comes back at once is fed to the engine straight away, and what
/// that hands out runs before the effects after it (depth first), so a run's steps at one instant stay together.
public enum EffectInterpreter {
    /// Carries out `effects` on `handler`; stops after `limit` effects (a playbook that hands out steps forever) and
    /// returns false then, true when every effect was carried out.
    @discardableResult
    public static func run<Handler: EffectHandler>(_ effects: [EngineEffect], on handler: inout Handler, limit: Int = .max) -> Bool {
        var queue = EffectQueue(effects)
        while let effect = queue.next() {
            guard queue.handed <= limit else { return false }
            switch effect {
            case .notify(let runID, let message):
                handler.notify(runID: runID, message: message)
            case .execute(let runID, let step, let snapshot, let dryRun):
                if let result = handler.execute(runID: runID, step: step, snapshot: snapshot, dryRun: dryRun) {
                    queue.followUp(handler.finished(runID: runID, step: step.index, result: result))
                }
            }
        }
        return true
    }
}

/// The order ``EffectInterpreter`` carries effects out in, for a driver whose steps finish asynchronously in place
/// (a test harness awaiting a real executor): take effects with ``next()`` and put what a result hands out right after
/// the step with ``followUp(_:)``.
public struct EffectQueue: Sendable {
    private var pending: [EngineEffect]
    private var index = 0
    /// Effects handed out so far.
    public private(set) var handed = 0

    /// A queue of `effects`.
    public init(_ effects: [EngineEffect]) {
        pending = effects
    }

    /// The next effect, nil when none is left.
    public mutating func next() -> EngineEffect? {
        guard index < pending.count else { return nil }
        defer { index += 1 }
        handed += 1
        return pending[index]
    }

    /// Puts `effects` right after the effect last handed out.
    public mutating func followUp(_ effects: [EngineEffect]) {
        pending.insert(contentsOf: effects, at: index)
    }
}
