import Foundation

extension ScalingReport {
    /// The report as Markdown: a title, a summary line, the people, a table of changes, a table of targets (initial,
    /// peak, final, time at each level), then the load checks, the undo steps and the steps that did not run. Every
    /// value from outside is escaped with ``MarkdownText``.
    public var markdown: String {
        var lines = ["# Scaling report: \(e(runID)) (\(e(playbook)))", "", summaryLine, ""]
        lines += headerLines
        lines += changeLines
        lines += targetLines
        lines += checkLines
        lines += undoLines
        lines += problemLines
        return lines.joined(separator: "\n") + "\n"
    }

    /// `**completed** after 2h10m; 3 changes on 1 target(s); api 4 → peak 12 → 4; 1 load-check wait; undo: 1 done.`
    public var summaryLine: String { summary(escape: MarkdownText.escape) { "**\($0)**" } }

    /// The summary line with values escaped by `escape` and the state made prominent by `strong` (Markdown, Slack).
    public func summary(escape: (String) -> String, strong: (String) -> String) -> String {
        var parts = [strong(escape(state)) + (ended ? " after " : " for ") + Self.durationText(durationSeconds)]
        if dryRun { parts[0] += " (dry-run: nothing was really changed)" }
        parts.append("\(changes.count) change\(changes.count == 1 ? "" : "s") on \(Set(changes.compactMap(\.target)).count) target(s)")
        let peaks = targets.map { target in
            "\(escape(target.target)) \(Self.count(target.initial)) → peak \(Self.count(target.peak)) → \(Self.count(target.final))"
        }
        if !peaks.isEmpty { parts.append(peaks.joined(separator: ", ")) }
        if !checks.isEmpty { parts.append("\(checks.count) load-check wait\(checks.count == 1 ? "" : "s")") }
        if !undo.isEmpty { parts.append("undo: " + Self.tally(undo.map(\.status))) }
        if !problems.isEmpty { parts.append("not run: " + Self.tally(problems.map(\.status))) }
        return parts.joined(separator: "; ") + "."
    }

    /// `2 for 1h, 8 for 30m (so far)`, or `not changed`.
    public func levelsText(_ target: TargetLevels) -> String {
        let levels = target.levels.map {
            "\($0.replicas) for \(Self.durationText($0.seconds))" + ($0.until == nil && !ended ? " (so far)" : "")
        }
        return levels.isEmpty ? "not changed" : levels.joined(separator: ", ")
    }

    private var headerLines: [String] {
        var lines = [
            "- Playbook: \(e(playbook)) (\(e(kind)))" + (alert.map { ", alert \(e($0))" } ?? ""),
            "- Status: \(e(state))",
            "- Started: \(RFC3339.format(startedAt))",
            ended ? "- Ended: \(endedAt.map(RFC3339.format) ?? "unknown")" : "- As of: \(RFC3339.format(asOf)) (still open)",
            "- Duration: \(Self.durationText(durationSeconds))",
        ]
        if dryRun { lines.append("- Dry-run: yes (nothing was really changed)") }
        lines.append("- Acknowledged by: \(acknowledgedBy.map(e) ?? "nobody")")
        for person in people where person.action != "acknowledged" || people.filter({ $0.action == "acknowledged" }).count > 1 {
            lines.append("- \(person.action.capitalized) by \(e(person.actor)) at \(RFC3339.format(person.at))")
        }
        return lines + [""]
    }

    private var changeLines: [String] {
        var lines = ["## Changes", ""]
        guard !changes.isEmpty else { return lines + ["Nothing was changed.", ""] }
        lines += ["| Time | Step | Phase | Target | Action | From → to | By |", "|---|---|---|---|---|---|---|"]
        for change in changes {
            let fromTo = change.to.map { "\(Self.count(change.from)) → \($0)" } ?? ""
            lines.append("| \(RFC3339.format(change.at)) | \(change.step) | \(change.phase) | \(change.target.map(e) ?? "") | "
                + "\(e(change.action, 200)) | \(fromTo) | \(e(change.by)) |")
        }
        return lines + [""]
    }

    private var targetLines: [String] {
        guard !targets.isEmpty else { return [] }
        var lines = ["## Targets", "", "| Target | Initial | Peak | Final | Time at each level |", "|---|---|---|---|---|"]
        for target in targets {
            lines.append("| \(e(target.target)) | \(Self.count(target.initial)) | \(Self.count(target.peak)) | "
                + "\(Self.count(target.final)) | \(levelsText(target)) |")
        }
        return lines + [""]
    }

    private var checkLines: [String] {
        guard !checks.isEmpty else { return [] }
        var lines = ["## Load checks that held a step", ""]
        for check in checks {
            let held = check.waiting ? "still waiting after \(Self.durationText(check.heldSeconds))" : "held it \(Self.durationText(check.heldSeconds))"
            let value = check.lastValue.map { ", value \(LoadCheck.format($0))" } ?? ""
            lines.append("- Step \(check.step)\(check.target.map { " (\(e($0)))" } ?? ""): \(e(check.check)) \(held) "
                + "(\(check.readings) reading\(check.readings == 1 ? "" : "s")); last: \(e(check.lastReason, 300))\(value)")
        }
        return lines + [""]
    }

    private var undoLines: [String] {
        guard !undo.isEmpty else { return [] }
        var lines = ["## Undo", ""]
        for step in undo {
            let what = step.undoes.map { "undoes step \($0)" } ?? "cleanup"
            lines.append("- Step \(step.step) (\(what)): \(e(step.action, 200)): **\(e(step.status))**"
                + (step.outcome.map { ": \(e($0, 300))" } ?? ""))
        }
        return lines + [""]
    }

    private var problemLines: [String] {
        guard !problems.isEmpty else { return [] }
        var lines = ["## Steps not carried out", ""]
        for step in problems {
            lines.append("- Step \(step.step) (\(step.phase)): \(e(step.action, 200)): **\(e(step.status))**"
                + (step.outcome.map { ": \(e($0, 300))" } ?? ""))
        }
        return lines + [""]
    }

    /// `2h10m`, `0s`.
    public static func durationText(_ seconds: Int) -> String { Duration.seconds(seconds).playbookText }

    /// A count, or `?` when unknown.
    public static func count(_ value: Int?) -> String { value.map(String.init) ?? "?" }

    /// `2 done, 1 failed`, in first-seen order.
    static func tally(_ statuses: [String]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for status in statuses {
            if counts[status] == nil { order.append(status) }
            counts[status, default: 0] += 1
        }
        return order.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
    }

    private func e(_ text: String) -> String { MarkdownText.escape(text) }
    private func e(_ text: String, _ limit: Int) -> String { MarkdownText.escape(text, limit: limit) }
}
