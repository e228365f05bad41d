import Foundation
import ResponderCore
import Testing

@Suite("cron expressions: what they match")
struct CronExpressionTests {
    private func values(_ text: String, _ field: CronField) throws -> [Int] {
        try CronExpression(parsing: text).values(of: field)
    }

    @Test("each field reads *, values, ranges, lists and steps")
    func fieldForms() throws {
        #expect(try values("* * * * *", .minute) == Array(0...59))
        #expect(try values("* * * * *", .dayOfMonth) == Array(1...31))
        #expect(try values("5 * * * *", .minute) == [5])
        #expect(try values("0,15,45 * * * *", .minute) == [0, 15, 45])
        #expect(try values("0 9-17 * * *", .hour) == Array(9...17))
        #expect(try values("*/15 * * * *", .minute) == [0, 15, 30, 45])
        #expect(try values("0 8-18/4 * * *", .hour) == [8, 12, 16])
        #expect(try values("0 0 */10 * *", .dayOfMonth) == [1, 11, 21, 31])
        #expect(try values("0 0 1 */3 *", .month) == [1, 4, 7, 10])
        #expect(try values("1-3,10,20-22/2 * * * *", .minute) == [1, 2, 3, 10, 20, 22])
        #expect(try values("*/59 * * * *", .minute) == [0, 59])
        #expect(try values("\t0  9 *\t* 1 ", .dayOfWeek) == [1])
    }

    @Test("month and weekday names in any case; 0 and 7 are both Sunday")
    func names() throws {
        #expect(try values("0 0 1 JAN,jun,Dec *", .month) == [1, 6, 12])
        #expect(try values("0 0 1 feb-APR *", .month) == [2, 3, 4])
        #expect(try values("0 9 * * MON-FRI", .dayOfWeek) == [1, 2, 3, 4, 5])
        #expect(try values("0 9 * * sun,Sat", .dayOfWeek) == [0, 6])
        #expect(try values("0 9 * * 7", .dayOfWeek) == [0])
        #expect(try values("0 9 * * 0", .dayOfWeek) == [0])
        #expect(try values("0 9 * * 5-7", .dayOfWeek) == [0, 5, 6])
        #expect(try values("0 9 * * */2", .dayOfWeek) == [0, 2, 4, 6])
        #expect(try values("0 9 * * MON-FRI/2", .dayOfWeek) == [1, 3, 5])
        #expect(try CronExpression(parsing: "0 9 * * MON-FRI") == CronExpression(parsing: "0 9 * * 1-5"))
        #expect(try CronExpression(parsing: "0 9 * * SUN") == CronExpression(parsing: "0 9 * * 7"))
    }

    @Test("macros stand for their expressions", arguments: [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@DAILY", "0 0 * * *"),
    ])
    func macros(_ macro: String, _ meaning: String) throws {
        #expect(try CronExpression(parsing: macro) == CronExpression(parsing: meaning))
        #expect(try CronExpression(parsing: macro).text == macro)
    }

    private func matchingDays(_ text: String, year: Int, month: Int) throws -> [Int] {
        let cron = try CronExpression(parsing: text)
        return (1...31).filter { day in LocalDate(year: year, month: month, day: day).map(cron.matches) ?? false }
    }

    // November 2026: the 1st is a Sunday, the Mondays are the 2nd, 9th, 16th, 23rd and 30th.
    @Test("Vixie rule: both day fields restricted means either matches; a field starting with * means both must")
    func vixieDayRule() throws {
        #expect(try matchingDays("0 12 1 * MON", year: 2026, month: 11) == [1, 2, 9, 16, 23, 30])
        #expect(try matchingDays("0 12 1 * *", year: 2026, month: 11) == [1])
        #expect(try matchingDays("0 12 * * MON", year: 2026, month: 11) == [2, 9, 16, 23, 30])
        // `*/2` starts with *, so (as in Vixie cron and cronie) it combines with the weekday: odd days AND Mondays.
        #expect(try matchingDays("0 12 */2 * MON", year: 2026, month: 11) == [9, 23])
        #expect(try matchingDays("0 12 1-31 * MON", year: 2026, month: 11) == Array(1...30))
        #expect(try matchingDays("0 12 13 * FRI", year: 2026, month: 2) == [6, 13, 20, 27])
        #expect(try matchingDays("0 12 1 JUN *", year: 2026, month: 11) == [])
    }

    @Test("a reading matches only on its minute, hour and second 0")
    func matchesReadings() throws {
        let cron = try CronExpression(parsing: "30 9 * * MON-FRI")
        #expect(cron.matches(EventTestHelpers.local("2026-12-18T09:30")))
        #expect(!cron.matches(EventTestHelpers.local("2026-12-18T09:30:01")))
        #expect(!cron.matches(EventTestHelpers.local("2026-12-18T10:30")))
        #expect(!cron.matches(EventTestHelpers.local("2026-12-19T09:30")))
    }

    @Test("expressions that match no date at all are known as such", arguments: [
        ("0 0 31 2 *", false), ("0 0 30 2 *", false), ("0 0 31 4,6,9,11 *", false), ("0 0 30,31 FEB *", false),
        ("0 0 29 2 *", true), ("0 0 31 2 MON", true), ("0 0 31 * *", true), ("0 0 30 2 */2", false),
    ])
    func canEverMatch(_ text: String, _ expected: Bool) throws {
        #expect(try CronExpression(parsing: text).canEverMatch == expected)
    }
}
