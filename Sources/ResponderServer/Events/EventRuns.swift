import Foundation
import ResponderCore
import ResponderRuntime

/// The run each scheduled event started, found by its alert's fingerprint (``EventAlert/fingerprint(_:)``), and the
/// status that gives the event: the status page reads both through here.
struct EventRuns: Sendable {
    /// The newest run of each event, by event id.
    let byEvent: [String: Run]

    /// The newest run of each of `events` whose preparation started and that is not cancelled (one indexed lookup each,
    /// so the page costs what is upcoming, not what is in history).
    static func lookUp(_ events: [ScheduledEvent], in runs: any RunControl) async throws(JournalError) -> EventRuns {
        var found: [Run] = []
        for event in events where event.preparedAt != nil && event.cancelledAt == nil {
            found += try await runs.runs(alertFingerprint: EventAlert.fingerprint(event.id), limit: 1)
        }
        return EventRuns(found)
    }

    /// The events' runs among `runs` (newest first, as ``RunControl/recentRuns(limit:)`` returns them).
    init(_ runs: [Run]) {
        var found: [String: Run] = [:]
        // Oldest first, so an event's newest run is the one kept.
        for run in runs.reversed() {
            if let id = EventAlert.eventID(fingerprint: run.alertFingerprint) { found[id] = run }
        }
        byEvent = found
    }

    /// The run `event` started, nil when it has none among the runs searched.
    func run(of event: ScheduledEvent) -> Run? { byEvent[event.id] }

    /// Where `event` stands at `now`, given its run.
    func status(of event: ScheduledEvent, now: Date) -> EventStatus {
        EventStatus.of(event, run: run(of: event), now: now)
    }
}
