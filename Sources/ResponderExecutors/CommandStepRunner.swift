import Foundation
import ResponderCore

/// Runs `Action.command` steps: alert values reach argv only as parameters validated against their pattern, and
/// reach the environment as plain values (no shell ever parses them).
public struct CommandStepRunner: Sendable {
    /// Runner that starts the processes.
    public var runner: CommandRunner
    /// Most characters of output quoted in a success detail.
    public var summaryLimit: Int
    /// Longest parameter value accepted whatever its pattern (253, the longest Kubernetes object name).
    public static let maxParameterLength = 253

    /// Creates a step runner.
    public init(runner: CommandRunner = CommandRunner(), summaryLimit: Int = 200) {
        self.runner = runner
        self.summaryLimit = summaryLimit
    }

    /// argv with every `{name}` of a declared parameter replaced by its validated value; `values` maps
    /// `labels.NAME` / `annotations.NAME` to the alert's values. Throws ``CommandError/invalid(_:)`` on a missing or
    /// refused value. Placeholders of undeclared names are left as written; substituted text is never re-scanned.
    public static func argv(for call: Action.CommandCall, values: [String: String]) throws(CommandError) -> [String] {
        var validated: [String: String] = [:]
        for (name, parameter) in call.params.sorted(by: { $0.key < $1.key }) {
            guard let value = values[parameter.from] else {
                throw .invalid("parameter \(name): the alert has no \(parameter.from): the command was not run")
            }
            // The core check has no length limit, and a 70 000-character name is never a real one.
            guard value.count <= maxParameterLength,
                  let accepted = CommandParameterCheck.validated(value, pattern: parameter.pattern) else {
                throw .invalid("parameter \(name) from \(parameter.from) refused by pattern \(parameter.pattern) "
                    + "(value \(quoted(value))): the command was not run")
            }
            validated[name] = accepted
        }
        return call.argv.map { substitute($0, open: "{", values: validated) }
    }

    /// The call's environment with `${labels.NAME}`-style references rendered from `values` (unknown ones left as written).
    public static func environment(for call: Action.CommandCall, values: [String: String]) -> [String: String] {
        call.env.mapValues { substitute($0, open: "${", values: values) }
    }

    /// Runs `call`: a refused parameter, a missing program or a non-zero exit is permanent, a timeout retryable.
    public func run(_ call: Action.CommandCall, values: [String: String]) async -> StepResult {
        let argv: [String]
        do {
            argv = try Self.argv(for: call, values: values)
        } catch {
            return .permanent(error.description)
        }
        do {
            let output = try await runner.run(argv, environment: Self.environment(for: call, values: values),
                                              timeout: call.timeout)
            return .success(detail: summary(argv, output), snapshot: [:])
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

    /// A value safe to put in a message: escaped and shortened.
    static func quoted(_ value: String) -> String {
        let short = value.count > 64 ? String(value.prefix(64)) + "…(\(value.count) characters)" : value
        return short.debugDescription
    }

    /// Replaces `<open>name}` by `values[name]` in one left-to-right pass.
    static func substitute(_ text: String, open: String, values: [String: String]) -> String {
        var result = ""
        var rest = text[...]
        while let start = rest.range(of: open) {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else {
                rest = rest[start.lowerBound...]
                break
            }
            let name = String(after[..<end])
            if let value = values[name] {
                result += value
            } else {
                result += rest[start.lowerBound...end]
            }
            rest = after[after.index(after: end)...]
        }
        return result + rest
    }
}
