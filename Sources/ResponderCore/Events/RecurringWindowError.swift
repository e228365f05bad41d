/// Why a recurring window (a playbook's `schedule:`) was refused: which setting, and what to write instead.
public struct RecurringWindowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The settings of a schedule.
    public enum Setting: String, Sendable {
        /// `cron`.
        case cron
        /// `duration`.
        case duration
        /// `timezone`.
        case timeZone = "timezone"
        /// `except`.
        case except
    }

    /// The setting at fault.
    public var setting: Setting
    /// What is wrong and what to write instead.
    public var description: String

    /// Creates an error.
    public init(_ setting: Setting, _ description: String) {
        self.setting = setting
        self.description = description
    }
}
