import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// A child process with standard output and standard error captured separately, each read on a thread of its own
/// until end-of-file, and (optionally) a pipe to its standard input.
final class SNSMotoCapturedProcess: Sendable {
    /// The running process.
    let process: Process
    /// What the process reads; nil when standard input is /dev/null.
    let stdin: FileHandle?
    private let out = NIOLockedValueBox("")
    private let err = NIOLockedValueBox("")

    /// Starts `executable` with `arguments` and `environment` merged over this process's environment.
    init(executable: URL, arguments: [String], environment: [String: String] = [:], withStdin: Bool = false) throws {
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        if withStdin {
            let inPipe = Pipe()
            process.standardInput = inPipe
            stdin = inPipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
            stdin = nil
        }
        Self.drain(outPipe.fileHandleForReading, into: out)
        Self.drain(errPipe.fileHandleForReading, into: err)
        try process.run()
    }

    private static func drain(_ handle: FileHandle, into box: NIOLockedValueBox<String>) {
        // A thread of its own reads to end-of-file: readabilityHandler sometimes missed the last chunk on Linux.
        Thread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                box.withLockedValue { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    /// Standard output so far.
    var stdout: String { out.withLockedValue { $0 } }
    /// Standard error so far.
    var stderr: String { err.withLockedValue { $0 } }

    /// The last `count` lines of standard output and of standard error, labelled.
    func tail(_ count: Int = 20) -> String {
        func last(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
        }
        return "--- stdout (last \(count) lines) ---\n\(last(stdout))\n--- stderr (last \(count) lines) ---\n\(last(stderr))"
    }

    /// The complete lines of standard output so far.
    var stdoutLines: [Substring] {
        let text = stdout
        guard let lastNewline = text.lastIndex(of: "\n") else { return [] }
        return text[..<lastNewline].split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Writes `line` and a newline to standard input.
    func write(line: String) throws {
        guard let stdin else { throw SNSMotoFailure("the process has no standard input pipe") }
        try stdin.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Closes standard input if piped (a driver reading it exits at end-of-file) and waits up to `grace`; then
    /// SIGTERM, up to `grace` again, then SIGKILL. Returns once the process is gone.
    func stop(grace: Duration = .seconds(5)) async {
        if let stdin {
            try? stdin.close()
            if await waitForExit(within: grace) { return }
        }
        if process.isRunning { process.terminate() }
        if await waitForExit(within: grace) { return }
        kill(process.processIdentifier, SIGKILL)
        _ = await waitForExit(within: .seconds(5))
    }

    /// True once the process has exited, false if it still runs after `limit`.
    func waitForExit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return !process.isRunning
    }
}

/// Why a step of the SNS/moto end-to-end test failed; the message carries what the processes printed.
struct SNSMotoFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// A failure saying `description`.
    init(_ description: String) {
        self.description = description
    }
}
