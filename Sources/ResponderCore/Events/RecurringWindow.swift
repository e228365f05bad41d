import Foundation

/// A window that recurs on a cron schedule in an IANA time zone, such as weekday business hours: a playbook's
/// `schedule: {cron: "0 9 * * MON-FRI", duration: 9h, timezone: Europe/Berlin, except: [2026-12-24, 2026-12-25]}`.
///
/// Each occurrence starts when the cron expression matches the wall clock of ``timeZone`` and lasts ``duration`` of
/// elapsed time: a 9h window that crosses a daylight-saving change is 9 real hours, so its end reads 17:00 or 19:00
/// on the wall clock instead of 18:00. Elapsed time is what the ladder and its timers count in, and it gives every
/// occurrence the same length. Daylight saving at the start (``occurrences(from:through:limit:)``): a scheduled time
/// in a skipped hour starts at the first instant after the gap, a time in a repeated hour starts at its first
/// instance, and each occurs once.
public struct RecurringWindow: Equatable, Sendable {
    /// Window lengths accepted: at least a second (a window must end after it starts), at most 366 days.
    public static let durations: ClosedRange<Duration> = .seconds(1)...Limits.duration.upperBound
    /// Most `except` dates.
    public static let maxExceptions = 1_000
    /// Most occurrences one call returns, whatever limit is asked for.
    public static let maxOccurrences = 10_000

    /// When occurrences start, on the wall clock of ``timeZone``.
    public let cron: CronExpression
    /// How long each occurrence lasts, in elapsed time.
    public let duration: Duration
    /// The IANA identifier of ``timeZone``, as written.
    public let timeZoneIdentifier: String
    /// The zone the cron expression is read in.
    public let timeZone: TimeZone
    /// Local dates on which the schedule does not start a window (compared with the date of the scheduled start).
    public let except: Set<LocalDate>

    /// Creates a window; the error names the setting that is out of range or unknown.
    public init(cron: CronExpression, duration: Duration, timeZoneIdentifier: String,
                except: [LocalDate] = []) throws(RecurringWindowError) {
        guard Self.durations.contains(duration) else {
            throw RecurringWindowError(.duration, "invalid duration \(duration.playbookText): a window lasts "
                + "\(Limits.text(Self.durations)); write e.g. 9h or 1h30m")
        }
        guard let zone = IANATimeZone.named(timeZoneIdentifier) else {
            throw RecurringWindowError(
                .timeZone, "unknown time zone \(EventText.quoted(timeZoneIdentifier)); \(IANATimeZone.hint)"
            )
        }
        guard except.count <= Self.maxExceptions else {
            throw RecurringWindowError(.except, "\(except.count) except dates, more than \(Self.maxExceptions); "
                + "split the schedule or narrow its cron expression")
        }
        self.cron = cron
        self.duration = duration
        self.timeZoneIdentifier = timeZoneIdentifier
        timeZone = zone
        self.except = Set(except)
    }

    /// Reads a schedule as a playbook writes it: cron text, a playbook duration (`9h`), an IANA zone and `YYYY-MM-DD`
    /// dates.
    public static func parse(cron: String, duration: String, timeZone: String,
                             except: [String] = []) throws(RecurringWindowError) -> RecurringWindow {
        let expression: CronExpression
        do {
            expression = try CronExpression(parsing: cron)
        } catch {
            throw RecurringWindowError(.cron, error.description)
        }
        let length: Duration
        do {
            length = try Duration.parsePlaybook(duration)
        } catch {
            throw RecurringWindowError(.duration, error.description)
        }
        guard except.count <= maxExceptions else {
            throw RecurringWindowError(.except, "\(except.count) except dates, more than \(maxExceptions); "
                + "split the schedule or narrow its cron expression")
        }
        var dates: [LocalDate] = []
        for text in except {
            guard let date = LocalDate(parsing: text) else {
                throw RecurringWindowError(.except, "invalid except date \(EventText.quoted(text)): "
                    + "write a calendar date YYYY-MM-DD between 1970 and 9999, e.g. 2026-12-24")
            }
            dates.append(date)
        }
        return try RecurringWindow(cron: expression, duration: length, timeZoneIdentifier: timeZone, except: dates)
    }
}
