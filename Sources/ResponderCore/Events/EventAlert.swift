import Foundation

/// The alert a scheduled event becomes when its preparation is due: source `event`, firing, the event's labels and
/// annotations plus its window (`event_start`, `event_end`), so the run starts through the same engine path as an
/// alert-triggered pre-event (cooldown, preemption, one run per target, templates) and is found again by fingerprint.
public enum EventAlert {
    /// Label naming the event (`evt-<n>`).
    public static let eventLabel = "responder_event"
    /// Label naming the playbook; only alerts of source `event` are planned by it (a webhook cannot choose).
    public static let playbookLabel = "responder_playbook"

    /// Annotation saying what changed in a later revision of an event whose run started, for the run's history and chat
    /// (a name no API caller can set). An alert carrying it only updates that run: it never starts one.
    public static let changeAnnotation = "responder_event_change"

    /// The fingerprint of `eventID`'s runs.
    public static func fingerprint(_ eventID: String) -> String { fingerprintPrefix + eventID }

    /// The event whose run has `fingerprint`, or nil when it is not an event's.
    public static func eventID(fingerprint: String) -> String? {
        fingerprint.hasPrefix(fingerprintPrefix) ? String(fingerprint.dropFirst(fingerprintPrefix.count)) : nil
    }

    private static let fingerprintPrefix = "event-"

    /// The alert for `event` (its current revision: a moved event is a new alert, and the old one is never journaled).
    /// For an event whose run started, the alert of a later revision tells that run its new end (a move, or a
    /// cancellation that starts the ladder now), and the engine retimes the ladder.
    public static func alert(for event: ScheduledEvent) -> NormalizedAlert {
        var labels = event.labels
        labels["alertname"] = labels["alertname"] ?? "ScheduledEvent"
        labels["event"] = labels["event"] ?? event.name
        labels[eventLabel] = event.id
        labels[playbookLabel] = event.playbook
        var annotations = event.annotations
        annotations["event_start"] = RFC3339.format(event.start)
        annotations["event_end"] = RFC3339.format(event.effectiveEnd)
        annotations["summary"] = annotations["summary"] ?? event.name
        if event.runNeedsUpdate {
            if let cancelledAt = event.cancelledAt {
                annotations[changeAnnotation] = "event \(event.name) cancelled by \(event.cancelledBy ?? "someone") at "
                    + "\(RFC3339.format(cancelledAt))"
            } else {
                annotations[changeAnnotation] = "event \(event.name) moved (revision \(event.revision))"
            }
        }
        return NormalizedAlert(
            source: .event, fingerprint: fingerprint(event.id), status: .firing, labels: labels, annotations: annotations,
            startsAt: event.prepareAt, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil,
            idempotencyKey: "event/\(event.id)/r\(event.revision)"
        )
    }
}
