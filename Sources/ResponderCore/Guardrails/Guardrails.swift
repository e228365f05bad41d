import Foundation

/// What the run engine checks before it hands out a step, beyond the run's own gates: the pauses in force and the
/// actions taken recently (for the limits of ``EngineSettings/limits`` and of each run's playbook). The driver reads
/// them from the store in each run transaction, so a pause set on one replica stops every replica's next step.
public struct Guardrails: Sendable, Equatable {
    /// Pauses (lifted ones and those past their expiry are ignored).
    public var pauses: [Pause]
    /// Actions handed out within the longest window that may matter (a day at most).
    public var actions: [ActionRecord]

    /// Creates guardrails.
    public init(pauses: [Pause] = [], actions: [ActionRecord] = []) {
        self.pauses = pauses
        self.actions = actions
    }

    /// How far back actions are kept and read: the longest window a limit may have.
    public static let actionHorizon: Duration = ActionLimits.window.upperBound

    /// Records (or, for a step already recorded, moves) an action.
    public mutating func record(_ action: ActionRecord) {
        if let index = actions.firstIndex(where: { $0.runID == action.runID && $0.step == action.step }) {
            actions[index] = action
        } else {
            actions.append(action)
        }
    }

    /// Drops actions older than the horizon.
    public mutating func forget(before now: Date) {
        let cutoff = now.addingTimeInterval(-Self.actionHorizon.timeInterval)
        actions.removeAll { $0.at < cutoff }
    }
}
