import Foundation
import ResponderCore

/// Scales and counts docker compose services through the `docker compose` CLI, run as argv (never a shell).
public struct ComposeScaler: Sendable {
    /// Runner that starts `docker`.
    public var runner: CommandRunner
    /// Program run (`docker`, or a path to it).
    public var program: String
    /// Give up on one call after this long.
    public var timeout: Duration

    /// Creates a scaler.
    public init(runner: CommandRunner = CommandRunner(), program: String = "docker", timeout: Duration = .seconds(120)) {
        self.runner = runner
        self.program = program
        self.timeout = timeout
    }

    /// `docker compose -p PROJECT [-f FILE] up -d --no-recreate --scale SERVICE=N SERVICE`.
    public func scaleArgv(_ compose: Target.Compose, to replicas: Int) -> [String] {
        base(compose) + ["up", "-d", "--no-recreate", "--scale", "\(compose.service)=\(replicas)", compose.service]
    }

    /// `docker compose -p PROJECT [-f FILE] ps -q SERVICE`.
    public func psArgv(_ compose: Target.Compose) -> [String] {
        base(compose) + ["ps", "-q", compose.service]
    }

    /// Sets the service's container count to `replicas` (absolute, so repeating it is harmless).
    public func scale(_ compose: Target.Compose, to replicas: Int) async throws(CommandError) {
        guard replicas >= 0 else { throw .invalid("cannot scale \(compose.service) to \(replicas): give a count of 0 or more") }
        _ = try await runner.run(scaleArgv(compose, to: replicas), timeout: timeout)
    }

    /// Number of containers of the service (non-empty lines of `ps -q`).
    public func replicas(of compose: Target.Compose) async throws(CommandError) -> Int {
        let output = try await runner.run(psArgv(compose), timeout: timeout)
        guard !output.stdoutTruncated else {
            throw .unparsableOutput(program: program, output: "(more than \(runner.outputLimit) bytes)")
        }
        return output.stdoutText.split(whereSeparator: \.isNewline)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
    }

    private func base(_ compose: Target.Compose) -> [String] {
        // Options and the project name are separate argv entries; a value starting with `-` cannot become an option
        // of its own because each follows the flag it belongs to.
        [program, "compose", "-p", compose.project] + (compose.file.map { ["-f", $0] } ?? [])
    }
}
