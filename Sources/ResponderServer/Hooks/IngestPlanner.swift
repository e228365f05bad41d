import Foundation
import ResponderCore

/// Plans each accepted alert against the active playbooks so the plan is stored with it, and hands newly journaled
/// alerts to the run engine.
struct IngestPlanner: Sendable {
    let registry: PlaybookRegistry
    let runs: (any RunControl)?
    let now: @Sendable () -> Date

    /// Passes the alerts the journal stored for the first time to the run engine, without delaying the answer.
    func startRuns(for alerts: [NormalizedAlert], receipt: JournalReceipt) {
        guard let runs else { return }
        let fresh = Set(receipt.newAlertKeys)
        let newAlerts = alerts.filter { fresh.contains($0.idempotencyKey) }
        guard !newAlerts.isEmpty else { return }
        Task { await runs.alertsAccepted(newAlerts) }
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
