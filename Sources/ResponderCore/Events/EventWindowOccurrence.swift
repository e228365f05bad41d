import Foundation

/// One occurrence of a ``RecurringWindow``: when it starts and ends, and the wall-clock time the schedule named, which
/// is what identifies it (to cancel one occurrence, or to recognise it again after a restart).
public struct EventWindowOccurrence: Hashable, Sendable {
    /// How the start relates to the scheduled wall-clock time.
    public enum Shift: Hashable, Sendable {
        /// The scheduled time happens once; the window starts then.
        case none
        /// The scheduled time fell in a daylight-saving gap (clocks jumped over it); the window starts at the first
        /// instant after the gap, e.g. 03:00 CEST for 02:30 on the spring-forward day in Europe/Berlin.
        case afterGap
        /// The scheduled time happened twice (clocks went back); the window starts at the first of the two.
        case firstOfRepeated
    }

    /// When the window starts.
    public let start: Date
    /// When it ends: `start` plus the window's duration in elapsed time.
    public let end: Date
    /// The wall-clock time the cron expression matched, in the window's time zone (second 0).
    public let scheduled: LocalDateTime
    /// The IANA time zone of the window, e.g. `Europe/Berlin`.
    public let timeZoneIdentifier: String
    /// Whether daylight saving moved or chose the start.
    public let shift: Shift

    /// Creates an occurrence.
    public init(start: Date, end: Date, scheduled: LocalDateTime, timeZoneIdentifier: String, shift: Shift) {
        self.start = start
        self.end = end
        self.scheduled = scheduled
        self.timeZoneIdentifier = timeZoneIdentifier
        self.shift = shift
    }

    /// The local calendar date of the scheduled time: what `except` dates are compared with.
    public var localDate: LocalDate { scheduled.date }

    /// A stable name for this occurrence, independent of any playbook: the scheduled wall-clock time to the minute and
    /// the zone, e.g. `2026-12-18T09:00 Europe/Berlin`. It does not change when the zone's rules or the duration do.
    public var identity: String {
        Self.identity(scheduled: scheduled, timeZoneIdentifier: timeZoneIdentifier)
    }

    /// The ``identity`` an occurrence scheduled at `scheduled` in the zone `timeZoneIdentifier` has.
    public static func identity(scheduled: LocalDateTime, timeZoneIdentifier: String) -> String {
        let minute = LocalDateTime(date: scheduled.date, hour: scheduled.hour, minute: scheduled.minute) ?? scheduled
        return "\(minute) \(timeZoneIdentifier)"
    }
}
