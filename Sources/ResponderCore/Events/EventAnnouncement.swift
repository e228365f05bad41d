import Foundation

/// What people are told in chat about a scheduled event (not its run, which has its own message): that it was
/// scheduled, moved or cancelled, that its preparation started, or that it was missed. Pure text from the event.
public enum EventAnnouncement {
    /// A change to announce.
    public enum Change: Sendable, Equatable {
        /// Scheduled (by a person, or by a playbook's recurring schedule).
        case scheduled
        /// Its window moved.
        case moved
        /// Cancelled; its run (if started) steps down now or is aborted, as the event's cancel mode says.
        case cancelled(runStarted: Bool)
        /// Its preparation started: the run follows; `late` says why it is late.
        case preparing(late: String?)
        /// Not run: why.
        case missed(String)
    }

    /// The message for `change` of `event`.
    public static func text(_ change: Change, _ event: ScheduledEvent) -> String {
        let title = "Event \(event.id) \"\(event.name)\" (\(event.playbook))"
        switch change {
        case .scheduled:
            return "\(title) scheduled by \(event.scheduledBy): \(window(event)); preparation starts \(local(event.prepareAt, event))."
        case .moved:
            let prep = event.preparedAt == nil ? "; preparation starts \(local(event.prepareAt, event))" : "; its run's step-down is retimed"
            return "\(title) moved: now \(window(event))\(prep)."
        case .cancelled(let runStarted):
            let who = event.cancelledBy ?? "someone"
            guard runStarted else { return "\(title) cancelled by \(who): nothing will run." }
            switch event.cancelMode ?? .ladder {
            case .ladder: return "\(title) cancelled by \(who): its run steps down now (the ladder starts after the hold)."
            case .abort: return "\(title) cancelled by \(who): its run is aborted where it stands; capacity stays until someone scales it."
            }
        case .preparing(let late):
            let lateness = late.map { " (\($0))" } ?? ""
            return "\(title) preparation started\(lateness): \(window(event)); its run follows."
        case .missed(let why):
            return "\(title) not run: \(why)."
        }
    }

    /// One line about an event as planned before it is scheduled (`responder plan --event`): playbook, window, and
    /// when its preparation starts.
    public static func planned(_ event: ScheduledEvent) -> String {
        "Event \"\(event.name)\" (\(event.playbook)): \(window(event)); preparation starts \(local(event.prepareAt, event))."
    }

    /// `start – end` in UTC, plus the local times when the event has a zone.
    static func window(_ event: ScheduledEvent) -> String {
        "\(local(event.start, event)) to \(local(event.end, event))"
    }

    /// `instant` in RFC 3339 UTC, followed by its wall-clock time in the event's zone when it has one.
    static func local(_ instant: Date, _ event: ScheduledEvent) -> String {
        let utc = RFC3339.format(instant)
        guard let name = event.timeZone, let zone = IANATimeZone.named(name) else { return utc }
        let wall = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        guard let local = LocalDateTime(wallSeconds: wall) else { return utc }
        return "\(utc) (\(local) \(name))"
    }
}
