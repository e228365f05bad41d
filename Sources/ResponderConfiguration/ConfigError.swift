/// A configuration problem, with the file position or environment variable it came from.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// `file:line: message` or `VARIABLE: message`.
    public var description: String

    /// Creates an error with a located message.
    public init(_ description: String) {
        self.description = description
    }
}
