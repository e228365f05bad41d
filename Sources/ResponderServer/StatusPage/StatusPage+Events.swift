import Foundation
import ResponderCore

/// The status page's "Upcoming events" section: scheduled events not yet over, with a countdown to their next change.
extension StatusPage {
    /// An event the section lists, with its status at the page's time.
    struct UpcomingEvent: Equatable {
        /// The event.
        var event: ScheduledEvent
        /// Its status at the page's time (``EventRuns/status(of:now:)``).
        var status: EventStatus
    }

    /// The most events the section lists.
    static let maxUpcomingEvents = 20

    /// The events to list from `events`: not cancelled, not done, ending after `now`; soonest start first, at most
    /// ``maxUpcomingEvents``.
    static func upcoming(_ events: [ScheduledEvent], runs: EventRuns, now: Date) -> [UpcomingEvent] {
        // Ties in start are broken by id, so the order does not change between page loads.
        func order(_ item: UpcomingEvent) -> (Date, Int64) { (item.event.start, ScheduledEvent.sequence(of: item.event.id) ?? 0) }
        let listed = events
            .filter { $0.end > now }
            .map { UpcomingEvent(event: $0, status: runs.status(of: $0, now: now)) }
            .filter { $0.status != .cancelled && $0.status != .done }
            .sorted { order($0) < order($1) }
        return Array(listed.prefix(maxUpcomingEvents))
    }

    /// What an event's countdown says: `before` followed by the time left until `target`, then `after` once it passed;
    /// only `after` when there is nothing to count down to.
    struct EventCountdown: Equatable {
        /// The text before the time left (`prepares in `).
        var before: String
        /// What is counted down to.
        var target: Date?
        /// The text once `target` passed, or when there is none.
        var after: String

        /// The text at `now`.
        func text(now: Date) -> String {
            guard let target, let left = StatusPage.timeLeft(target.timeIntervalSince(now)) else { return after }
            return before + left
        }
    }

    /// The countdown of an event in `status` at `now`: to its preparation, its start, or its end.
    static func countdown(_ event: ScheduledEvent, status: EventStatus, now: Date) -> EventCountdown {
        switch status {
        case .scheduled where now < event.prepareAt:
            EventCountdown(before: "prepares in ", target: event.prepareAt, after: "preparation due")
        case .scheduled:
            // Due, and the driver has not journaled its alert yet (it runs within a tick, or the store is failing).
            EventCountdown(before: "preparation due, starts in ", target: event.start, after: "starting")
        case .preparing:
            EventCountdown(before: "starts in ", target: event.start, after: "live")
        case .live:
            EventCountdown(before: "live, ends in ", target: event.end, after: "ended")
        case .steppingDown:
            EventCountdown(before: "", target: nil, after: "ended, stepping down")
        case .done, .cancelled:
            EventCountdown(before: "", target: nil, after: status.rawValue)
        }
    }

    /// `42 s`, `25 min`, `3 h 12 min`, `2 h`, `1 d 4 h`: the time left, in whole minutes rounded up from a minute on;
    /// nil when none is left. The page's script writes the same text (``script``).
    static func timeLeft(_ seconds: TimeInterval) -> String? {
        let total = Int(saturating: seconds.rounded(.up))
        guard total > 0 else { return nil }
        if total < 60 { return "\(total) s" }
        let minutes = (total + 59) / 60
        let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60)
        if d > 0 { return h > 0 ? "\(d) d \(h) h" : "\(d) d" }
        if h > 0 { return m > 0 ? "\(h) h \(m) min" : "\(h) h" }
        return "\(m) min"
    }

    /// The section, listing `events` at `now`.
    static func eventsSection(_ events: [UpcomingEvent], now: Date) -> String {
        var html = "<section id=\"upcoming-events\"><h2>Upcoming events (\(events.count))</h2>"
        guard !events.isEmpty else { return html + "<p class=\"empty\">No upcoming events.</p></section>" }
        html += "<table><tr><th>event</th><th>playbook</th><th>status</th><th>countdown</th><th>prepares</th>"
            + "<th>starts</th><th>ends</th></tr>"
        for item in events { html += eventRow(item, now: now) }
        return html + "</table></section>"
    }

    private static func eventRow(_ item: UpcomingEvent, now: Date) -> String {
        let event = item.event
        let phase = countdown(event, status: item.status, now: now)
        let counter: String
        if let target = phase.target {
            counter = "<span class=\"event-countdown\" data-at=\"\(escape(RFC3339.format(target)))\" "
                + "data-before=\"\(escape(phase.before))\" data-after=\"\(escape(phase.after))\">"
                + "\(escape(phase.text(now: now)))</span>"
        } else {
            counter = "<span class=\"event-phase\">\(escape(phase.after))</span>"
        }
        return "<tr class=\"event\" id=\"\(escape("event-" + event.id))\"><td><b class=\"event-name\">\(escape(event.name))</b>"
            + " <span class=\"event-id\">\(escape(event.id))</span></td><td>\(escape(event.playbook))</td>"
            + "<td><span class=\"status \(escape(item.status.rawValue))\">\(escape(item.status.rawValue))</span></td>"
            + "<td>\(counter)</td><td>\(eventTime(event.prepareAt, zone: event.timeZone))</td>"
            + "<td>\(eventTime(event.start, zone: event.timeZone))</td><td>\(eventTime(event.end, zone: event.timeZone))</td></tr>"
    }

    /// `2026-01-02T17:00:00Z`, and below it the wall-clock time in the event's zone when it was given one
    /// (`2026-01-02T18:00 Europe/Berlin`).
    private static func eventTime(_ date: Date, zone identifier: String?) -> String {
        let stamp = RFC3339.format(date)
        var html = "<time datetime=\"\(escape(stamp))\">\(escape(String(stamp.prefix(19)) + "Z"))</time>"
        if let identifier, let zone = IANATimeZone.named(identifier), let local = LocalTimeResolution.local(of: date, in: zone) {
            html += "<br><span class=\"local\">\(escape("\(local) \(identifier)"))</span>"
        }
        return html
    }
}
