import Foundation
import ResponderCore

/// A target scaled by a pair of commands (`get` prints the count, `set` takes `{replicas}`) as a ``ScalingBackend``.
public struct CommandBackend: ScalingBackend {
    private let scaler: CommandTargetScaler
    private let command: Target.Command
    private let name: String

    /// Creates the backend of target `name` run through `scaler`.
    public init(name: String, _ command: Target.Command, scaler: CommandTargetScaler) {
        self.name = name
        self.command = command
        self.scaler = scaler
    }

    /// `command target <name>`.
    public var label: String { "command target \(name)" }

    /// The count `get` prints; a target without `get` cannot be read (permanent: re-checks and step-downs need it).
    public func replicas() async throws(BackendError) -> Int {
        let count: Int?
        do { count = try await scaler.replicas(of: command) } catch { throw Self.classify(error) }
        guard let count else {
            throw .permanent("\(label) has no `get` command, so its replica count cannot be read: add one")
        }
        return try BackendError.checkedCount(count, "a count of", of: label)
    }

    /// Runs `set` with `{replicas}` replaced.
    public func setReplicas(_ count: Int) async throws(BackendError) {
        do { try await scaler.scale(command, to: count) } catch { throw Self.classify(error) }
    }

    /// The argv that would run, as JSON.
    public func request(for operation: BackendOperation) -> String {
        guard case .setReplicas(let count) = operation else { return "\(label): not supported" }
        return Self.json(scaler.setArgv(command, to: count))
    }

    /// Timeouts and failures to start may pass on retry; a missing program, a refusal or a non-zero exit needs a person.
    static func classify(_ error: CommandError) -> BackendError {
        switch error {
        case .timedOut, .launchFailed: return .retryable(error.description)
        default: return .permanent(error.description)
        }
    }

    /// argv as a JSON array, slashes unescaped.
    static func json(_ argv: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(argv)).map { String(decoding: $0, as: UTF8.self) } ?? argv.joined(separator: " ")
    }
}
