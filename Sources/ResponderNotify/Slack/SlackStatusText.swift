import ResponderCore

/// How a run's status reads in Slack.
enum StatusText {
    /// `:large_green_circle:` for active, and so on.
    static func emoji(_ status: RunStatus) -> String {
        switch status {
        case .active: return ":large_green_circle:"
        case .held: return ":double_vertical_bar:"
        case .completed: return ":white_check_mark:"
        case .aborted: return ":octagonal_sign:"
        case .preempted: return ":arrow_heading_up:"
        case .failed: return ":x:"
        }
    }

    /// `active`, `held`, `completed`... as a short phrase.
    static func title(_ run: Run) -> String {
        switch run.status {
        case .active: return "active"
        case .held: return "held"
        case .completed: return "completed"
        case .aborted: return "aborted"
        case .preempted: return "preempted by an emergency run"
        case .failed: return "failed"
        }
    }

    /// The status line of the summary: emoji, status, hold time, acknowledgement (escaped).
    static func line(_ run: Run) -> String {
        var text = "\(emoji(run.status)) \(title(run))"
        if run.status == .held, let since = run.heldAt { text += " since \(SlackMrkdwn.date(since))" }
        if let who = run.acknowledgedBy {
            text += " · acknowledged by \(SlackMrkdwn.escaped(who, limit: 100))"
        } else if run.isOpen {
            text += run.policy.requireAck ? " · *not acknowledged* (step-down waits for an acknowledgement)"
                : " · not acknowledged"
        }
        return text
    }
}
