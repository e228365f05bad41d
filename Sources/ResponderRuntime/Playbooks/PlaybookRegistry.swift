import Foundation
import Logging
import ResponderCore

/// The playbook set the server plans with. A reload that fails keeps the running set and records why.
public actor PlaybookRegistry {
    /// What the last load attempt produced.
    public enum State: Sendable {
        /// A valid set is active.
        case loaded(PlaybookSet)
        /// No valid set has ever loaded; the problems of the last attempt.
        case failed(String)
    }

    private let load: @Sendable () -> Result<PlaybookSet, any Error>
    private var current: PlaybookSet?
    private var lastError: String?
    private let logger: Logger
    /// Bumped at every successful load, so readers can tell a new set from the one they saw.
    public private(set) var generation = 0

    /// Creates a registry that loads with `load` (and loads once now).
    public init(logger: Logger, load: @escaping @Sendable () -> Result<PlaybookSet, any Error>) {
        self.load = load
        self.logger = logger
        switch load() {
        case .success(let set):
            current = set
            generation = 1
        case .failure(let error):
            lastError = "\(error)"
            logger.error("playbooks not loaded", metadata: ["problems": "\(error)"])
        }
    }

    /// The active set, if any.
    public var playbooks: PlaybookSet? { current }

    /// Problems of the last failed load (nil after a successful one).
    public var problems: String? { lastError }

    /// Loads again; on failure the running set stays active. Returns the outcome.
    @discardableResult
    public func reload() -> Result<PlaybookSet, ReloadFailure> {
        switch load() {
        case .success(let set):
            current = set
            lastError = nil
            generation += 1
            logger.info("playbooks reloaded", metadata: ["files": "\(set.files.count)", "playbooks": "\(set.playbooks.count)"])
            return .success(set)
        case .failure(let error):
            lastError = "\(error)"
            logger.error("playbook reload refused; the running set stays active", metadata: ["problems": "\(error)"])
            return .failure(ReloadFailure(problems: "\(error)", keptRunningSet: current != nil))
        }
    }

    /// Why a reload was refused.
    public struct ReloadFailure: Error, Sendable {
        /// `file:line: message` lines.
        public var problems: String
        /// Whether a previously loaded set is still active.
        public var keptRunningSet: Bool
    }
}
