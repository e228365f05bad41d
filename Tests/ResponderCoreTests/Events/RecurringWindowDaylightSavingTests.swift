import Foundation
import ResponderCore
import Testing

// 2026 transitions: Europe/Berlin springs forward on 29 March at 01:00Z (02:00 CET becomes 03:00 CEST) and falls back
// on 25 October at 01:00Z (03:00 CEST becomes 02:00 CET); America/New_York springs forward on 8 March at 07:00Z
// (02:00 EST becomes 03:00 EDT) and falls back on 1 November at 06:00Z (02:00 EDT becomes 01:00 EST).
@Suite("recurring windows across daylight-saving changes")
struct RecurringWindowDaylightSavingTests {
    private typealias H = EventTestHelpers

    private func occurrences(_ cron: String, _ zone: String, _ from: String, _ through: String,
                             duration: String = "1h") -> [EventWindowOccurrence] {
        H.window(cron, duration, zone).occurrences(from: H.instant(from), through: H.instant(through), limit: 1000)
    }

    @Test("a time in the skipped hour starts once, at the first instant after the gap", arguments: [
        ("30 2 * * *", "Europe/Berlin", "2026-03-29", "2026-03-29T01:00:00.000Z"),
        ("30 2 * * *", "America/New_York", "2026-03-08", "2026-03-08T07:00:00.000Z"),
    ])
    func springForward(_ cron: String, _ zone: String, _ day: String, _ expected: String) throws {
        let found = occurrences(cron, zone, "\(day)T00:00:00Z", "\(day)T23:59:59Z")
        let only = try #require(found.count == 1 ? found.first : nil, "\(H.starts(found))")
        #expect(RFC3339.format(only.start) == expected)
        #expect(only.shift == .afterGap)
        #expect(only.identity == "\(day)T02:30 \(zone)")
        #expect(only.end.timeIntervalSince(only.start) == 3600)
    }

    @Test("a time in the repeated hour starts once, at its first instance", arguments: [
        ("30 2 * * *", "Europe/Berlin", "2026-10-25", "2026-10-25T00:30:00.000Z"),
        ("30 1 * * *", "America/New_York", "2026-11-01", "2026-11-01T05:30:00.000Z"),
    ])
    func fallBack(_ cron: String, _ zone: String, _ day: String, _ expected: String) throws {
        let found = occurrences(cron, zone, "\(day)T00:00:00Z", "\(day)T23:59:59Z")
        let only = try #require(found.count == 1 ? found.first : nil, "\(H.starts(found))")
        #expect(RFC3339.format(only.start) == expected)
        #expect(only.shift == .firstOfRepeated)
    }

    @Test("the days around a change keep their wall-clock time")
    func neighbouringDays() {
        let berlin = occurrences("30 2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z")
        #expect(H.starts(berlin) == ["2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"])
        let newYork = occurrences("30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z")
        #expect(H.starts(newYork) == ["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"])
    }

    @Test("every half hour on the spring-forward day: the skipped times fold into 03:00, which the schedule names")
    func halfHoursSpringForward() {
        let found = occurrences("*/30 * * * *", "Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-29T21:59:59Z",
                                duration: "1m")
        #expect(found.count == 46)
        #expect(!found.contains { $0.scheduled.hour == 2 })
        let three = found.first { $0.identity == "2026-03-29T03:00 Europe/Berlin" }
        #expect(three.map { RFC3339.format($0.start) } == "2026-03-29T01:00:00.000Z")
        #expect(three?.shift == Optional.some(.none))
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.start < $1.start })
    }

    @Test("times in the gap that the schedule does not follow with 03:00 give one occurrence, named by the first")
    func gapWithoutTheHourAfter() throws {
        let found = occurrences("0,15,30,45 2 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z")
        let only = try #require(found.count == 1 ? found.first : nil, "\(H.starts(found))")
        #expect(only.identity == "2026-03-29T02:00 Europe/Berlin")
        #expect(RFC3339.format(only.start) == "2026-03-29T01:00:00.000Z")
    }

    @Test("every half hour on the fall-back day: 48 occurrences, each once, the repeated ones at their first instance")
    func halfHoursFallBack() {
        let found = occurrences("*/30 * * * *", "Europe/Berlin", "2026-10-24T22:00:00Z", "2026-10-25T22:59:59Z",
                                duration: "1m")
        #expect(found.count == 48)
        #expect(Set(found.map(\.identity)).count == 48)
        let repeated = found.filter { $0.shift == .firstOfRepeated }.map { RFC3339.format($0.start) }
        #expect(repeated == ["2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z"])
        let three = found.first { $0.identity == "2026-10-25T03:00 Europe/Berlin" }
        #expect(three.map { RFC3339.format($0.start) } == "2026-10-25T02:00:00.000Z")
    }

    @Test("a window crossing a change lasts its duration in elapsed time, so its wall-clock end moves")
    func windowAcrossChange() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let spring = occurrences("0 20 28 3 *", "Europe/Berlin", "2026-03-28T00:00:00Z", "2026-03-29T00:00:00Z",
                                 duration: "9h")
        let night = try #require(spring.first)
        #expect(RFC3339.format(night.start) == "2026-03-28T19:00:00.000Z")
        #expect(RFC3339.format(night.end) == "2026-03-29T04:00:00.000Z")
        // 20:00 CET plus 9 hours is 06:00 CEST on the wall clock, not 05:00.
        #expect(LocalTimeResolution.local(of: night.end, in: berlin)?.description == "2026-03-29T06:00")

        let autumn = occurrences("0 20 24 10 *", "Europe/Berlin", "2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z",
                                 duration: "9h")
        let fallNight = try #require(autumn.first)
        #expect(RFC3339.format(fallNight.start) == "2026-10-24T18:00:00.000Z")
        #expect(LocalTimeResolution.local(of: fallNight.end, in: berlin)?.description == "2026-10-25T04:00")
    }

    @Test("business hours in New York keep 09:00 local across the March change")
    func businessHoursAcrossChange() {
        let found = occurrences("0 9 * * MON-FRI", "America/New_York", "2026-03-06T00:00:00Z", "2026-03-10T00:00:00Z",
                                duration: "8h")
        #expect(H.starts(found) == ["2026-03-06T14:00:00.000Z", "2026-03-09T13:00:00.000Z"])
    }
}
