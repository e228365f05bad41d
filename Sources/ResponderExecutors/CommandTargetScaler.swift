import Foundation
import ResponderCore

/// Scales and reads `command` targets through their configured argv pair.
public struct CommandTargetScaler: Sendable {
    /// Runner that starts the commands.
    public var runner: CommandRunner
    /// Give up on one call after this long.
    public var timeout: Duration

    /// Creates a scaler.
    public init(runner: CommandRunner = CommandRunner(), timeout: Duration = .seconds(60)) {
        self.runner = runner
        self.timeout = timeout
    }

    /// The `set` argv with every `{replicas}` replaced by `replicas`.
    public func setArgv(_ command: Target.Command, to replicas: Int) -> [String] {
        command.set.map { $0.replacingOccurrences(of: "{replicas}", with: String(replicas)) }
    }

    /// Sets the count to `replicas` (absolute, so repeating it is harmless).
    public func scale(_ command: Target.Command, to replicas: Int) async throws(CommandError) {
        guard replicas >= 0 else { throw .invalid("cannot scale to \(replicas): give a count of 0 or more") }
        _ = try await runner.run(setArgv(command, to: replicas), timeout: timeout)
    }

    /// The count printed by the `get` argv; nil when the target has no `get`.
    public func replicas(of command: Target.Command) async throws(CommandError) -> Int? {
        guard let get = command.get else { return nil }
        let output = try await runner.run(get, timeout: timeout)
        return try Self.parseCount(output.stdoutText, program: get.first ?? "")
    }

    /// The non-negative integer `text` holds, surrounding whitespace allowed.
    public static func parseCount(_ text: String, program: String) throws(CommandError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let count = Int(trimmed), count >= 0 else {
            throw .unparsableOutput(program: program, output: String(trimmed.prefix(100)))
        }
        return count
    }
}
