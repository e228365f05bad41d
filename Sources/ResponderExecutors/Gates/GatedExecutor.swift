import Foundation
import ResponderCore

/// Runs a step only when its load checks hold (`gates.checks`): each check is read over its window and decided by
/// ``GateDecision``; a check that does not hold, or cannot be evaluated, makes the step ``StepResult/waiting(_:)``
/// without touching anything. Dry-run steps are gated too (reading a metric changes nothing). Steps without checks
/// go straight to the wrapped executor.
public struct GatedExecutor: StepExecutor {
    private let inner: any StepExecutor
    private let reader: any MetricReader
    private let now: @Sendable () -> Date

    /// Wraps `inner`; `reader` answers the checks (usually a ``MetricRouter``), `now` is the clock.
    public init(_ inner: any StepExecutor, reader: any MetricReader, now: @escaping @Sendable () -> Date) {
        self.inner = inner
        self.reader = reader
        self.now = now
    }

    /// Reads and decides the step's checks, then runs it through the wrapped executor when they hold.
    public func execute(_ step: RunStep, runID: String, snapshot: [String: String], dryRun: Bool) async -> StepResult {
        guard let checks = step.checks, !checks.isEmpty else {
            return await inner.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
        }
        let at = now()
        var readings: [(LoadCheck, MetricReading)] = []
        for check in checks {
            readings.append((check, await reader.read(check, from: check.readingStart(at: at), to: at)))
        }
        switch GateDecision.decide(readings, now: at) {
        case .waits(let wait):
            return .waiting(wait)
        case .holds(let text):
            let result = await inner.execute(step, runID: runID, snapshot: snapshot, dryRun: dryRun)
            guard case .success(let detail, let captured) = result else { return result }
            return .success(detail: "\(detail) (checks held: \(text))", snapshot: captured)
        }
    }

    /// The wrapped executor's replica counts.
    public func replicas(of targets: [String]) async -> [String: Int] {
        await inner.replicas(of: targets)
    }

    /// The wrapped executor's autoscaler readings.
    public func autoscalerDesired(of targets: [String]) async -> [String: Int] {
        await inner.autoscalerDesired(of: targets)
    }
}
