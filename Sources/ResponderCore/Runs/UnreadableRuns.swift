import Synchronization

/// Stored runs a store met but could not use (a body this version cannot decode, or values outside their ranges, see
/// ``Run/validate()``), by id. Lists of runs skip them, so one damaged row never hides the others or stops the
/// engine; the server logs each once at start (``RunRepository/unreadableRuns()``).
public final class UnreadableRuns: Sendable {
    private let found = Mutex<[String: String]>([:])

    /// An empty record.
    public init() {}

    /// Notes that run `id` cannot be used, and why.
    public func record(_ id: String, _ why: String) {
        found.withLock { $0[id] = why }
    }

    /// Every run noted so far, by id, with why.
    public var all: [String: String] {
        found.withLock { $0 }
    }

    /// The run a stored body holds, or a message naming it: the body as decoded by `decode`, then validated.
    public static func check(id: String, _ decode: () throws -> Run) -> Result<Run, RunBodyError> {
        do {
            let run = try decode()
            try run.validate()
            return .success(run)
        } catch let error as RunValidationError {
            return .failure(RunBodyError(runID: id, message: error.description))
        } catch {
            return .failure(RunBodyError(runID: id, message: "run \(id) cannot be read by this version: \(error)"))
        }
    }
}

/// A stored run body that cannot be used, with a message naming the run.
public struct RunBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run's id as stored.
    public var runID: String
    /// What is wrong, naming the run.
    public var message: String

    /// The message.
    public var description: String { message }
}
