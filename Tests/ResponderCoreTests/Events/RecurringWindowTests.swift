import Foundation
import ResponderCore
import Testing

@Suite("recurring windows: occurrences, except dates, limits, identities")
struct RecurringWindowTests {
    private typealias H = EventTestHelpers

    @Test("weekday business hours in Berlin skip the weekend and the except dates")
    func businessHoursWithExceptions() {
        let window = H.window("0 9 * * MON-FRI", "9h", "Europe/Berlin", except: ["2026-12-24", "2026-12-25"])
        let found = window.occurrences(from: H.instant("2026-12-19T00:00:00Z"), through: H.instant("2026-12-29T00:00:00Z"),
                                       limit: 100)
        // 09:00 CET is 08:00Z; the 24th and 25th are a Thursday and a Friday, the 26th and 27th a weekend.
        #expect(H.starts(found) == ["2026-12-21T08:00:00.000Z", "2026-12-22T08:00:00.000Z", "2026-12-23T08:00:00.000Z",
                                    "2026-12-28T08:00:00.000Z"])
        #expect(found.allSatisfy { $0.end.timeIntervalSince($0.start) == 9 * 3600 && $0.shift == .none })
        #expect(found.map(\.identity) == ["2026-12-21T09:00 Europe/Berlin", "2026-12-22T09:00 Europe/Berlin",
                                          "2026-12-23T09:00 Europe/Berlin", "2026-12-28T09:00 Europe/Berlin"])
        #expect(found.map(\.localDate.description) == ["2026-12-21", "2026-12-22", "2026-12-23", "2026-12-28"])
    }

    @Test("a window already open at `from` is included; one that ended at `from` is not")
    func overlapBounds() {
        let window = H.window("0 9 * * *", "9h", "UTC")
        let during = window.occurrences(from: H.instant("2026-12-18T12:00:00Z"), through: H.instant("2026-12-18T12:00:00Z"),
                                        limit: 10)
        #expect(H.starts(during) == ["2026-12-18T09:00:00.000Z"])
        let atEnd = window.occurrences(from: H.instant("2026-12-18T18:00:00Z"), through: H.instant("2026-12-19T09:00:00Z"),
                                       limit: 10)
        #expect(H.starts(atEnd) == ["2026-12-19T09:00:00.000Z"])
        let beforeStart = window.occurrences(from: H.instant("2026-12-18T18:00:00Z"),
                                             through: H.instant("2026-12-19T08:59:59Z"), limit: 10)
        #expect(beforeStart.isEmpty)
        #expect(window.occurrences(from: H.instant("2026-12-19T00:00:00Z"), through: H.instant("2026-12-18T00:00:00Z"),
                                   limit: 10).isEmpty)
    }

    @Test("the limit is honoured, and capped")
    func limits() {
        let window = H.window("* * * * *", "30s", "UTC")
        let from = H.instant("2026-01-01T00:00:00Z")
        let through = H.instant("2027-01-01T00:00:00Z")
        #expect(H.starts(window.occurrences(from: from, through: through, limit: 3))
            == ["2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z", "2026-01-01T00:02:00.000Z"])
        #expect(window.occurrences(from: from, through: through, limit: 0).isEmpty)
        #expect(window.occurrences(from: from, through: through, limit: -5).isEmpty)
        let capped = window.occurrences(from: from, through: through, limit: .max)
        #expect(capped.count == RecurringWindow.maxOccurrences)
        #expect(zip(capped, capped.dropFirst()).allSatisfy { $0.start < $1.start })
    }

    @Test("a cron expression that never matches returns nothing, at once, over the whole range")
    func neverMatches() {
        let clock = ContinuousClock()
        for cron in ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *"] {
            let window = H.window(cron)
            let elapsed = clock.measure {
                #expect(window.occurrences(from: .distantPast, through: H.instant("9999-12-31T23:59:59Z"), limit: 10).isEmpty)
            }
            #expect(elapsed < .seconds(1), "\(cron) took \(elapsed)")
        }
    }

    @Test("a rare schedule scans 1970 to 9999 quickly: 29 February on a Sunday")
    func rareScheduleWholeRange() {
        // `*/7` starts with *, so it combines with the day of the month: 29 February AND Sunday.
        let window = H.window("0 0 29 2 */7")
        let clock = ContinuousClock()
        var found: [EventWindowOccurrence] = []
        let elapsed = clock.measure {
            found = window.occurrences(from: .distantPast, through: H.instant("9999-12-31T23:59:59Z"), limit: 10_000)
        }
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        #expect(H.starts(Array(found.prefix(3))) == ["1976-02-29T00:00:00.000Z", "2004-02-29T00:00:00.000Z",
                                                     "2032-02-29T00:00:00.000Z"])
        #expect(found.allSatisfy { $0.localDate.month == 2 && $0.localDate.day == 29 && $0.localDate.weekday == 0 })
        #expect(found.count > 250)
    }

    @Test("29 February comes every four years, and not in 2100")
    func leapDays() {
        let window = H.window("0 12 29 2 *", "1h", "UTC")
        #expect(H.starts(window.occurrences(from: H.instant("2026-01-01T00:00:00Z"),
                                            through: H.instant("2040-12-31T00:00:00Z"), limit: 10))
            == ["2028-02-29T12:00:00.000Z", "2032-02-29T12:00:00.000Z", "2036-02-29T12:00:00.000Z",
                "2040-02-29T12:00:00.000Z"])
        #expect(H.starts(window.occurrences(from: H.instant("2097-01-01T00:00:00Z"), through: .distantFuture, limit: 1))
            == ["2104-02-29T12:00:00.000Z"])
    }

    @Test("the search stays within 1970 to 9999, whatever the bounds")
    func extremeBounds() {
        let window = H.window("0 0 1 1 *", "1d", "Pacific/Kiritimati")
        // Date.distantFuture is in the year 4001, so the end of the range is written out.
        let last = window.occurrences(from: H.instant("9998-06-01T00:00:00Z"), through: H.instant("9999-12-31T23:59:59Z"),
                                      limit: 10)
        // 9999-01-01T00:00+14:00 is 9998-12-31T10:00Z; the one after would be in the year 10000.
        #expect(H.starts(last) == ["9998-12-31T10:00:00.000Z"])
        let first = H.window("0 0 1 1 *", "1d", "America/New_York")
            .occurrences(from: .distantPast, through: H.instant("1971-06-01T00:00:00Z"), limit: 10)
        #expect(H.starts(first) == ["1970-01-01T05:00:00.000Z", "1971-01-01T05:00:00.000Z"])
        // Found by the schedule fuzz seeds: 1970-01-01T12:00 at +14:00 is 1969-12-31T22:00Z, before the range, and
        // its 9h window reached into 1970, so it was listed.
        let east = H.window("0 12 * * *", "9h", "Etc/GMT-14")
            .occurrences(from: H.instant("1970-01-01T00:00:00Z"), through: H.instant("1970-01-02T00:00:00Z"), limit: 10)
        #expect(H.starts(east) == ["1970-01-01T22:00:00.000Z"])
        let nan = Date(timeIntervalSince1970: .nan)
        #expect(window.occurrences(from: nan, through: .distantFuture, limit: 10).isEmpty)
        #expect(window.occurrences(from: .distantPast, through: Date(timeIntervalSince1970: .infinity), limit: 10).isEmpty)
    }

    @Test("settings out of range are refused with the setting named", arguments: [
        ("0 9 * * MON-FRI", "0s", "Europe/Berlin", [String](), RecurringWindowError.Setting.duration, "1s to 366d"),
        ("0 9 * * MON-FRI", "367d", "Europe/Berlin", [], .duration, "1s to 366d"),
        ("0 9 * * MON-FRI", "9", "Europe/Berlin", [], .duration, "has no unit"),
        ("0 9 * * MON-FRY", "9h", "Europe/Berlin", [], .cron, "day-of-week field \"MON-FRY\""),
        ("0 9 * * MON-FRI", "9h", "Europe/Berlín", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "europe/berlin", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "CEST", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "GMT+0200", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "BST", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "UTC+2", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "Europe/Berlin/", [], .timeZone, "unknown time zone"),
        ("0 9 * * MON-FRI", "9h", "Europe/Berlin", ["2026-02-29"], .except, "invalid except date \"2026-02-29\""),
        ("0 9 * * MON-FRI", "9h", "Europe/Berlin", ["24.12.2026"], .except, "YYYY-MM-DD"),
        ("0 9 * * MON-FRI", "9h", "Europe/Berlin", ["1969-12-24"], .except, "between 1970 and 9999"),
    ])
    func refusals(_ cron: String, _ duration: String, _ zone: String, _ except: [String],
                  _ setting: RecurringWindowError.Setting, _ message: String) throws {
        let error = try #require(throws: RecurringWindowError.self) {
            try RecurringWindow.parse(cron: cron, duration: duration, timeZone: zone, except: except)
        }
        #expect(error.setting == setting)
        #expect(error.description.contains(message), "\(error.description)")
    }

    @Test("IANA names are accepted as written, links and UTC included", arguments: [
        "Europe/Berlin", "America/New_York", "UTC", "Etc/UTC", "GMT", "Asia/Kolkata", "Asia/Calcutta", "US/Eastern",
        "Europe/Kyiv", "Etc/GMT-14", "EST5EDT",
    ])
    func zoneNames(_ zone: String) throws {
        let window = try RecurringWindow.parse(cron: "0 9 * * *", duration: "1h", timeZone: zone)
        #expect(window.timeZoneIdentifier == zone)
    }

    @Test("too many except dates are refused")
    func tooManyExceptions() throws {
        let dates = (0...RecurringWindow.maxExceptions).map { _ in "2026-12-24" }
        let error = try #require(throws: RecurringWindowError.self) {
            try RecurringWindow.parse(cron: "0 9 * * *", duration: "9h", timeZone: "UTC", except: dates)
        }
        #expect(error.setting == .except)
    }
}
