import Foundation
import ResponderCore
import ResponderRuntime

/// Plans each accepted alert against the active playbooks so the plan is stored with it, and hands newly journaled
/// alerts to the run engine.
struct IngestPlanner: Sendable {
    let registry: PlaybookRegistry
    let runs: (any RunControl)?
    let now: @Sendable () -> Date

    /// Tells the run driver that the journal stored new alerts (it reads them back from the journal), without
    /// delaying the answer.
    func startRuns(receipt: JournalReceipt) {
        guard let runs, !receipt.newAlertKeys.isEmpty else { return }
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
