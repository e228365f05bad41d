import Foundation
import ResponderCore
import Testing

@Suite("cron expressions: what is refused, and where the error points")
struct CronRefusalTests {
    private func refusal(_ text: String) -> CronParseError? {
        do {
            _ = try CronExpression(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test("the error names the field and the offending text", arguments: [
        ("60 * * * *", CronField.minute, "60", "outside 0-59"),
        ("0 24 * * *", .hour, "24", "outside 0-23"),
        ("0 0 0 * *", .dayOfMonth, "0", "outside 1-31"),
        ("0 0 32 * *", .dayOfMonth, "32", "outside 1-31"),
        ("0 0 1 13 *", .month, "13", "outside 1-12 or JAN-DEC"),
        ("0 0 * * 8", .dayOfWeek, "8", "outside 0-7"),
        ("0 0 1 JANUARY *", .month, "JANUARY", "unknown name"),
        ("0 0 * * MONDAY", .dayOfWeek, "MONDAY", "unknown name"),
        ("0 0 * JAN-MON *", .month, "JAN-MON", "unknown name"),
        ("MON * * * *", .minute, "MON", "is not a number"),
        ("0 0 * * FRI-MON", .dayOfWeek, "FRI-MON", "runs backwards"),
        ("0 17-9 * * *", .hour, "17-9", "runs backwards"),
        ("5/15 * * * *", .minute, "5/15", "a step follows * or a range"),
        ("*/0 * * * *", .minute, "*/0", "the step 0 is outside 1-60"),
        ("*/61 * * * *", .minute, "*/61", "outside 1-60"),
        ("*/ * * * *", .minute, "*/", "a step is missing"),
        ("*/2/3 * * * *", .minute, "*/2/3", "more than one /"),
        ("1-2-3 * * * *", .minute, "1-2-3", "a range has one -"),
        ("-5 * * * *", .minute, "-5", "a value is missing"),
        ("1,,2 * * * *", .minute, "1,,2", "empty item"),
        ("1, * * * *", .minute, "1,", "empty item"),
        ("0 0 ? * *", .dayOfMonth, "?", "is not a whole number"),
        ("0 0 L * *", .dayOfMonth, "L", "is not a number"),
        ("0 0 * * 5#3", .dayOfWeek, "5#3", "is not a whole number"),
        ("0 0 15W * *", .dayOfMonth, "15W", "is not a whole number"),
        ("99999999999999999999 * * * *", .minute, "99999999999999999999", "far too large"),
        ("0 0 * * */99999999999999999999999", .dayOfWeek, "*/99999999999999999999999", "far too large"),
        ("+5 * * * *", .minute, "+5", "is not a whole number"),
    ])
    func fieldRefusals(_ text: String, _ field: CronField, _ offending: String, _ reason: String) throws {
        let error = try #require(refusal(text))
        #expect(error.field == field)
        #expect(error.offendingText == offending)
        #expect(error.reason.contains(reason), "\(error.reason)")
        #expect(error.description.contains("\(field) field \"\(offending)\""), "\(error.description)")
        #expect(error.description.contains("e.g. \"0 9 * * MON-FRI\""))
    }

    @Test("whole-expression refusals", arguments: [
        ("", "it is empty"), ("   \t ", "it is empty"), ("* * * *", "4 field(s), not 5"),
        ("0 0 9 * * MON", "6 field(s), not 5 (seconds and year fields"), ("0 9 * * * /usr/bin/backup", "6 field(s)"),
        ("@reboot", "unknown macro"), ("@every 5m", "unknown macro"), ("0 9 * * MON\u{0}", "\"\\0\""),
        ("0 9 * * LUN\u{00E9}", "which cron does not use"), ("0\n9 * * *", "which cron does not use"),
    ])
    func wholeRefusals(_ text: String, _ reason: String) throws {
        let error = try #require(refusal(text))
        #expect(error.field == nil)
        #expect(error.description.contains(reason), "\(error.description)")
    }

    @Test("hostile input is refused quickly with a short message, never a trap")
    func hostileInput() throws {
        let commas = "0" + String(repeating: ",", count: 10_000) + " * * * *"
        let long = try #require(refusal(commas))
        #expect(long.reason.contains("10009 bytes long, more than 256"))
        #expect(long.offendingText.count == 65)
        #expect(long.description.count < 400)

        // Within the length bound: as many list items as fit, each valid, is fine; one more comma is not.
        let list = Array(repeating: "1", count: 100).joined(separator: ",")
        #expect(try CronExpression(parsing: "\(list) * * * *").values(of: .minute) == [1])
        #expect(refusal("\(list), * * * *")?.field == .minute)
        #expect(refusal(String(repeating: "9", count: 240) + " * * * *")?.reason.contains("far too large") == true)
        #expect(refusal(String(repeating: "* ", count: 128))?.reason.contains("128 field(s)") == true)
    }
}
