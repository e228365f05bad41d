import ResponderCore

/// Collects problems while one load runs, so decoding can keep going after an error and report them all.
final class ProblemLog {
    /// Problems so far, in the order found.
    private(set) var problems: [PlaybookProblem] = []

    /// Number of problems so far; compare before and after decoding something to know whether it was clean.
    var count: Int { problems.count }

    /// Records a problem at `file:line`.
    func add(_ file: String, _ line: Int, _ message: String) {
        problems.append(PlaybookProblem(location: FileLocation(file: file, line: line), message: message))
    }
}
