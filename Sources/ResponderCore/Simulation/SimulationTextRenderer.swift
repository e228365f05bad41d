import Foundation

/// The text form `responder simulate` prints: the timeline (virtual time, offset, run, step, target, from -> to or
/// detail, notifications), the scaling report of each run that ended (Markdown), the runs, the final replica counts, then every expectation with its result.
public enum SimulationTextRenderer {
    /// Renders the whole result.
    public static func render(_ result: SimulationResult) -> String {
        let scenario = result.scenario
        var lines: [String] = ["Scenario \(scenario.name) (\(scenario.file))"]
        if let description = scenario.description { lines.append("  \(description)") }
        lines.append("  from \(RFC3339.format(scenario.start)) until +\(scenario.until.playbookText) (\(RFC3339.format(scenario.end)))")
        lines.append("")
        lines.append("Timeline:")
        if result.timeline.isEmpty { lines.append("  (nothing happened)") }
        for entry in result.timeline {
            let (who, text) = describe(entry.kind)
            lines.append("  \(RFC3339.format(entry.at))  \(pad(entry.offsetText, 10)) \(pad(who, 8)) \(text)")
        }
        for report in result.reports {
            lines.append("")
            lines.append(report.markdown.trimmingCharacters(in: .newlines))
        }
        lines.append("")
        lines.append("Runs:")
        if result.runs.isEmpty { lines.append("  (none started)") }
        for run in result.runs {
            let started = offset(run.startedAt, scenario)
            let ended = run.endedAt.map { ", ended \(offset($0, scenario))" } ?? ""
            lines.append("  \(pad(run.id, 7)) \(run.playbook) (\(run.kind.rawValue)): \(run.status.rawValue), started \(started)\(ended)")
        }
        lines.append("")
        lines.append("Final replicas:")
        let counts = result.touchedTargets.map { "\($0) \(result.finalReplicas[$0].map(String.init) ?? "?")" }
        lines.append("  " + (counts.isEmpty ? "(no target set, changed or checked)" : counts.joined(separator: ", ")))
        if !result.problems.isEmpty {
            lines.append("")
            lines.append("Problems:")
            lines += result.problems.map { "  \($0)" }
        }
        lines.append("")
        lines.append(contentsOf: expectationLines(result))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func expectationLines(_ result: SimulationResult) -> [String] {
        var lines = ["Expectations:"]
        if result.scenario.expect == nil { lines.append("  (none: the scenario only shows a timeline)") }
        for check in result.checks {
            let place = check.location.line > 0 ? "\(check.location)" : check.location.file
            lines.append(check.failure.map { "  FAIL  \(place): \(check.expectation): \($0)" } ?? "  ok    \(place): \(check.expectation)")
        }
        let failed = result.checks.filter { !$0.passed }.count
        let problems = result.problems.count
        lines.append("")
        if result.passed {
            lines.append("PASSED: \(result.checks.count) expectation(s) met")
        } else {
            var parts: [String] = []
            if failed > 0 { parts.append("\(failed) of \(result.checks.count) expectation(s) failed") }
            if problems > 0 { parts.append("\(problems) problem(s)") }
            lines.append("FAILED: " + parts.joined(separator: ", "))
        }
        return lines
    }

    /// Who (a run id, an event id, `alert`, `person`, `notice`, `event`) and what, for one timeline line.
    static func describe(_ kind: SimulationEntry.Kind) -> (String, String) {
        switch kind {
        case .alert(let alert):
            let matched = alert.matched.isEmpty ? "matches no playbook" : "matches " + alert.matched.joined(separator: ", ")
            return ("alert", "\(alert.name) \(alert.status.rawValue) (\(alert.source.rawValue) \(alert.fingerprint), \(alert.origin)): \(matched)")
        case .command(let command):
            let run = command.runID.map { " (\($0))" } ?? ""
            let refused = command.refused.map { ": REFUSED, \($0)" } ?? ""
            return ("person", "\(command.actor): \(command.command.rawValue) \(command.playbook)\(run)\(refused)")
        case .step(let step):
            let text = step.action == "notify" ? "notify: \(step.detail)" : step.summary
            return (step.runID, "step \(step.index) \(text)")
        case .notify(let runID, let message):
            return (runID ?? "notice", "notice: \(message)")
        case .event(let event):
            return (event.eventID ?? "event", event.message)
        }
    }

    private static func offset(_ date: Date, _ scenario: Scenario) -> String {
        "+" + Duration.seconds(Int(date.timeIntervalSince(scenario.start).rounded())).playbookText
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
