import Foundation
import ResponderCore

/// A run's ``ScalingReport`` as Slack `mrkdwn` for its thread: the same sections as the Markdown report, as bullet
/// lines (Slack has no tables), every value from outside escaped with ``SlackMrkdwn``. A report longer than
/// ``SlackLimits/reportText`` is cut at a line with a note saying where the whole report is.
public enum SlackRunReport {
    /// The report as one message's text.
    public static func text(_ report: ScalingReport) -> String {
        var lines = ["*Scaling report: \(e(report.runID)) (\(e(report.playbook)))*",
                     report.summary(escape: SlackMrkdwn.escape) { "*\($0)*" }]
        var facts = "Started \(SlackMrkdwn.date(report.startedAt))"
        facts += report.endedAt.map { ", ended \(SlackMrkdwn.date($0))" } ?? ""
        facts += "; acknowledged by \(report.acknowledgedBy.map(e) ?? "nobody")"
        lines.append(facts)
        for person in report.people where person.action != "acknowledged" {
            lines.append("• \(person.action) by \(e(person.actor)) at \(SlackMrkdwn.date(person.at))")
        }
        lines += section("Changes", report.changes.map { change in
            let fromTo = change.to.map { " (\(ScalingReport.count(change.from)) → \($0))" } ?? ""
            return "• \(SlackMrkdwn.date(change.at, format: "{time}")) step \(change.step) (\(change.phase))"
                + (change.target.map { " \(e($0))" } ?? "") + ": \(e(change.action, 200))\(fromTo), by \(e(change.by))"
        })
        lines += section("Targets", report.targets.map { target in
            "• \(e(target.target)): \(ScalingReport.count(target.initial)) → peak \(ScalingReport.count(target.peak)) → "
                + "final \(ScalingReport.count(target.final)); \(report.levelsText(target))"
        })
        lines += section("Load checks that held a step", report.checks.map { check in
            let held = check.waiting ? "still waiting after" : "held it"
            return "• step \(check.step): \(e(check.check)) \(held) \(ScalingReport.durationText(check.heldSeconds)) "
                + "(\(check.readings) readings); last: \(e(check.lastReason, 300))"
        })
        lines += section("Undo", report.undo.map { step in
            "• step \(step.step) (\(step.undoes.map { "undoes step \($0)" } ?? "cleanup")): \(e(step.action, 200)): "
                + "*\(e(step.status))*" + (step.outcome.map { ": \(e($0, 300))" } ?? "")
        })
        lines += section("Steps not carried out", report.problems.map { step in
            "• step \(step.step) (\(step.phase)): \(e(step.action, 200)): *\(e(step.status))*"
                + (step.outcome.map { ": \(e($0, 300))" } ?? "")
        })
        return capped(lines, runID: report.runID)
    }

    private static func section(_ title: String, _ lines: [String]) -> [String] {
        lines.isEmpty ? [] : ["", "*\(title)*"] + lines
    }

    /// Whole lines while they fit, then a note with the API path of the whole report.
    static func capped(_ lines: [String], runID: String) -> String {
        let note = "… cut to fit Slack: the whole report is at `GET /api/runs/\(e(runID, 100))/report`"
        let budget = SlackLimits.reportText - note.utf16.count - 1
        var out: [String] = []
        var used = 0
        for line in lines {
            let line = SlackMrkdwn.truncate(line, to: 1000)
            let size = line.utf16.count + 1
            guard used + size <= budget else { return (out + [note]).joined(separator: "\n") }
            out.append(line)
            used += size
        }
        return out.joined(separator: "\n")
    }

    private static func e(_ text: String) -> String { SlackMrkdwn.escape(TerminalText.printable(text, keepNewlines: false)) }
    private static func e(_ text: String, _ limit: Int) -> String { e(SlackMrkdwn.truncate(text, to: limit)) }
}
