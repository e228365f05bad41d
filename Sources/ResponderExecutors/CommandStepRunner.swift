import Foundation
import ResponderCore

/// Runs `command` steps as ``CommandRenderer`` prepared them: argv never goes through a shell, alert values reach it
/// only as validated parameters, and the environment as plain values.
public struct CommandStepRunner: Sendable {
    /// Runner that starts the processes.
    public var runner: CommandRunner
    /// Most characters of output quoted in a success detail.
    public var summaryLimit: Int

    /// Creates a step runner.
    public init(runner: CommandRunner = CommandRunner(), summaryLimit: Int = 200) {
        self.runner = runner
        self.summaryLimit = summaryLimit
    }

    /// Runs the prepared command: a missing program or a non-zero exit is permanent, a timeout retryable.
    public func run(_ command: PreparedCommand) async -> StepResult {
        do {
            let output = try await runner.run(command.argv, environment: command.environment, timeout: command.timeout)
            return .success(detail: summary(command.argv, output), snapshot: [:])
        } catch {
            switch error {
            case .timedOut, .launchFailed: return .retryable(error.description)
            default: return .permanent(error.description)
            }
        }
    }

    private func summary(_ argv: [String], _ output: CommandOutput) -> String {
        let text = output.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = text.count > summaryLimit ? String(text.prefix(summaryLimit)) + "…" : text
        let program = argv.first ?? ""
        return "ran \(program): exit 0" + (shown.isEmpty ? "" : ", output: \(shown)")
    }
}
