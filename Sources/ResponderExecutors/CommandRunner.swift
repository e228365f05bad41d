import Foundation
import ResponderTracing
import Tracing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an argv directly with `Process` (never through a shell), with an environment, a timeout and capped output.
public struct CommandRunner: Sendable {
    /// Environment every command starts from.
    public var baseEnvironment: [String: String]
    /// Most bytes kept of stdout and of stderr each.
    public var outputLimit: Int
    /// How long after SIGTERM a timed-out process gets before SIGKILL.
    public var killGrace: Duration

    /// Creates a runner; `baseEnvironment` defaults to this process's environment.
    public init(baseEnvironment: [String: String] = ProcessInfo.processInfo.environment, outputLimit: Int = 64 * 1024,
                killGrace: Duration = .seconds(2)) {
        self.baseEnvironment = baseEnvironment
        self.outputLimit = outputLimit
        self.killGrace = killGrace
    }

    /// Runs `argv`; throws when it cannot start, times out or exits non-zero.
    public func run(_ argv: [String], environment: [String: String] = [:],
                    timeout: Duration = .seconds(60)) async throws(CommandError) -> CommandOutput {
        let output = try await execute(argv, environment: environment, timeout: timeout)
        let program = argv.first ?? ""
        if output.timedOut {
            throw .timedOut(program: program, timeout: timeout, stderrTail: output.stderrTail())
        }
        guard output.succeeded else {
            throw .failed(program: program, status: output.status, signaled: output.signaled, stderrTail: output.stderrTail())
        }
        return output
    }

    /// Runs `argv` and reports whatever it did (non-zero exits and timeouts included); throws only when it cannot start.
    /// It runs in a span named `command <program>` (the program's file name only: arguments may carry values), and
    /// the process gets that span's trace context as `TRACEPARENT` when tracing is on.
    public func execute(_ argv: [String], environment: [String: String] = [:],
                        timeout: Duration = .seconds(60)) async throws(CommandError) -> CommandOutput {
        guard let program = argv.first else { throw .emptyArgv }
        let name = program.split(separator: "/").last.map(String.init) ?? program
        return try await Traced.span("command \(name)", ofKind: .client) { span throws(CommandError) in
            var traced = environment
            TraceHeaders.inject(into: &traced, context: span.context)
            let output = try await runProcess(argv, program: program, environment: traced, timeout: timeout)
            span.attributes["process.exit.code"] = Int(output.status)
            if output.timedOut || !output.succeeded { span.setStatus(SpanStatus(code: .error)) }
            return output
        }
    }

    private func runProcess(_ argv: [String], program: String, environment: [String: String],
                            timeout: Duration) async throws(CommandError) -> CommandOutput {
        let env = baseEnvironment.merging(environment) { _, extra in extra }
        let url = try Self.resolve(program, path: env["PATH"])
        let process = Process()
        process.executableURL = url
        process.arguments = Array(argv.dropFirst())
        process.environment = env
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let outCollector = OutputCollector(limit: outputLimit)
        let errCollector = OutputCollector(limit: outputLimit)
        let exit = ExitState()
        process.terminationHandler = { finished in
            exit.finish(status: finished.terminationStatus, signaled: finished.terminationReason == .uncaughtSignal)
        }
        if let reason = await Self.launch(process) {
            throw .launchFailed(program: program, reason: reason)
        }
        // The parent's write ends must close, or the readers never see end-of-file.
        try? outPipe.fileHandleForWriting.close()
        try? errPipe.fileHandleForWriting.close()
        let readers = ReadersDone(count: 2)
        outCollector.drain(outPipe.fileHandleForReading, done: readers)
        errCollector.drain(errPipe.fileHandleForReading, done: readers)
        let pid = process.processIdentifier
        let grace = killGrace
        // The watchdog lives in a task group with the wait, so it ends with it.
        let (status, signaled) = await withTaskGroup(of: (Int32, Bool)?.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled, exit.markTimedOut() else { return nil }
                kill(pid, SIGTERM)
                try? await Task.sleep(for: grace)
                if !Task.isCancelled, !exit.isFinished { kill(pid, SIGKILL) }
                return nil
            }
            let outcome = await withTaskCancellationHandler {
                await exit.wait()
            } onCancel: {
                if !exit.isFinished { kill(pid, SIGTERM) }
            }
            group.cancelAll()
            return outcome
        }
        // A grandchild may keep the pipes open; do not wait for it beyond a short while.
        await readers.wait(atMost: .seconds(1))
        let (out, outTruncated) = outCollector.result()
        let (err, errTruncated) = errCollector.result()
        return CommandOutput(status: status, signaled: signaled, timedOut: exit.timedOut, stdout: out, stderr: err,
                             stdoutTruncated: outTruncated, stderrTruncated: errTruncated)
    }

    /// Starts `process` from a fresh thread with no blocked signals: `Process` passes the calling thread's signal mask
    /// to the child, and pool threads block SIGTERM, which would make the child deaf to it. Returns an error text.
    private static func launch(_ process: Process) async -> String? {
        let box = ProcessBox(process)
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                do {
                    try box.process.run()
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: String(describing: error))
                }
            }
            thread.start()
        }
    }

    /// The executable for `program`: itself when it contains `/`, else the first executable file named so in `path`.
    public static func resolve(_ program: String, path: String?) throws(CommandError) -> URL {
        let manager = FileManager.default
        if program.contains("/") {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: program, isDirectory: &isDirectory) else {
                throw .programNotFound(program: program, searched: [])
            }
            guard !isDirectory.boolValue, manager.isExecutableFile(atPath: program) else {
                throw .notExecutable(path: program)
            }
            return URL(fileURLWithPath: program)
        }
        let entries = (path ?? "").split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        var nonExecutable: String?
        for entry in entries {
            let candidate = (entry as NSString).appendingPathComponent(program)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if manager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
            nonExecutable = nonExecutable ?? candidate
        }
        if let nonExecutable { throw .notExecutable(path: nonExecutable) }
        throw .programNotFound(program: program, searched: entries)
    }
}

