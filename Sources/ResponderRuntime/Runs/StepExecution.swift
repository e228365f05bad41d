import Foundation
import ResponderCore
import Tracing

/// A step the driver started and hands to the run timer service, which executes it in its task group and reports the
/// result back (``RunCoordinator/finished(_:result:)``).
public struct StepExecution: Sendable {
    /// The run the step belongs to.
    public var runID: String
    /// The step, with its attempt number and idempotency key.
    public var step: RunStep
    /// The run's snapshot of original values (restores read it).
    public var snapshot: [String: String]
    /// Whether the step only records what it would do.
    public var dryRun: Bool
    /// The trace context of the engine span that started the step (in memory only: a step re-checked after a
    /// restart starts a new trace).
    public var trace: ServiceContext?

    /// A step of `runID` to execute.
    public init(runID: String, step: RunStep, snapshot: [String: String], dryRun: Bool) {
        self.runID = runID
        self.step = step
        self.snapshot = snapshot
        self.dryRun = dryRun
    }

    /// How late the step started against its due time, in seconds; 0 when on time or without a due time. A pause, a
    /// limit, a load-check wait or a hold moves the due time to the next re-check, so their waits do not count; a wait
    /// for an acknowledgement keeps it, so that wait does, as do a re-check after a takeover and a step run late after
    /// downtime.
    public var lateness: TimeInterval {
        guard let due = step.due, let started = step.startedAt else { return 0 }
        return max(0, started.timeIntervalSince(due))
    }
}
