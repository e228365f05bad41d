import Foundation
import ResponderCore

/// What the server does with every accepted alert before it answers: plan it against the active playbooks and store
/// the plan as JSON (`IngestPlanner.plans(for:)`); `responder plan` prints the same plan as text.
enum IngestPlanning {
    /// Most alerts of one input planned, so a huge group does not turn one input into minutes of planning.
    static let maxAlerts = 8

    /// Plans each of `alerts` (up to ``maxAlerts``) against `playbooks` as of `now`, then encodes and renders it.
    static func plan(_ alerts: [NormalizedAlert], playbooks: PlaybookSet = FuzzFixtures.playbooks,
                     now: Date = FuzzFixtures.now) throws {
        for alert in alerts.prefix(maxAlerts) {
            let plan = Planner.plan(PlanInput(alert: alert, playbooks: playbooks, now: now))
            _ = try PlanJSON.encode(plan)
            _ = PlanTextRenderer.render(plan)
        }
    }
}
