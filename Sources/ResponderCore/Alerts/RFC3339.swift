import Foundation

/// Parses and formats RFC 3339 timestamps (`2026-01-01T00:00:00.123456789Z`, `...+02:00`) without locale or
/// formatter state, so fractional seconds of any length (Alertmanager sends nanoseconds) are accepted.
///
/// Years have exactly four digits, so every parsed instant lies between 0000 and 9999 and date arithmetic on it (ages,
/// whole seconds, milliseconds) stays far from overflow. Times in alerts must lie in ``acceptedRange`` (1970–9999).
public enum RFC3339 {
    /// Instants an alert, a scenario or a stored run may carry: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
    public static let acceptedRange: ClosedRange<Date> =
        Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799.999)

    /// What messages say about ``acceptedRange``.
    public static let acceptedYears = "between the years 1970 and 9999"

    /// Like ``parse(_:)``, nil also for an instant outside ``acceptedRange``.
    public static func parseAccepted(_ text: String) -> Date? {
        parse(text).flatMap { acceptedRange.contains($0) ? $0 : nil }
    }

    /// First instant ``format(_:)`` can write: 0000-01-01T00:00:00Z.
    static let earliest: TimeInterval = -62_167_219_200
    /// First instant past what ``format(_:)`` can write with a four-digit year: 10000-01-01T00:00:00Z.
    static let pastLatest: TimeInterval = 253_402_300_800

    /// Returns the instant, or nil when the text is not an RFC 3339 date-time, or names an instant outside
    /// 0000-01-01T00:00:00Z ... 9999-12-31T23:59:59.999Z once its offset (or a leap second) is applied: such an instant
    /// has no four-digit UTC form, so it could not be written into a key, a plan or a stored run and read back.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        var offsetSeconds = 0
        if expect("Zz") {
            offsetSeconds = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2),
                  offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let instant = Double(seconds) + fraction
        guard instant >= earliest, instant < pastLatest else { return nil }
        return Date(timeIntervalSince1970: instant)
    }

    /// How far below a millisecond an instant (seconds since 1970, within the formatted range) may lie and still be
    /// written as that millisecond by ``format(_:)``: the floating-point error of reading formatted text back (about a
    /// microsecond in this century), so that text formats back to itself.
    public static func roundUpSlack(_ seconds: TimeInterval) -> TimeInterval {
        (2000 * Date(timeIntervalSince1970: seconds).timeIntervalSinceReferenceDate.ulp + 4 * (seconds * 1000).ulp) / 1000
    }

    /// Formats an instant as UTC with millisecond precision, e.g. `2026-01-01T00:00:00.000Z` (truncated, except that an
    /// instant within floating-point error of the next millisecond is written as that millisecond, so that text read
    /// with ``parse(_:)`` formats back to itself). An instant before year 0000 or after 9999 (which no parse produces)
    /// is written as the nearest of those, never trapping.
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, what parse reads; the comparison also sends NaN to the
        // lower end.
        let clamped = seconds >= earliest ? min(seconds, pastLatest - 0.001) : earliest
        let scaled = clamped * 1000
        var whole = scaled.rounded(.down)
        // Date keeps seconds since 2001, so a time read back from formatted text can sit up to half a unit in the last
        // place of that count below its millisecond (3e-8 s around 1970); flooring it would write the millisecond
        // before, and a stored time would move a millisecond earlier on every save.
        // Measured on the clamped instant: the ulp of an absurd one (1e300 s) would round anything up.
        if scaled - whole > 1 - roundUpSlack(clamped) * 1000 { whole = min(whole + 1, pastLatest * 1000 - 1) }
        let totalMillis = Int64(whole)
        let millis = Int(((totalMillis % 1000) + 1000) % 1000)
        let totalSeconds = (totalMillis - Int64(millis)) / 1000
        let days = Int(floorDiv(totalSeconds, 86_400))
        let secondsOfDay = Int(totalSeconds - Int64(days) * 86_400)
        let (year, month, day) = CivilCalendar.civilFromDays(days)
        let pad = CivilCalendar.pad
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
