import Foundation
import ResponderCore
import ResponderRuntime
import ResponderTracing
import Tracing

/// Plans each accepted alert against the active playbooks so the plan is stored with it, and hands newly journaled
/// alerts to the run engine.
struct IngestPlanner: Sendable {
    let registry: PlaybookRegistry
    let runs: (any RunControl)?
    let now: @Sendable () -> Date
    /// Where the delivery's trace context is left for the engine, by alert key.
    let traces: TraceMemory

    /// Tells the run driver that the journal stored new alerts (it reads them back from the journal), without
    /// delaying the answer; the current trace context (the delivery's span) is remembered for each of them, so the
    /// engine's handling continues the delivery's trace.
    func startRuns(receipt: JournalReceipt) {
        guard let runs, !receipt.newAlertKeys.isEmpty else { return }
        if let context = ServiceContext.current {
            for key in receipt.newAlertKeys { traces.remember(context, for: key) }
        }
        runs.alertsAccepted()
    }

    /// Plan JSON by alert idempotency key; empty when no playbook set is loaded. Replica counts are not known at
    /// ingest (executors read them when a run starts), so relative values assume the floor and the plan says so.
    func plans(for alerts: [NormalizedAlert]) async -> [String: String] {
        guard !alerts.isEmpty, let set = await registry.playbooks else { return [:] }
        var plans: [String: String] = [:]
        for alert in alerts {
            let plan = Planner.plan(PlanInput(alert: alert, playbooks: set, now: now()))
            if let data = try? PlanJSON.encode(plan) {
                plans[alert.idempotencyKey] = String(decoding: data, as: UTF8.self)
            }
        }
        return plans
    }
}
