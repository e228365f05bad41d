import Foundation
import ResponderCore
import Testing

@Suite("one-off event times: RFC 3339 with an offset, or a local time with an IANA zone")
struct EventTimeTests {
    private func parse(_ text: String, _ zone: String? = nil) throws(EventTimeError) -> EventTime {
        try EventTime.parse(text, timeZone: zone)
    }

    private func refusal(_ text: String, _ zone: String?) throws -> EventTimeError {
        try #require(throws: EventTimeError.self) { try EventTime.parse(text, timeZone: zone) }
    }

    @Test("local times resolve in their zone", arguments: [
        ("2026-12-18T18:00", "Europe/Berlin", "2026-12-18T17:00:00.000Z"),
        ("2026-12-18T18:00:30", "Europe/Berlin", "2026-12-18T17:00:30.000Z"),
        ("2026-07-01 18:00", "Europe/Berlin", "2026-07-01T16:00:00.000Z"),
        ("2026-07-01T09:00", "America/New_York", "2026-07-01T13:00:00.000Z"),
        ("2026-12-18T18:00", "UTC", "2026-12-18T18:00:00.000Z"),
        ("2026-12-18T18:00", "Asia/Kolkata", "2026-12-18T12:30:00.000Z"),
        ("2026-03-29T03:00", "Europe/Berlin", "2026-03-29T01:00:00.000Z"),
        ("2026-03-29T01:59:59", "Europe/Berlin", "2026-03-29T00:59:59.000Z"),
    ])
    func localTimes(_ text: String, _ zone: String, _ expected: String) throws {
        let time = try parse(text, zone)
        #expect(RFC3339.format(time.instant) == expected)
        #expect(time.note == nil)
        #expect(time.timeZoneIdentifier == zone)
        #expect(time.local == LocalDateTime(parsing: text))
    }

    @Test("RFC 3339 with an offset is read as written; a given zone is checked, not applied")
    func offsets() throws {
        let time = try parse("2026-12-18T18:00:00+01:00")
        #expect(RFC3339.format(time.instant) == "2026-12-18T17:00:00.000Z")
        #expect(time.local == nil)
        let withZone = try parse("2026-12-18T18:00:00-05:00", "Europe/Berlin")
        #expect(RFC3339.format(withZone.instant) == "2026-12-18T23:00:00.000Z")
        #expect(try refusal("2026-12-18T18:00:00Z", "Mars/Olympus").kind == .unknownTimeZone)
    }

    @Test("a local time in a spring-forward gap is refused, naming the gap", arguments: [
        ("2026-03-29T02:30", "Europe/Berlin", "from 2026-03-29T02:00 to 2026-03-29T03:00 (UTC offset +01:00 to +02:00)"),
        ("2026-03-29T02:00", "Europe/Berlin", "from 2026-03-29T02:00 to 2026-03-29T03:00"),
        ("2026-03-08T02:30", "America/New_York", "from 2026-03-08T02:00 to 2026-03-08T03:00 (UTC offset -05:00 to -04:00)"),
    ])
    func gaps(_ text: String, _ zone: String, _ gap: String) throws {
        let error = try refusal(text, zone)
        #expect(error.kind == .skippedByDaylightSaving)
        #expect(error.description.contains("\(LocalDateTime(parsing: text)!) does not exist in \(zone)"))
        #expect(error.description.contains(gap), "\(error.description)")
    }

    @Test("a local time in the repeated hour is the first instance, and the note says how to get the second", arguments: [
        ("2026-10-25T02:30", "Europe/Berlin", "2026-10-25T00:30:00.000Z", "2026-10-25T02:30:00+01:00"),
        ("2026-11-01T01:30", "America/New_York", "2026-11-01T05:30:00.000Z", "2026-11-01T01:30:00-05:00"),
    ])
    func repeated(_ text: String, _ zone: String, _ expected: String, _ second: String) throws {
        let time = try parse(text, zone)
        #expect(RFC3339.format(time.instant) == expected)
        let note = try #require(time.note)
        #expect(note.contains("happens twice in \(zone)"), "\(note)")
        #expect(note.contains("the clocks go back 1h"), "\(note)")
        #expect(note.contains("write \(second) for the second"), "\(note)")
        // The suggested text does name the second instance, an hour later.
        let later = try parse(second)
        #expect(later.instant.timeIntervalSince(time.instant) == 3600)
    }

    @Test("what is refused, and why", arguments: [
        ("2026-12-18T18:00", nil, EventTimeError.Kind.missingTimeZone, "give a time zone"),
        ("2026-12-18T18:00", "Europe/Atlantis", .unknownTimeZone, "unknown time zone \"Europe/Atlantis\""),
        ("2026-12-18T18:00", "", .unknownTimeZone, "unknown time zone"),
        ("2026-12-18T18:00", "../../etc/passwd", .unknownTimeZone, "IANA time zone name"),
        ("tomorrow", "Europe/Berlin", .malformed, "write RFC 3339 with an offset"),
        ("2026-12-18", "Europe/Berlin", .malformed, "a local date-time"),
        ("2026-12-18T18:00:00.5", "Europe/Berlin", .malformed, "invalid time"),
        ("2026-12-18T24:00", "Europe/Berlin", .malformed, "invalid time"),
        ("2026-02-29T18:00", "Europe/Berlin", .malformed, "invalid time"),
        ("2026-12-18T18:00:60", "Europe/Berlin", .malformed, "invalid time"),
        ("1969-12-31T23:00", "UTC", .outOfRange, "between the years 1970 and 9999"),
        ("1970-01-01T00:30", "Europe/Berlin", .outOfRange, "between the years 1970 and 9999"),
        ("1960-01-01T00:00:00Z", nil, .outOfRange, "between the years 1970 and 9999"),
        ("9999-12-31T23:00", "America/New_York", .outOfRange, "between the years 1970 and 9999"),
        ("0000-01-01T00:00", "UTC", .outOfRange, "between the years 1970 and 9999"),
        ("+123-01-01T00:00", "UTC", .malformed, "invalid time"),
        ("-001-01-01T00:00", "UTC", .malformed, "invalid time"),
    ] as [(String, String?, EventTimeError.Kind, String)])
    func refusals(_ text: String, _ zone: String?, _ kind: EventTimeError.Kind, _ message: String) throws {
        let error = try refusal(text, zone)
        #expect(error.kind == kind)
        #expect(error.description.contains(message), "\(error.description)")
    }

    @Test("hostile input: long text and long zone names are refused with a short message")
    func hostile() throws {
        let long = try refusal(String(repeating: "9", count: 10_000), "Europe/Berlin")
        #expect(long.kind == .malformed)
        #expect(long.description.count < 300)
        let zone = try refusal("2026-12-18T18:00", String(repeating: "Europe/", count: 1_000))
        #expect(zone.kind == .unknownTimeZone)
        #expect(zone.description.count < 300)
    }
}
