import Foundation
import ResponderCore

/// Shorthands for the event tests: instants from RFC 3339 text, schedules from their playbook spelling.
enum EventTestHelpers {
    /// The instant `text` names (RFC 3339); traps on a typo in the test itself.
    static func instant(_ text: String) -> Date {
        RFC3339.parse(text)!
    }

    /// A recurring window from its playbook settings; traps on a typo in the test itself.
    static func window(_ cron: String, _ duration: String = "1h", _ zone: String = "UTC",
                       except: [String] = []) -> RecurringWindow {
        try! RecurringWindow.parse(cron: cron, duration: duration, timeZone: zone, except: except)
    }

    /// The starts of the occurrences, formatted in UTC, so a failed expectation prints readable instants.
    static func starts(_ occurrences: [EventWindowOccurrence]) -> [String] {
        occurrences.map { RFC3339.format($0.start) }
    }

    /// The local date-time `text` (`YYYY-MM-DDTHH:MM[:SS]`); traps on a typo in the test itself.
    static func local(_ text: String) -> LocalDateTime {
        LocalDateTime(parsing: text)!
    }
}
