/// Why a command could not be run or did not succeed, each case saying what to do about it.
public enum CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The argv was empty.
    case emptyArgv
    /// No executable named `program` in any PATH entry (`searched` lists them).
    case programNotFound(program: String, searched: [String])
    /// `path` exists but is not an executable file.
    case notExecutable(path: String)
    /// The process could not be started.
    case launchFailed(program: String, reason: String)
    /// The process ran longer than `timeout` and was killed.
    case timedOut(program: String, timeout: Duration, stderrTail: String)
    /// The process exited with a non-zero status (or was killed by a signal).
    case failed(program: String, status: Int32, signaled: Bool, stderrTail: String)
    /// The command's input was refused before anything ran.
    case invalid(String)
    /// The command ran but its stdout could not be read as expected.
    case unparsableOutput(program: String, output: String)

    /// A message for people: what happened and what to do.
    public var description: String {
        switch self {
        case .emptyArgv:
            return "empty argv: give at least the program to run"
        case .programNotFound(let program, let searched):
            return "program '\(program)' not found in PATH (\(searched.joined(separator: ":"))): "
                + "install it or give an absolute path"
        case .notExecutable(let path):
            return "'\(path)' is not an executable file: check its permissions (chmod +x) or the path"
        case .launchFailed(let program, let reason):
            return "could not start '\(program)': \(reason)"
        case .timedOut(let program, let timeout, let tail):
            return "'\(program)' timed out after \(timeout) and was killed: raise the timeout or check why it hangs"
                + (tail.isEmpty ? "" : "; stderr: \(tail)")
        case .failed(let program, let status, let signaled, let tail):
            let how = signaled ? "was killed by signal \(status)" : "exited with status \(status)"
            return "'\(program)' \(how): see its stderr" + (tail.isEmpty ? " (empty)" : ": \(tail)")
        case .invalid(let message):
            return message
        case .unparsableOutput(let program, let output):
            return "'\(program)' printed \(output.debugDescription), expected a non-negative integer: fix the command"
        }
    }
}
