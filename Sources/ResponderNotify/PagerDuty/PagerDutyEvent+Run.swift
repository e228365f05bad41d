import Foundation
import ResponderCore

extension PagerDutyEvent {
    /// The trigger of `run`'s incident: summary `Responder <playbook>: <alert> — <status>`, source `responder`,
    /// severity `critical` for emergency-scale and `warning` otherwise, details with the targets and the next step.
    /// `dedupKey` must be stable for the run (the same for its acknowledge and resolve).
    public static func trigger(run: Run, dedupKey: String, links: [PagerDutyLink] = [], now: Date) -> PagerDutyEvent {
        .trigger(dedupKey: dedupKey, payload: PagerDutyRunText.payload(run: run, now: now), links: links)
    }
}

extension PagerDutyChangeEvent {
    /// A change event of `run` saying `text` (a step carried out), with the run's details.
    public static func step(run: Run, text: String, now: Date, links: [PagerDutyLink] = []) -> PagerDutyChangeEvent {
        let alert = run.alertName.map { " (\($0))" } ?? ""
        return PagerDutyChangeEvent(summary: "Responder \(run.playbook)\(alert): \(text)", source: "responder",
                                    timestamp: now, customDetails: PagerDutyRunText.details(run: run), links: links)
    }
}
