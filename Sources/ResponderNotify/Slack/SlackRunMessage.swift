import Foundation
import ResponderCore

/// The Slack message of a run, rendered from the run alone (no I/O): what fired, which playbook, where the run
/// stands, what was done, what is still to come with due times, and, while the run is open, its action buttons.
///
/// Every piece of text that comes from an alert, an executor or a person is escaped, so alert labels cannot inject
/// links or mentions (`<!channel>`); every Block Kit limit is respected (a run with hundreds of steps is summarised).
public enum SlackRunMessage {
    /// The message posted with a bot token: buttons carry the signed token as `value` (Slack's interactive
    /// endpoint acts on it) and, when `buttonURLs` is true, the link as `url` (opened in the browser).
    public static func render(run: Run, links: [RunCommand: ActionLink], now: Date,
                              buttonURLs: Bool = true) -> SlackMessage {
        var blocks = body(run: run, now: now)
        let buttons = commands(for: run).compactMap { button($0, run: run, link: links[$0], withURL: buttonURLs) }
        if !buttons.isEmpty {
            blocks.insert(.actions(blockID: "responder_run_actions", buttons: buttons), at: blocks.count - 1)
        }
        return SlackMessage(text: fallbackText(run: run), blocks: capped(blocks))
    }

    /// The message for an incoming webhook, which cannot carry interactive buttons reliably: the links are mrkdwn
    /// links (`<url|Acknowledge>`) in a section instead.
    public static func renderForWebhook(run: Run, links: [RunCommand: ActionLink], now: Date) -> SlackMessage {
        var blocks = body(run: run, now: now)
        let items = commands(for: run).compactMap { command -> String? in
            guard let link = links[command], link.url.utf16.count <= 2000 else { return nil }
            return SlackMrkdwn.link(link.url, label: label(command))
        }
        if !items.isEmpty {
            blocks.insert(.section("*Act:* " + items.joined(separator: "  ·  ")), at: blocks.count - 1)
        }
        return SlackMessage(text: fallbackText(run: run), blocks: capped(blocks))
    }

    /// The commands that apply to `run` now, in button order: Acknowledge until acknowledged, Hold step-down while
    /// active, Resume while held, Abort while open; none once the run has ended.
    public static func commands(for run: Run) -> [RunCommand] {
        guard run.isOpen else { return [] }
        var commands: [RunCommand] = []
        if run.acknowledgedBy == nil { commands.append(.ack) }
        commands.append(run.status == .held ? .resume : .hold)
        commands.append(.abort)
        return commands
    }

    /// One line for a history `event`: a thread reply (`inThread`, the run's message gives the context) or a
    /// message of its own (webhooks, which cannot reply in a thread), naming the run, playbook and alert.
    public static func eventText(run: Run, event: RunEvent, inThread: Bool = true) -> String {
        let message = SlackMrkdwn.escaped(event.message, limit: 2000)
        let time = SlackMrkdwn.date(event.at, format: "{time}")
        if inThread { return "\(time) \(message)" }
        let alert = run.alertName.map { ", alert \(SlackMrkdwn.escaped($0, limit: 200))" } ?? ""
        return "*Responder* \(SlackMrkdwn.escaped(run.id, limit: 100)) "
            + "(\(SlackMrkdwn.escaped(run.playbook, limit: 200))\(alert)): \(message) · \(time)"
    }

    /// The button label of `command`.
    public static func label(_ command: RunCommand) -> String {
        switch command {
        case .ack: return "Acknowledge"
        case .hold: return "Hold step-down"
        case .resume: return "Resume"
        case .abort: return "Abort run"
        }
    }

    /// The `action_id` of `command`'s button (`responder_ack`, ...).
    public static func actionID(_ command: RunCommand) -> String { "responder_\(command.rawValue)" }

    // Header, summary, what was done, what is to come, and a context line last (buttons go before it).
    private static func body(run: Run, now: Date) -> [SlackBlock] {
        var blocks: [SlackBlock] = [.header(header(run: run)), .section(summary(run: run, now: now)), .divider]
        let done = run.steps.filter(\.status.isFinished)
            .sorted { ($0.finishedAt ?? .distantPast, $0.index) < ($1.finishedAt ?? .distantPast, $1.index) }
        blocks.append(.section(StepLines.packed(
            title: "*What was done*", lines: done.map { StepLines.finished($0) }, keep: .newest,
            empty: run.isOpen ? "_nothing yet_" : "_nothing_")))
        let pending = run.steps.filter { !$0.status.isFinished }
        if run.isOpen, !pending.isEmpty {
            blocks.append(.section(StepLines.packed(
                title: "*Still to come*", lines: pending.map { StepLines.pending($0, run: run, now: now) },
                keep: .oldest, empty: "_nothing_")))
        }
        blocks.append(.context([context(run: run, now: now)]))
        return blocks
    }

