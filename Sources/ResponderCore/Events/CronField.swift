/// The five fields of a cron expression, in the order they are written.
public enum CronField: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Minute of the hour, 0–59.
    case minute
    /// Hour of the day, 0–23.
    case hour
    /// Day of the month, 1–31.
    case dayOfMonth
    /// Month, 1–12 or JAN–DEC.
    case month
    /// Day of the week, 0–7 (0 and 7 are Sunday) or SUN–SAT.
    case dayOfWeek

    /// The name messages use: `minute`, `hour`, `day-of-month`, `month`, `day-of-week`.
    public var description: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values the field may be written with (day-of-week allows 7 for Sunday, stored as 0).
    public var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The three-letter names the field accepts (case-insensitive), each with its value; empty for numeric fields.
    var names: [(name: String, value: Int)] {
        switch self {
        case .month:
            ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"].enumerated()
                .map { ($0.element, $0.offset + 1) }
        case .dayOfWeek:
            ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"].enumerated().map { ($0.element, $0.offset) }
        default:
            []
        }
    }

    /// What the field accepts, for messages: `0-59`, `1-12 or JAN-DEC`.
    var accepted: String {
        switch self {
        case .month: "1-12 or JAN-DEC"
        case .dayOfWeek: "0-7 (0 and 7 are Sunday) or SUN-SAT"
        default: "\(range.lowerBound)-\(range.upperBound)"
        }
    }
}
