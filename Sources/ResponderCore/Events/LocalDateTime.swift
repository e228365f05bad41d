/// A date and a time of day on a wall clock, with no time zone: `2026-12-18T18:00` or `2026-12-18T18:00:30`. Joined
/// with an IANA time zone it names an instant, except in a daylight-saving gap (``LocalTimeResolution``).
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar date.
    public let date: LocalDate
    /// The hour, 0–23.
    public let hour: Int
    /// The minute, 0–59.
    public let minute: Int
    /// The second, 0–59 (a wall clock never shows a leap second here).
    public let second: Int

    /// The date-time, or nil when the hour, minute or second is out of range.
    public init?(date: LocalDate, hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Reads `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (a `t` or a space may replace the `T`), or nil. Anything
    /// after the time, such as an offset or a fraction of a second, makes it nil.
    public init?(parsing text: String) {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(4), scanner.expect("-"), let month = scanner.number(2), scanner.expect("-"),
              let day = scanner.number(2), scanner.expect("Tt "), let hour = scanner.number(2), scanner.expect(":"),
              let minute = scanner.number(2)
        else { return nil }
        var second = 0
        if scanner.expect(":") {
            guard let value = scanner.number(2) else { return nil }
            second = value
        }
        guard scanner.atEnd, let date = LocalDate(year: year, month: month, day: day) else { return nil }
        self.init(date: date, hour: hour, minute: minute, second: second)
    }

    /// The wall-clock reading `seconds` after 1970-01-01T00:00, or nil outside ``LocalDate/years``.
    init?(wallSeconds seconds: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let inDay = seconds - days * 86_400
        let civil = CivilCalendar.civilFromDays(days)
        guard let date = LocalDate(year: civil.year, month: civil.month, day: civil.day) else { return nil }
        self.init(date: date, hour: inDay / 3600, minute: inDay / 60 % 60, second: inDay % 60)
    }

    /// Seconds from 1970-01-01T00:00 to this reading on the same wall clock, as if it were UTC.
    var wallSeconds: Int {
        date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// `2026-12-18T18:00`, with `:SS` only when the second is not 0.
    public var description: String {
        let minutes = "\(date)T\(CivilCalendar.pad(hour, 2)):\(CivilCalendar.pad(minute, 2))"
        return second == 0 ? minutes : minutes + ":" + CivilCalendar.pad(second, 2)
    }

    /// Orders readings by date, then time of day.
    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.hour, lhs.minute, lhs.second) < (rhs.date, rhs.hour, rhs.minute, rhs.second)
    }
}
