import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import ResponderCore
import ResponderTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A child process with its standard output and standard error captured together (Alertmanager logs to stderr).
final class AlertmanagerCapturedProcess: Sendable {
    /// The running process.
    let process: Process
    private let captured = NIOLockedValueBox("")
    private let ended = NIOLockedValueBox(false)

    /// Starts `executable` with `arguments`; its output is read on a thread of its own until end-of-file.
    init(executable: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let captured = self.captured
        let ended = self.ended
        let reader = pipe.fileHandleForReading
        Thread {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                captured.withLockedValue { $0 += String(decoding: data, as: UTF8.self) }
            }
            ended.withLockedValue { $0 = true }
        }.start()
        try process.run()
    }

    /// Everything the process wrote so far.
    var output: String { captured.withLockedValue { $0 } }

    /// The last `count` lines of the output.
    func tail(_ count: Int = 25) -> String {
        Self.tail(output, count)
    }

    /// The last `count` lines of `text`.
    static func tail(_ text: String, _ count: Int = 25) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    /// Waits up to `limit` for the process to exit (and its output to end); its status, or nil if it still runs.
    func waitForExit(limit: Duration = .seconds(30)) async throws -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { return nil }
        while !ended.withLockedValue({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    /// Stops the process: SIGTERM, then SIGKILL if it has not exited after `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        await Self.stop(process, grace: grace)
    }

    /// Stops `process`: SIGTERM, then SIGKILL if it has not exited after `grace`; returns once it is gone.
    static func stop(_ process: Process, grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        let killDeadline = ContinuousClock.now + .seconds(5)
        while process.isRunning, ContinuousClock.now < killDeadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Why an end-to-end step failed; the message carries what the processes printed.
struct AlertmanagerEndToEndFailure: Error, CustomStringConvertible {
    /// What went wrong, with the processes' output.
    let description: String
}

/// A real Prometheus Alertmanager (`prometheus-alertmanager`, Debian package of the same name) on a loopback port,
/// with clustering off and its storage in a folder of the test, and `amtool` to put alerts into it.
struct AlertmanagerProcess: Sendable {
    /// The running Alertmanager.
    let process: AlertmanagerCapturedProcess
    /// Its web port on 127.0.0.1.
    let port: Int

    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }

    /// The path of `name`: `/usr/bin/NAME` when there, else the first on `PATH`.
    static func executable(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = ["/usr/bin"] + path.split(separator: ":").map(String.init)
        for folder in candidates where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
            return folder + "/" + name
        }
        throw AlertmanagerEndToEndFailure(description: "\(name) not found in /usr/bin or PATH: install the Debian package "
                                  + "prometheus-alertmanager (scripts/test does)")
    }

    /// Writes `config` to `folder/alertmanager.yml` (after `amtool check-config` accepts it), starts Alertmanager
    /// on a free loopback port with `folder/alertmanager-data` as storage and clustering disabled, and waits until
    /// `/-/ready` answers 200 (up to `limit`). A port taken in between is retried on another one.
    static func start(config: String, in folder: String, limit: Duration = .seconds(30)) async throws -> AlertmanagerProcess {
        let binary = try executable("prometheus-alertmanager")
        let configPath = folder + "/alertmanager.yml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let check = try AlertmanagerCapturedProcess(executable: try executable("amtool"), arguments: ["check-config", configPath])
        guard try await check.waitForExit() == 0 else {
            await check.stop()
            throw AlertmanagerEndToEndFailure(description: "amtool check-config refused the Alertmanager configuration:\n\(check.output)\n\(config)")
        }
        var failures: [String] = []
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let process = try AlertmanagerCapturedProcess(executable: binary, arguments: [
                "--config.file=\(configPath)",
                "--storage.path=\(folder)/alertmanager-data",
                "--web.listen-address=127.0.0.1:\(port)",
                "--cluster.listen-address=",
                "--log.level=debug",
            ])
            let alertmanager = AlertmanagerProcess(process: process, port: port)
            if try await alertmanager.waitUntilReady(limit: limit) { return alertmanager }
            await process.stop()
            failures.append(process.tail())
            if !process.output.contains("address already in use") { break }
        }
        throw AlertmanagerEndToEndFailure(description: "Alertmanager did not become ready within \(limit):\n" + failures.joined(separator: "\n---\n"))
    }

    /// Polls `/-/ready` until it answers 200 (true), the process exits or `limit` passes (false).
    func waitUntilReady(limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, process.process.isRunning {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/-/ready"), timeout: .seconds(2)),
               response.status == .ok {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Runs `amtool alert add ALERTNAME LABEL=VALUE... --annotation=K=V... [--end=RFC3339]` against this
    /// Alertmanager; throws with amtool's output when it fails.
    func addAlert(_ alertname: String, labels: [String: String], annotations: [String: String] = [:], end: Date? = nil) async throws {
        var arguments = ["alert", "add", alertname]
        arguments += labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        arguments += annotations.sorted { $0.key < $1.key }.map { "--annotation=\($0.key)=\($0.value)" }
        if let end { arguments.append("--end=\(RFC3339.format(end))") }
        arguments.append("--alertmanager.url=\(url)")
        let amtool = try AlertmanagerCapturedProcess(executable: try Self.executable("amtool"), arguments: arguments)
        let status = try await amtool.waitForExit(limit: .seconds(15))
        if status != 0 {
            await amtool.stop()
            throw AlertmanagerEndToEndFailure(description: "amtool \(arguments.joined(separator: " ")) failed (status \(status.map(String.init) ?? "still running")):\n\(amtool.output)")
        }
    }

    /// GETs `path` of Alertmanager's own HTTP API; the body as text.
    func get(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + path), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 4 << 20))
    }

    /// The value of the Prometheus sample `series` (full name with labels, exactly as exposed) in `/metrics`.
    func metric(_ series: String) async throws -> Double? {
        Self.sample(series, in: try await get("/metrics"))
    }

    /// The value of the sample `series` in Prometheus text `exposition`.
    static func sample(_ series: String, in exposition: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Stops Alertmanager (SIGTERM, then SIGKILL).
    func stop() async {
        await process.stop()
    }
}
