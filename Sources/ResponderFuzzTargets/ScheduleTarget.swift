import Foundation
import ResponderCore

/// `schedule`: the time logic of events, which reads what people and playbooks write: cron expressions
/// (`CronExpression`), recurring windows with their occurrences across daylight-saving changes (`RecurringWindow`),
/// and the start or end of a one-off event (`EventTime`).
///
/// Input: `cron NUL duration NUL zone NUL except-dates NUL event-time NUL from`, the except dates one per line, `from`
/// RFC 3339 (else 2026-03-01T00:00:00Z); occurrences are listed from `from` over 62 days, at most 200. Besides never
/// trapping: a parsed cron expression reads back equal from its text; occurrences are in order of start, overlap the
/// range, end after they start by exactly the duration, fall on times the cron matches outside the except dates,
/// carry distinct identities, and do not depend on the limit (a smaller limit gives a prefix); an event time lies in
/// 1970-9999 and a local one reads back as the wall-clock time written; no error message echoes a long input.
public enum ScheduleTarget {
    static let name = "schedule"

    /// Feeds each part to the parsers, then checks what they accepted.
    public static func run(_ bytes: [UInt8]) throws {
        let input = FuzzInput(bytes, limit: 6)
        let zone = input.optionalText(2)
        try cron(input.text(0))
        let except = input.text(3).split(whereSeparator: { $0 == "\n" }).map(String.init)
        do {
            let window = try RecurringWindow.parse(cron: input.text(0), duration: input.text(1), timeZone: zone ?? "UTC",
                                                   except: except)
            let from = RFC3339.parseAccepted(input.text(5)) ?? Date(timeIntervalSince1970: 1_772_323_200)
            try occurrences(window, from: from, through: from + 62 * 86_400)
        } catch let error as RecurringWindowError {
            try short(error.description, "RecurringWindow.parse")
        }
        if let text = input.optionalText(4) {
            try eventTime(text, zone: zone.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// A cron expression that parses reads back equal from its own text; a refusal says where, briefly.
    static func cron(_ text: String) throws {
        do {
            let expression = try CronExpression(parsing: text)
            guard let again = try? CronExpression(parsing: expression.text), again == expression else {
                throw FuzzInvariantViolation(
                    target: name, "\(text.debugDescription) parses, its text \(expression.text) does not read back equal"
                )
            }
            for field in CronField.allCases where !expression.values(of: field).allSatisfy(field.range.contains) {
                throw FuzzInvariantViolation(
                    target: name, "\(text.debugDescription): \(field) values \(expression.values(of: field)) outside \(field.range)"
                )
            }
        } catch let error as CronParseError {
            try short(error.description, "CronExpression")
        }
    }

    /// The occurrence invariants (see the type's documentation).
    static func occurrences(_ window: RecurringWindow, from: Date, through: Date) throws {
        let found = window.occurrences(from: from, through: through, limit: 200)
        func fail(_ what: String) -> FuzzInvariantViolation {
            FuzzInvariantViolation(target: name, "\(window.cron) \(window.duration.playbookText) \(window.timeZoneIdentifier) "
                + "from \(RFC3339.format(from)): \(what)")
        }
        guard found.count <= 200 else { throw fail("\(found.count) occurrences, limit 200") }
        let length = window.duration.timeInterval
        for (index, occurrence) in found.enumerated() {
            let start = RFC3339.format(occurrence.start)
            guard occurrence.start <= through, occurrence.end > from else { throw fail("\(start) is outside the range") }
            guard occurrence.end > occurrence.start, abs(occurrence.end.timeIntervalSince(occurrence.start) - length) < 0.001
            else { throw fail("\(start) ends at \(RFC3339.format(occurrence.end))") }
            guard RFC3339.acceptedRange.contains(occurrence.start), RFC3339.acceptedRange.contains(occurrence.end)
            else { throw fail("\(start) is outside 1970-9999") }
            guard window.cron.matches(occurrence.scheduled), !window.except.contains(occurrence.localDate) else {
                throw fail("\(occurrence.identity) is not a time the schedule names")
            }
            guard index == 0 || found[index - 1].start < occurrence.start else { throw fail("\(start) is out of order") }
            let local = LocalTimeResolution.local(of: occurrence.start, in: window.timeZone)
            // Moved past a gap, the start reads later than scheduled; otherwise it reads exactly as scheduled.
            let readsBack = occurrence.shift == .afterGap
                ? local.map { $0 > occurrence.scheduled } : local.map { $0 == occurrence.scheduled }
            guard readsBack == true else {
                let reading = local.map { "\($0)" } ?? "nil"
                throw fail("\(occurrence.identity) (\(occurrence.shift)) starts at \(start), which reads \(reading)")
            }
        }
        guard Set(found.map(\.identity)).count == found.count else { throw fail("two occurrences share an identity") }
        let fewer = window.occurrences(from: from, through: through, limit: 3)
        guard fewer == Array(found.prefix(3)) else { throw fail("limit 3 is not a prefix of limit 200") }
    }

    /// An accepted event time lies in 1970-9999 and, when local, reads back as written; a refusal is brief.
    static func eventTime(_ text: String, zone: String?) throws {
        do {
            let time = try EventTime.parse(text, timeZone: zone)
            guard RFC3339.acceptedRange.contains(time.instant) else {
                throw FuzzInvariantViolation(target: name, "\(text.debugDescription) is outside 1970-9999")
            }
            if let local = time.local, let zone, let timeZone = IANATimeZone.named(zone),
               LocalTimeResolution.local(of: time.instant, in: timeZone) != local {
                throw FuzzInvariantViolation(target: name, "\(text.debugDescription) in \(zone) does not read back")
            }
            guard time.note == nil || time.local != nil else {
                throw FuzzInvariantViolation(target: name, "\(text.debugDescription) has a note but no local time")
            }
        } catch let error as EventTimeError {
            try short(error.description, "EventTime")
        }
    }

    /// Messages quote at most 64 characters of what they were given, so they stay short.
    static func short(_ message: String, _ what: String) throws {
        guard message.count <= 700 else {
            throw FuzzInvariantViolation(target: name, "\(what) error of \(message.count) characters: \(message.prefix(200))…")
        }
    }
}
