import Foundation

/// Decides what people are told when a run changes: a pure function of the run before and after the change.
///
/// Slack: the run's message is posted when the run starts and updated at every change; every new history line is a
/// thread reply; when the run ends, its scaling report is a last reply. PagerDuty (runs whose playbook pages): trigger
/// at the start, acknowledge when someone acknowledges, resolve when the run ends, and a change event for every step
/// carried out.
public struct RunNotifier: Sendable, Equatable {
    /// Channels that are configured.
    public var channels: Set<OutboundNotification.Channel>

    /// Creates a notifier for the configured `channels`.
    public init(channels: Set<OutboundNotification.Channel>) {
        self.channels = channels
    }

    /// What to send because `before` (nil for a new run) became `after`, in the order it must arrive.
    public func notifications(before: Run?, after run: Run, now: Date) -> [OutboundNotification] {
        var out: [OutboundNotification] = []
        func add(_ channel: OutboundNotification.Channel, _ kind: OutboundNotification.Kind, _ text: String = "") {
            guard channels.contains(channel) else { return }
            out.append(OutboundNotification(runID: run.id, channel: channel, kind: kind, text: text, createdAt: now))
        }
        let page = run.policy.page
        if before == nil, page { add(.pagerduty, .trigger) }
        let seen = before?.history.count ?? 0
        let newEvents = run.history.count > seen ? Array(run.history[seen...]) : []
        if before == nil || !newEvents.isEmpty || before?.status != run.status {
            add(.slack, .runMessage)
        }
        for event in newEvents { add(.slack, .threadReply, event.message) }
        // Once: only the change that ends the run queues it (a run with undo steps ends when they finish).
        if before?.isOpen ?? true, !run.isOpen { add(.slack, .runReport) }
        if page {
            let previous = Dictionary(uniqueKeysWithValues: (before?.steps ?? []).map { ($0.index, $0.status) })
            for step in run.steps where step.status == .done && previous[step.index] != .done {
                add(.pagerduty, .change, "step \(step.index): \(step.outcome ?? step.detail)")
            }
            if before?.acknowledgedBy == nil, run.acknowledgedBy != nil, before != nil || run.isOpen {
                add(.pagerduty, .acknowledge)
            }
            if before?.isOpen ?? true, !run.isOpen { add(.pagerduty, .resolve) }
        }
        return out
    }
}
