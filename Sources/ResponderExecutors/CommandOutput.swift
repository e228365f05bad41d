import Foundation

/// What a finished command produced.
public struct CommandOutput: Sendable, Equatable {
    /// Exit status (or the signal number when `signaled`).
    public var status: Int32
    /// True when the process was ended by a signal.
    public var signaled: Bool
    /// True when it ran past its timeout and was killed.
    public var timedOut: Bool
    /// Captured stdout, at most the runner's cap.
    public var stdout: Data
    /// Captured stderr, at most the runner's cap.
    public var stderr: Data
    /// True when stdout was longer than the cap (the rest was discarded).
    public var stdoutTruncated: Bool
    /// True when stderr was longer than the cap.
    public var stderrTruncated: Bool

    /// Creates an output.
    public init(status: Int32, signaled: Bool, timedOut: Bool, stdout: Data, stderr: Data,
                stdoutTruncated: Bool, stderrTruncated: Bool) {
        self.status = status
        self.signaled = signaled
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
    }

    /// stdout as UTF-8 (invalid bytes replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr as UTF-8 (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// True when the process exited normally with status 0.
    public var succeeded: Bool { !timedOut && !signaled && status == 0 }

    /// The last `characters` of stderr, trimmed, for error messages.
    public func stderrTail(_ characters: Int = 500) -> String {
        String(stderrText.trimmingCharacters(in: .whitespacesAndNewlines).suffix(characters))
    }
}
