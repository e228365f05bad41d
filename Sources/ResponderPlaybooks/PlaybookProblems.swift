/// Every problem found in a set of playbook files; loading fails as a whole when there is any.
public struct PlaybookProblems: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, by file (in the order the files were read) and line.
    public var problems: [PlaybookProblem]

    /// Creates the error.
    public init(_ problems: [PlaybookProblem]) {
        self.problems = problems
    }

    /// One `file:line: message` per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
