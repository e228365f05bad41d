/// Why a cron expression was refused: which field (if one), the text at fault, and what to write instead.
public struct CronParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field at fault, or nil when the expression as a whole is wrong (empty, too long, wrong number of fields).
    public var field: CronField?
    /// The offending text (a list item, a whole field or the expression): at most 64 characters of it, then `…`.
    public var offendingText: String
    /// What is wrong, e.g. `hour field "25": 25 is outside 0-23`.
    public var reason: String

    /// Creates an error; `offendingText` is cut to 64 characters so a hostile input is not echoed in full.
    public init(field: CronField?, offendingText: String, reason: String) {
        self.field = field
        self.offendingText = offendingText.count > 64 ? String(offendingText.prefix(64)) + "…" : offendingText
        self.reason = reason
    }

    /// The message to show: where, what, and the form an expression must have.
    public var description: String {
        let place = field.map { "\($0) field \(EventText.quoted(offendingText))" } ?? EventText.quoted(offendingText)
        return "invalid cron expression: \(place): \(reason); write 5 fields, minute hour day-of-month month "
            + "day-of-week, each *, a value, a range a-b, a list a,b or a step */n or a-b/n, e.g. \"0 9 * * MON-FRI\""
    }
}
