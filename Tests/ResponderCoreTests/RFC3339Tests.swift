import Foundation
import ResponderCore
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("parses the forms senders use", arguments: [
        ("2026-01-01T00:00:00Z", 1_767_225_600.0),
        ("2026-01-01T00:00:00.5Z", 1_767_225_600.5),
        ("2026-01-01T00:00:00.123456789Z", 1_767_225_600.123456789),
        ("2026-01-01T02:00:00+02:00", 1_767_225_600.0),
        ("2025-12-31T18:00:00-06:00", 1_767_225_600.0),
        ("2016-04-07T10:08:52-06:00", 1_460_045_332.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-02-29T12:00:00Z", 1_709_208_000.0),
    ])
    func parses(_ text: String, _ expected: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - expected) < 0.000_001)
    }

    // Found by the rfc3339 fuzz target in a clean-clone CI run (fuzz/regressions/rfc3339/submillisecond-round-up): the
    // formatter writes an instant within its round-up slack (about 1 µs here) of the next millisecond as that one.
    @Test("an instant a microsecond below a millisecond is written as that millisecond, and stays put from then on")
    func submillisecondRoundUp() throws {
        let date = try #require(RFC3339.parse("2027-03-02T14:05:00.229999-02:00"))
        let text = RFC3339.format(date)
        #expect(text == "2027-03-02T16:05:00.230Z")
        let again = try #require(RFC3339.parse(text))
        #expect(RFC3339.format(again) == text)
        #expect(again.timeIntervalSince(date) <= RFC3339.roundUpSlack(date.timeIntervalSince1970) + 1e-6)
        #expect(RFC3339.roundUpSlack(date.timeIntervalSince1970) < 2e-6, "about a microsecond, never a visible shift")
        #expect(RFC3339.format(try #require(RFC3339.parse("2027-03-02T14:05:00.229990-02:00"))) == "2027-03-02T16:05:00.229Z",
                "10 µs below is truncated")
    }

    @Test("Go's zero time is before the epoch")
    func zeroTime() throws {
        let date = try #require(RFC3339.parse("0001-01-01T00:00:00Z"))
        #expect(date.timeIntervalSince1970 == -62_135_596_800)
    }

    @Test("refuses what is not a timestamp", arguments: [
        "", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0200", "yesterday", "2026-01-01T00:00:00Zjunk",
    ])
    func refuses(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    // Found by the rfc3339 fuzz target (fuzz/regressions/rfc3339/): these parsed to instants in the years 10000 and -1,
    // which format wrote as "10000-01-01T00:00:00.900Z" and "00-1-12-31T23:59:00.000Z", text no parser reads back.
    @Test("refuses a time whose UTC instant falls outside the years 0000 to 9999", arguments: [
        "9999-12-31T23:59:60.9Z", "9999-12-31T23:30:00-01:00", "0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59.99999Z",
    ])
    func refusesInstantsWithoutAFourDigitYear(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("the first and last instants of the four-digit years parse and round-trip")
    func fourDigitYearEdges() throws {
        let first = try #require(RFC3339.parse("0000-01-01T00:00:00Z"))
        #expect(RFC3339.format(first) == "0000-01-01T00:00:00.000Z")
        let last = try #require(RFC3339.parse("9999-12-31T23:59:59.999Z"))
        #expect(RFC3339.format(last) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.parse("0001-01-01T00:30:00+01:00") != nil)
    }

    // Found by the rfc3339 fuzz target (fuzz/regressions/rfc3339/millisecond-drift-before-1970): before 1970 a time
    // read back sat a rounding error below its millisecond, and format wrote the millisecond before, so a stored time
    // moved 1 ms earlier on every save ("1413-02-01T00:00:00.995Z" came back as ".994Z").
    @Test("formatted text reads back and formats to itself, every millisecond, before 1970 too", arguments: [
        "0000-01-01T00:00:00", "1413-02-01T00:00:00", "1969-12-31T23:59:59", "2026-03-02T14:05:00", "9999-12-31T23:59:59",
    ])
    func formattedTextIsAFixedPoint(_ second: String) throws {
        for millisecond in 0..<1000 {
            let text = second + String(format: ".%03dZ", millisecond)
            let date = try #require(RFC3339.parse(text))
            #expect(RFC3339.format(date) == text)
        }
    }

    @Test("formats as UTC milliseconds and round-trips")
    func formats() throws {
        let date = Date(timeIntervalSince1970: 1_767_225_600.25)
        #expect(RFC3339.format(date) == "2026-01-01T00:00:00.250Z")
        #expect(RFC3339.parse(RFC3339.format(date)) == date)
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }
}
