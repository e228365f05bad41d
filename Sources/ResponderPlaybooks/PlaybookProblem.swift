import ResponderCore

/// One thing wrong with the playbook files, with where it was written.
public struct PlaybookProblem: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// File (as given to the loader) and 1-based line; line 0 means the file (or folder) as a whole.
    public var location: FileLocation
    /// What is wrong and, where it helps, what is allowed.
    public var message: String

    /// Creates a problem.
    public init(location: FileLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line: message`, or `file: message` when no line applies.
    public var description: String {
        location.line > 0 ? "\(location): \(message)" : "\(location.file): \(message)"
    }
}
