import Foundation
import ResponderCore

/// The step lines of a run's Slack message, and packing them into one section within Slack's 3000 characters.
enum StepLines {
    /// Which lines survive when they do not all fit.
    enum Keep {
        /// The last ones (what was done: the newest matter most).
        case newest
        /// The first ones (what is to come: the soonest matter most).
        case oldest
    }

    /// `title`, then as many `lines` as fit in a section, with "… N earlier steps" / "… and N more steps" for the rest.
    static func packed(title: String, lines: [String], keep: Keep, empty: String) -> String {
        guard !lines.isEmpty else { return fit("\(title)\n\(empty)") }
        let budget = SlackLimits.sectionText - title.utf16.count - 1 - 40
        var kept: [String] = []
        var used = 0
        let ordered = keep == .newest ? Array(lines.reversed()) : lines
        for line in ordered {
            let size = line.utf16.count + 1
            if used + size > budget { break }
            kept.append(line)
            used += size
        }
        let omitted = lines.count - kept.count
        var body = keep == .newest ? Array(kept.reversed()) : kept
        if omitted > 0 {
            let noun = omitted == 1 ? "step" : "steps"
            if keep == .newest { body.insert("_… \(omitted) earlier \(noun) not shown_", at: 0) }
            else { body.append("_… and \(omitted) more \(noun)_") }
        }
        return fit(([title] + body).joined(separator: "\n"))
    }

    /// `text` within a section's limit (a last resort: every part is already bounded).
    static func fit(_ text: String) -> String { SlackMrkdwn.truncate(text, to: SlackLimits.sectionText) }

    /// `✅ 12:25 step 1 · scale api: replicas 4 -> 9 — replicas 9`.
    static func finished(_ step: RunStep) -> String {
        let time = step.finishedAt.map { SlackMrkdwn.date($0, format: "{time}") + " " } ?? ""
        var line = "\(icon(step.status)) \(time)step \(step.index) · \(SlackMrkdwn.escaped(step.detail, limit: 200))"
        let word = step.status == .done ? "" : "\(step.status.rawValue): "
        if let outcome = step.outcome, !outcome.isEmpty {
            line += " — \(word)\(SlackMrkdwn.escaped(outcome, limit: 300))"
        } else if !word.isEmpty {
            line += " — \(step.status.rawValue)"
        }
        return line
    }

    /// `• Nov 24 12:30 step 2 · scale api: replicas 9 -> 5`, or with the anchor while the due time is unknown.
    static func pending(_ step: RunStep, run: Run, now: Date, bullet: Bool = true) -> String {
        let when = step.due.map { SlackMrkdwn.date($0) } ?? "(\(anchorText(step)))"
        var line = (bullet ? "• " : "") + "\(when) step \(step.index) · \(SlackMrkdwn.escaped(step.detail, limit: 200))"
        switch step.status {
        case .running: line += " — _running now_"
        case .waitingAck: line += " — _waiting for an acknowledgement_"
        default:
            if let wait = step.wait, wait.until == nil {
                line += " — _waiting for \(SlackMrkdwn.escaped(wait.last.check, limit: 200)): \(SlackMrkdwn.escaped(wait.last.reason, limit: 200))_"
            }
            if run.status == .held { line += " — _on hold_" }
            else if let due = step.due, due < now.addingTimeInterval(-60) { line += " — _overdue_" }
        }
        return line
    }

    /// `40m after the resolve`, `24h before the event starts`.
    static func anchorText(_ step: RunStep) -> String {
        let offset = step.offsetSeconds
        // `magnitude`, not `abs`: abs(Int.min) traps.
        let amount = duration(Int(clamping: offset.magnitude))
        switch step.anchor {
        case .now: return offset == 0 ? "now" : "\(amount) after the start"
        case .resolve: return offset == 0 ? "at the resolve" : "\(amount) after the resolve"
        case .eventStart:
            return offset == 0 ? "at the event start" : "\(amount) \(offset < 0 ? "before" : "after") the event starts"
        case .eventEnd:
            return offset == 0 ? "at the event end" : "\(amount) \(offset < 0 ? "before" : "after") the event ends"
        case .runEnd: return step.undoes.map { "when the run ends, if step \($0) succeeded" } ?? "when the run ends"
        }
    }

    /// `1h30m`, `40m`, `45s`.
    static func duration(_ seconds: Int) -> String {
        let (hours, minutes, rest) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60)
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 || text.isEmpty { text += "\(rest)s" }
        return text
    }

    private static func icon(_ status: StepStatus) -> String {
        switch status {
        case .done: return ":white_check_mark:"
        case .skipped: return ":fast_forward:"
        case .cancelled: return ":heavy_minus_sign:"
        case .failed: return ":x:"
        case .pending, .waitingAck, .running: return ":hourglass_flowing_sand:"
        }
    }
}
