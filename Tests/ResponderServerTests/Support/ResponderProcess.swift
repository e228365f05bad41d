import Foundation
import NIOConcurrencyHelpers

/// The real `responder` binary run as a child process, with its standard output captured (and its standard error, the
/// JSON log, in the same text when `logs` is true).
final class ResponderProcess: Sendable {
    let process: Process
    private let output = NIOLockedValueBox("")
    private let outputEnded = NIOLockedValueBox(false)

    /// The binary built next to this test bundle.
    static var binary: URL {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("responder")
    }

    init(arguments: [String], environment: [String: String] = [:], logs: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: Self.binary.path + " (run `swift build` first)"])
        }
        process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = logs ? pipe : FileHandle.nullDevice
        let output = self.output
        let outputEnded = self.outputEnded
        let reader = pipe.fileHandleForReading
        // A thread of its own reads to end-of-file: readabilityHandler sometimes missed the last chunk on Linux.
        Thread {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                output.withLockedValue { $0 += String(decoding: data, as: UTF8.self) }
            }
            outputEnded.withLockedValue { $0 = true }
        }.start()
        try process.run()
    }

    var stdout: String { output.withLockedValue { $0 } }

    /// Polls the captured output until a line contains `marker`; returns that line.
    func waitForLine(containing marker: String, limit: Duration = .milliseconds(30_000)) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains(marker) }) {
                return String(line)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "no line with \(marker) in: \(stdout)"])
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(limit: Duration = .milliseconds(30_000)) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.interrupt()
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "process did not exit"])
        }
        // The exit can be seen before the last output is read: wait for end-of-file on the pipe.
        while !outputEnded.withLockedValue({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }
}

extension ResponderProcess {
    /// Starts `responder serve` with `arguments` and waits until it listens; returns the process and its port.
    static func serve(_ arguments: [String], environment: [String: String] = [:], logs: Bool = false) async throws
        -> (process: ResponderProcess, port: Int, line: String) {
        let process = try ResponderProcess(arguments: arguments, environment: environment, logs: logs)
        let line = try await process.waitForLine(containing: "Responder listening on https://127.0.0.1:")
        guard let match = line.firstMatch(of: /https:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1) else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "no port in: \(line)"])
        }
        return (process, port, line)
    }
}
