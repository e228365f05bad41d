/// One Alertmanager-style label matcher: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`.
/// Regular expressions are anchored at both ends, as in Alertmanager.
public struct AlertMatcher: Sendable, Equatable, CustomStringConvertible {
    /// The comparison.
    public enum Operator: String, Sendable, Equatable, CaseIterable {
        /// Equal.
        case equal = "="
        /// Not equal.
        case notEqual = "!="
        /// Matches the anchored regex.
        case regexMatch = "=~"
        /// Does not match the anchored regex.
        case regexNoMatch = "!~"
    }

    /// Label name.
    public var name: String
    /// Comparison.
    public var op: Operator
    /// Value or regex source.
    public var value: String

    /// Creates a matcher; regex matchers must be validated with ``AlertMatcher/parse(_:)`` or ``compile()``.
    public init(name: String, op: Operator, value: String) {
        self.name = name
        self.op = op
        self.value = value
    }

    /// `name="value"` in Alertmanager's canonical form.
    public var description: String {
        "\(name)\(op.rawValue)\"\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
    }
}
