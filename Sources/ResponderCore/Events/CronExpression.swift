/// A standard five-field cron expression, `minute hour day-of-month month day-of-week`, read as Vixie cron (and
/// cronie, the crontab of most Linux systems) reads it, for recurring event windows such as `0 9 * * MON-FRI`.
///
/// Each field is `*`, a value, a range `a-b`, a step `*/n` or `a-b/n`, or a comma-separated list of those. Months may
/// be written JAN–DEC and weekdays SUN–SAT (any case); 0 and 7 are both Sunday. The macros `@yearly` (`@annually`),
/// `@monthly`, `@weekly`, `@daily` (`@midnight`) and `@hourly` stand for their usual expressions. Everything else —
/// seconds or year fields, `?`, `L`, `W`, `#`, `@reboot`, reversed ranges, a step on a single value — is refused with
/// a ``CronParseError`` naming the field and the text.
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted, a day matches if *either*
/// does (`0 0 1 * MON` is the 1st of every month and every Monday). A field counts as unrestricted when its text
/// starts with `*`, so `*/2` is "unrestricted" for this rule, exactly as in Vixie cron: `0 0 */2 * MON` is the odd
/// days that are also Mondays.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// The longest expression accepted, in UTF-8 bytes; real ones are a few dozen.
    public static let maxLength = 256

    /// The expression as written, without surrounding white space.
    public let text: String
    /// Bit n set: minute n matches.
    let minutes: UInt64
    /// Bit n set: hour n matches.
    let hours: UInt64
    /// Bit n set: day n of the month matches (bit 0 unused).
    let daysOfMonth: UInt64
    /// Bit n set: month n matches (bit 0 unused).
    let months: UInt64
    /// Bit n set: weekday n matches, 0 for Sunday (7 is stored as 0).
    let daysOfWeek: UInt64
    /// The day-of-month field starts with `*` (Vixie cron's DOM_STAR).
    let dayOfMonthIsStar: Bool
    /// The day-of-week field starts with `*` (Vixie cron's DOW_STAR).
    let dayOfWeekIsStar: Bool

    /// Reads an expression; the error names the field and the text that are wrong.
    public init(parsing text: String) throws(CronParseError) {
        let fields = try CronParser.fields(of: text)
        self.text = fields.text
        minutes = fields.masks[0]
        hours = fields.masks[1]
        daysOfMonth = fields.masks[2]
        months = fields.masks[3]
        daysOfWeek = fields.masks[4]
        dayOfMonthIsStar = fields.stars[2]
        dayOfWeekIsStar = fields.stars[4]
    }

    /// The expression as written.
    public var description: String { text }

    /// The values a field matches, ascending (day-of-week 0–6, Sunday as 0).
    public func values(of field: CronField) -> [Int] {
        let mask = [minutes, hours, daysOfMonth, months, daysOfWeek][field.rawValue]
        return (0..<64).filter { mask & (1 << UInt64($0)) != 0 }
    }

    /// True when the expression matches `date` at some time of day (month, and day-of-month and day-of-week under
    /// the Vixie rule).
    public func matches(_ date: LocalDate) -> Bool {
        guard Self.has(months, date.month) else { return false }
        let dayOfMonth = Self.has(daysOfMonth, date.day)
        let dayOfWeek = Self.has(daysOfWeek, date.weekday)
        return dayOfMonthIsStar || dayOfWeekIsStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek
    }

    /// True when the expression matches the wall-clock reading `local` (its second must be 0).
    public func matches(_ local: LocalDateTime) -> Bool {
        local.second == 0 && Self.has(minutes, local.minute) && Self.has(hours, local.hour) && matches(local.date)
    }

    /// False for an expression that matches no date at all, such as `0 0 31 2 *` or `0 0 30 2 *`: then no search
    /// needs to look at a single day.
    public var canEverMatch: Bool {
        // Under the "either" rule every weekday comes round in every month; otherwise a day of the month that exists
        // in a chosen month falls on every weekday in some year of the 400-year Gregorian cycle.
        if !dayOfMonthIsStar && !dayOfWeekIsStar { return true }
        return (1...12).contains { month in
            Self.has(months, month) && (1...(month == 2 ? 29 : CivilCalendar.daysInMonth(year: 1, month: month)))
                .contains { Self.has(daysOfMonth, $0) }
        }
    }

    /// Two expressions are equal when their fields hold the same values, however they are written (`MON-FRI` and
    /// `1-5`), and the same day fields start with `*`.
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.minutes == rhs.minutes && lhs.hours == rhs.hours && lhs.daysOfMonth == rhs.daysOfMonth
            && lhs.months == rhs.months && lhs.daysOfWeek == rhs.daysOfWeek
            && lhs.dayOfMonthIsStar == rhs.dayOfMonthIsStar && lhs.dayOfWeekIsStar == rhs.dayOfWeekIsStar
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        for mask in [minutes, hours, daysOfMonth, months, daysOfWeek] { hasher.combine(mask) }
        hasher.combine(dayOfMonthIsStar)
        hasher.combine(dayOfWeekIsStar)
    }

    /// True when bit `value` of `mask` is set (false for a value outside 0–63).
    static func has(_ mask: UInt64, _ value: Int) -> Bool {
        (0..<64).contains(value) && mask & (1 << UInt64(value)) != 0
    }
}
