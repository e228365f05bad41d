/// A calendar date on a wall clock, with no time zone: `2026-12-24`. Recurring windows name the days they skip with
/// it, and an occurrence carries the local date it was scheduled on.
///
/// Years are limited to ``LocalDate/years`` (1970–9999), so day counts and weekdays computed from a date never come
/// near overflow, and every date has a four-digit spelling.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Years a local date may have.
    public static let years: ClosedRange<Int> = 1970...9999

    /// The year, within ``years``.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1 to the length of the month.
    public let day: Int

    /// The date, or nil when it does not exist (2026-02-29, month 13) or its year is outside ``years``.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
              (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD` (exactly that: four-digit year, two-digit month and day), or nil.
    public init?(parsing text: String) {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(4), scanner.expect("-"), let month = scanner.number(2), scanner.expect("-"),
              let day = scanner.number(2), scanner.atEnd
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `2026-12-24`.
    public var description: String {
        "\(CivilCalendar.pad(year, 4))-\(CivilCalendar.pad(month, 2))-\(CivilCalendar.pad(day, 2))"
    }

    /// The day of the week, 0 for Sunday to 6 for Saturday, as cron counts them.
    public var weekday: Int {
        CivilCalendar.weekday(daysSinceEpoch: daysSinceEpoch)
    }

    /// Days from 1970-01-01 to this date.
    var daysSinceEpoch: Int {
        CivilCalendar.daysFromCivil(year: year, month: month, day: day)
    }

    /// Orders dates by year, then month, then day.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
