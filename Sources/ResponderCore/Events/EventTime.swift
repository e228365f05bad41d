import Foundation

/// The start or end of a one-off event, read from what a person or script wrote: RFC 3339 with an offset
/// (`2026-12-18T18:00:00+01:00`), or a local date-time (`2026-12-18T18:00`, seconds optional) with an IANA time zone.
///
/// A local time the clocks skip (in a spring-forward gap) is refused with the gap named; a local time that happens
/// twice (the repeated hour when daylight saving ends) is read as the first of the two, and ``note`` says so.
public struct EventTime: Equatable, Sendable {
    /// The longest text accepted, in UTF-8 bytes.
    public static let maxLength = 64

    /// The instant, within ``RFC3339/acceptedRange``.
    public let instant: Date
    /// The wall-clock reading written, when it was a local date-time; nil for RFC 3339 with an offset.
    public let local: LocalDateTime?
    /// The time zone given, if any (for RFC 3339 with an offset it is checked but the offset decides the instant).
    public let timeZoneIdentifier: String?
    /// Something the caller should show the person who wrote it, e.g. which of two instants a repeated local time was
    /// read as; nil when there is nothing to say.
    public let note: String?

    /// Reads `text`, with `timeZone` (an IANA identifier such as `Europe/Berlin`) for a local date-time.
    public static func parse(_ text: String, timeZone identifier: String?) throws(EventTimeError) -> EventTime {
        let forms = "write RFC 3339 with an offset, e.g. 2026-12-18T18:00:00+01:00, or a local date-time "
            + "2026-12-18T18:00 with a time zone"
        guard text.utf8.count <= maxLength else {
            throw EventTimeError(.malformed, "invalid time \(EventText.quoted(text)): longer than \(maxLength) bytes; \(forms)")
        }
        var zone: TimeZone?
        if let identifier {
            guard let named = IANATimeZone.named(identifier) else {
                throw EventTimeError(.unknownTimeZone, "unknown time zone \(EventText.quoted(identifier)); \(IANATimeZone.hint)")
            }
            zone = named
        }
        if let instant = RFC3339.parse(text) {
            guard RFC3339.acceptedRange.contains(instant) else { throw outOfRange(text) }
            return EventTime(instant: instant, local: nil, timeZoneIdentifier: identifier, note: nil)
        }
        guard let local = LocalDateTime(parsing: text) else {
            let digits = text.utf8.prefix(4)
            if digits.count == 4, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
               let year = Int(text.prefix(4)), text.utf8.count >= 16, !LocalDate.years.contains(year) {
                throw outOfRange(text)
            }
            throw EventTimeError(.malformed, "invalid time \(EventText.quoted(text)); \(forms)")
        }
        guard let zone, let identifier else {
            throw EventTimeError(.missingTimeZone, "the time \(EventText.quoted(text)) has no offset: give a time zone "
                + "(e.g. Europe/Berlin) or write the offset, e.g. \(full(local))+01:00")
        }
        let instant: Date
        var note: String?
        switch LocalTimeResolution.resolve(local, in: zone) {
        case .unique(let only):
            instant = only
        case .repeated(let earlier, _, let earlierOffset, let laterOffset):
            instant = earlier
            note = "\(local) happens twice in \(identifier) (the clocks go back "
                + "\(Duration.seconds(earlierOffset - laterOffset).playbookText) that night); the first, "
                + "\(full(local))\(CivilCalendar.offsetText(earlierOffset)) (\(RFC3339.format(earlier))), was used; "
                + "write \(full(local))\(CivilCalendar.offsetText(laterOffset)) for the second"
        case .skipped(let transition, let before, let after):
            let seconds = Int(transition.timeIntervalSince1970)
            let from = LocalDateTime(wallSeconds: seconds + before).map { "\($0)" } ?? "?"
            let to = LocalDateTime(wallSeconds: seconds + after).map { "\($0)" } ?? "?"
            throw EventTimeError(.skippedByDaylightSaving, "\(local) does not exist in \(identifier): the clocks jump "
                + "from \(from) to \(to) (UTC offset \(CivilCalendar.offsetText(before)) to "
                + "\(CivilCalendar.offsetText(after))); pick a time before \(from) or from \(to) on")
        }
        guard RFC3339.acceptedRange.contains(instant) else { throw outOfRange(text) }
        return EventTime(instant: instant, local: local, timeZoneIdentifier: identifier, note: note)
    }

    private static func outOfRange(_ text: String) -> EventTimeError {
        EventTimeError(.outOfRange, "the time \(EventText.quoted(text)) is not \(RFC3339.acceptedYears)")
    }

    /// `2026-12-18T18:00:00`: the reading with seconds, as RFC 3339 needs before an offset.
    private static func full(_ local: LocalDateTime) -> String {
        local.second == 0 ? "\(local):00" : "\(local)"
    }
}
