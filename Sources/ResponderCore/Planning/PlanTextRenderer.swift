/// The text form of a plan that `responder plan` prints and chat messages reuse.
public enum PlanTextRenderer {
    /// Renders every part of the plan: alert, playbook evaluations, timelines with notes.
    public static func render(_ plan: Plan) -> String {
        var lines: [String] = []
        let alert = plan.alert
        lines.append("Alert \(alert.name ?? "(no alertname)") (\(alert.source.rawValue), \(alert.status.rawValue), fingerprint \(alert.fingerprint))")
        let labels = alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }
        lines.append("  labels: \(labels.joined(separator: ", "))")
        lines.append("  planned at \(RFC3339.format(plan.generatedAt))")
        lines.append("Playbooks:")
        if plan.evaluations.isEmpty { lines.append("  (none loaded)") }
        for evaluation in plan.evaluations {
            if evaluation.matched {
                lines.append("  MATCH \(evaluation.playbook) (\(evaluation.kind.rawValue))")
                lines += evaluation.reasons.map { "        \($0)" }
            } else {
                lines.append("  no    \(evaluation.playbook): \(evaluation.reasons.joined(separator: "; "))")
            }
        }
        if plan.timelines.isEmpty { lines.append("No playbook matched: nothing would be done.") }
        for timeline in plan.timelines {
            lines.append("")
            lines.append("Timeline of \(timeline.playbook) (\(timeline.kind.rawValue)\(timeline.dryRun ? ", dry-run" : "")):")
            if timeline.steps.isEmpty { lines.append("  (no steps)") }
            for step in timeline.steps {
                let when = step.due.map(RFC3339.format) ?? (step.anchor == .runEnd ? "(when the run ends)" : "(after the \(step.anchor.rawValue))")
                let target = step.target.map { " \($0)" } ?? ""
                lines.append("  \(pad(when, 26)) \(pad(anchorText(step), 18)) \(step.action)\(target): \(step.detail)")
                lines += step.notes.map { "      note: \($0)" }
            }
            lines += timeline.notes.map { "  note: \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `now`, `resolve +30m`, `event_start -24h`.
    static func anchorText(_ step: Plan.Step) -> String {
        step.offsetSeconds == 0 ? step.anchor.rawValue : "\(step.anchor.rawValue) \(offset(step.offsetSeconds))"
    }

    /// `+1h30m`, `-24h`, `+45s`.
    static func offset(_ seconds: Int) -> String {
        (seconds < 0 ? "" : "+") + Duration.seconds(seconds).playbookText
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "," || $0.isNewline }) ? "\"\(value.debugDescription.dropFirst().dropLast())\"" : value
    }
}
