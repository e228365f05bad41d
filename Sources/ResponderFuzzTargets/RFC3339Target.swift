import Foundation
import ResponderCore

/// `rfc3339`: the timestamp parser behind Alertmanager `startsAt`/`endsAt`, SNS `Timestamp`, CloudWatch
/// `StateChangeTime`, scenario `start` and event-window annotations, and the formatter that writes those instants into
/// idempotency keys, plans and stored runs.
///
/// Invariant: an instant the parser accepts is formatted into text that parses back to the same millisecond (what is
/// below it dropped, or rounded up when within ``RFC3339/roundUpSlack(_:)`` of the next) and formats to the same text
/// again, because stored runs and plans are read back with the same
/// parser and written again.
public enum RFC3339Target {
    /// Parses `bytes`; an accepted instant is formatted and parsed again.
    public static func run(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let date = RFC3339.parse(text) else { return }
        let formatted = RFC3339.format(date)
        guard let again = RFC3339.parse(formatted) else {
            throw FuzzInvariantViolation(target: "rfc3339", "\"\(text)\" parses, but its formatted form \"\(formatted)\" does not")
        }
        // Formatting drops what is below the millisecond, except that an instant within the formatter's round-up slack
        // of the next millisecond is written as that one (a fuzzer found .229999 s written as .230: 1 µs, by design).
        let dropped = date.timeIntervalSince1970 - again.timeIntervalSince1970
        let slack = RFC3339.roundUpSlack(date.timeIntervalSince1970) + 4 * date.timeIntervalSinceReferenceDate.ulp
        guard dropped >= -slack, dropped < 0.001 + slack else {
            throw FuzzInvariantViolation(
                target: "rfc3339", "\"\(text)\" formats as \"\(formatted)\", which reads back as a different instant"
            )
        }
        guard RFC3339.format(again) == formatted else {
            throw FuzzInvariantViolation(
                target: "rfc3339", "\"\(formatted)\" reads back and formats as \"\(RFC3339.format(again))\""
            )
        }
    }
}
