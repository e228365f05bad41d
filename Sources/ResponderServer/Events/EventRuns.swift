import Foundation
import ResponderCore
import ResponderRuntime

/// The run each scheduled event started, found by its alert's fingerprint (``EventAlert/fingerprint(_:)``) among the
/// recent runs, and the status that gives the event: the events API and the status page read both through here.
struct EventRuns: Sendable {
    /// How many recent runs are searched for events' runs.
    static let searched = 500

    /// The newest run of each event, by event id.
    let byEvent: [String: Run]

    /// The events' runs among the ``searched`` most recent runs of `runs`.
    static func recent(_ runs: any RunControl) async throws(JournalError) -> EventRuns {
        EventRuns(try await runs.recentRuns(limit: searched))
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
