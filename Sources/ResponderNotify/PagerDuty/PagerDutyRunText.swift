import Foundation
import ResponderCore

/// The text of a run in PagerDuty: plain text (PagerDuty renders no markup), bounded.
public enum PagerDutyRunText {
    /// `Responder <playbook>: <alert> — <status>` within 1024 characters.
    public static func summary(run: Run) -> String {
        let status = run.status.rawValue + (run.acknowledgedBy.map { ", acknowledged by \($0)" } ?? "")
        return PagerDutyWire.cut("Responder \(run.playbook): \(run.alertName ?? run.alertFingerprint) — \(status)")
    }

    /// The trigger payload of `run`.
    public static func payload(run: Run, now: Date) -> PagerDutyEvent.Payload {
        PagerDutyEvent.Payload(
            summary: summary(run: run), source: "responder",
            severity: run.kind == .emergencyScale ? .critical : .warning, timestamp: now,
            component: run.targets.isEmpty ? nil : bounded(run.targets.joined(separator: ", ")),
            group: run.playbook, eventClass: run.kind.rawValue, customDetails: details(run: run))
    }

    /// `custom_details`: run id, playbook, kind, alert, status, targets, dry-run, acknowledgement, next step, last event.
    public static func details(run: Run) -> [String: String] {
        var details: [String: String] = [
            "run_id": run.id, "playbook": run.playbook, "kind": run.kind.rawValue, "status": run.status.rawValue,
            "targets": bounded(run.targets.joined(separator: ", ")), "dry_run": run.dryRun ? "true" : "false",
            "alert_fingerprint": run.alertFingerprint, "started_at": RFC3339.format(run.startedAt),
        ]
        details["alert"] = run.alertName.map(bounded)
        details["acknowledged_by"] = run.acknowledgedBy.map(bounded)
        if run.isOpen, let index = run.nextStepIndex {
            let step = run.steps[index]
            let when = step.due.map { " at \(RFC3339.format($0))" } ?? " (\(StepLines.anchorText(step)))"
            details["next_step"] = bounded("step \(step.index)\(when): \(step.detail)")
        }
        details["last_event"] = run.history.last.map { bounded($0.message) }
        return details
    }

    private static func bounded(_ text: String) -> String {
        text.count <= 1000 ? text : String(text.prefix(999)) + "…"
    }
}
