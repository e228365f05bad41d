import Foundation
import ResponderCore

/// Shorthands for the event tests.
enum EventTestHelpers {
    /// The local date-time `text` (`YYYY-MM-DDTHH:MM[:SS]`); traps on a typo in the test itself.
    static func local(_ text: String) -> LocalDateTime {
        LocalDateTime(parsing: text)!
    }
}
