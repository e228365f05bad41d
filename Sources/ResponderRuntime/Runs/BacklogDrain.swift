import Logging
import ResponderCore

/// One loop at a time that reads accepted-but-unhandled alerts back from the journal, in batches, and hands them to
/// the engine's driver: a flood of deliveries queues in the durable journal rather than in memory.
actor BacklogDrain {
    private let backlog: any AlertBacklog
    private let logger: Logger
    private var draining = false
    private var requested = false

    /// Alerts read per batch.
    static let batch = 500

    init(backlog: any AlertBacklog, logger: Logger) {
        self.backlog = backlog
        self.logger = logger
    }

    /// Drains the backlog through `submit`; a call while a drain is under way makes that drain read once more.
    func run(_ submit: @escaping @Sendable ([NormalizedAlert]) async -> Void) async {
        requested = true
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while requested {
            requested = false
            do {
                let pending = try await backlog.unprocessedAlerts(limit: Self.batch)
                if pending.count == Self.batch { requested = true }
                if !pending.isEmpty { await submit(pending) }
            } catch {
                logger.error("could not read the alert backlog; it is read again at the next alert or restart",
                             metadata: ["error": "\(error)"])
            }
        }
    }
}
