import Foundation

/// Where a scheduled event stands, derived from its times, its run and the clock (never stored, so it cannot drift).
public enum EventStatus: String, Sendable, Codable, CaseIterable {
    /// Its preparation has not started.
    case scheduled
    /// Its run started (the preparation steps), and the event has not begun.
    case preparing
    /// Between start and end.
    case live
    /// Ended, and its run is stepping down.
    case steppingDown = "stepping_down"
    /// Its run ended.
    case done
    /// Cancelled before or while it ran.
    case cancelled

    /// The status of `event` at `now`, given its run (nil when it has none or it was not read).
    public static func of(_ event: ScheduledEvent, run: Run?, now: Date) -> EventStatus {
        if event.cancelledAt != nil { return .cancelled }
        if let run, !run.isOpen { return .done }
        guard event.preparedAt != nil else { return .scheduled }
        if now < event.start { return .preparing }
        if now < event.end { return .live }
        return .steppingDown
    }
}