    private static func header(run: Run) -> String {
        let subject = run.alertName ?? run.playbook
        return SlackMrkdwn.truncate("\(StatusText.emoji(run.status)) \(subject): \(StatusText.title(run))",
                                    to: SlackLimits.headerText)
    }

    private static func summary(run: Run, now: Date) -> String {
        var lines: [String] = []
        if let alert = run.alertName {
            lines.append("*Alert:* \(SlackMrkdwn.escaped(alert, limit: 200)) fired")
        }
        let dryRun = run.dryRun ? " · _dry-run: nothing is changed_" : ""
        lines.append("*Playbook:* \(SlackMrkdwn.escaped(run.playbook, limit: 200)) (\(run.kind.rawValue))\(dryRun)")
        if !run.targets.isEmpty {
            let shown = run.targets.prefix(20).map { SlackMrkdwn.escaped($0, limit: 100) }.joined(separator: ", ")
            lines.append("*Targets:* \(shown)\(run.targets.count > 20 ? " and \(run.targets.count - 20) more" : "")")
        }
        lines.append("*Status:* \(StatusText.line(run))")
        var times = "*Started:* \(SlackMrkdwn.date(run.startedAt))"
        if let resolved = run.resolvedAt { times += " · *Resolved:* \(SlackMrkdwn.date(resolved))" }
        if let ended = run.endedAt { times += " · *Ended:* \(SlackMrkdwn.date(ended))" }
        lines.append(times)
        if run.isOpen, let next = run.nextStepIndex.map({ run.steps[$0] }) {
            lines.append("*Next:* \(StepLines.pending(next, run: run, now: now, bullet: false))")
        }
        return StepLines.fit(lines.joined(separator: "\n"))
    }

    private static func context(run: Run, now: Date) -> String {
        var parts = ["\(SlackMrkdwn.escaped(run.id, limit: 100)) · Responder · updated \(SlackMrkdwn.date(now, format: "{time}"))"]
        if let last = run.history.last {
            parts.append("last: \(SlackMrkdwn.escaped(last.message, limit: 300))")
        }
        return parts.joined(separator: " · ")
    }

    private static func fallbackText(run: Run) -> String {
        let subject = run.alertName.map { "\(SlackMrkdwn.escaped($0, limit: 200)) → " } ?? ""
        var text = "Responder: \(subject)\(SlackMrkdwn.escaped(run.playbook, limit: 200)) (\(run.kind.rawValue)) "
            + "is \(StatusText.title(run))"
        if let who = run.acknowledgedBy { text += ", acknowledged by \(SlackMrkdwn.escaped(who, limit: 100))" }
        if run.isOpen, let next = run.nextStepIndex.map({ run.steps[$0] }) {
            let when = next.due.map { " at \(SlackMrkdwn.utcFallback($0))" } ?? ""
            text += ". Next: step \(next.index)\(when): \(SlackMrkdwn.escaped(next.detail, limit: 200))"
        }
        return SlackMrkdwn.truncate(text, to: SlackLimits.messageText)
    }

    private static func button(_ command: RunCommand, run: Run, link: ActionLink?, withURL: Bool) -> SlackButton? {
        guard let link else { return nil }
        let value = link.token.utf16.count <= SlackLimits.buttonValue ? link.token : nil
        let url = withURL && link.url.utf16.count <= SlackLimits.buttonURL ? link.url : nil
        guard value != nil || url != nil else { return nil }
        var button = SlackButton(text: label(command), actionID: actionID(command), value: value, url: url)
        switch command {
        case .ack, .resume: button.style = .primary
        case .abort:
            button.style = .danger
            button.confirm = .init(title: "Abort this run?",
                                   text: SlackMrkdwn.truncate("Every pending step of \(run.id) (\(run.playbook)) is cancelled.", to: 300),
                                   confirm: "Abort run")
        case .hold: break
        }
        return button
    }

    // Defence in depth: the layout above uses at most 8 blocks, far under Slack's 50.
    private static func capped(_ blocks: [SlackBlock]) -> [SlackBlock] {
        blocks.count <= SlackLimits.blocks ? blocks : Array(blocks.prefix(SlackLimits.blocks))
    }
}
