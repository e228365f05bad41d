/// Something the code under test returned that it must never return, whatever the input. The fuzzer stops on it like on
/// a crash, and the replay tests fail on it.
public struct FuzzInvariantViolation: Error, CustomStringConvertible, Sendable {
    /// The target that found it.
    public var target: String
    /// What does not hold, with the values involved.
    public var description: String

    /// Creates a violation report.
    public init(target: String, _ description: String) {
        self.target = target
        self.description = description
    }
}