/// Keeps the first `limit` bytes read from a pipe and discards (but keeps draining) the rest.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var data = Data()
    private var truncated = false

    init(limit: Int) { self.limit = limit }

    /// Reads on a thread of its own: blocking reads on the shared dispatch pool starve it when many commands run.
    func drain(_ handle: FileHandle, done: ReadersDone) {
        let thread = Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.append(chunk)
            }
            try? handle.close()
            done.oneFinished()
        }
        thread.start()
    }

    private func append(_ chunk: Data) {
        lock.withLock {
            let room = max(limit - data.count, 0)
            if chunk.count > room { truncated = true }
            if room > 0 { data.append(chunk.prefix(room)) }
        }
    }

    func result() -> (Data, Bool) { lock.withLock { (data, truncated) } }
}

/// The process's exit, awaited once, and whether the watchdog got to it first.
private final class ExitState: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: (Int32, Bool)?
    private var waiter: CheckedContinuation<(Int32, Bool), Never>?
    private var didTimeOut = false

    var isFinished: Bool { lock.withLock { outcome != nil } }
    var timedOut: Bool { lock.withLock { didTimeOut } }

    func finish(status: Int32, signaled: Bool) {
        let resume: CheckedContinuation<(Int32, Bool), Never>? = lock.withLock {
            outcome = (status, signaled)
            defer { waiter = nil }
            return waiter
        }
        resume?.resume(returning: (status, signaled))
    }

    /// Marks a timeout unless the process already finished; true when it did mark.
    func markTimedOut() -> Bool {
        lock.withLock {
            guard outcome == nil else { return false }
            didTimeOut = true
            return true
        }
    }

    func wait() async -> (Int32, Bool) {
        await withCheckedContinuation { continuation in
            let ready: (Int32, Bool)? = lock.withLock {
                if let outcome { return outcome }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Counts pipe readers down and lets the caller await them for a bounded time.
private final class ReadersDone: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private var gaveUp = false
    private var waiter: CheckedContinuation<Void, Never>?

    init(count: Int) { remaining = count }

    func oneFinished() {
        let resume: CheckedContinuation<Void, Never>? = lock.withLock {
            remaining -= 1
            guard remaining <= 0 else { return nil }
            defer { waiter = nil }
            return waiter
        }
        resume?.resume()
    }

    /// Returns once every reader finished or `limit` passed, whichever is first.
    func wait(atMost limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled { self.release() }
            }
            await withCheckedContinuation { continuation in
                let done: Bool = lock.withLock {
                    if remaining <= 0 || gaveUp { return true }
                    waiter = continuation
                    return false
                }
                if done { continuation.resume() }
            }
            group.cancelAll()
        }
    }

    private func release() {
        let resume: CheckedContinuation<Void, Never>? = lock.withLock {
            gaveUp = true
            defer { waiter = nil }
            return waiter
        }
        resume?.resume()
    }
}

/// Hands a `Process` to the launching thread; it is used there only while the caller waits.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
