import Foundation
import Logging
import ResponderCore
import ServiceLifecycle

/// Deletes old records every ``RetentionPolicy/interval``: each kind batch by batch (one short write each), with a
/// pause between batches so deliveries waiting for the write lock get it, space given back after each batch. A store
/// error ends the pass with a warning; the next interval tries again.
public struct RetentionService: Service {
    let store: any RetentionStore
    let policy: RetentionPolicy
    let keepEnded: Duration
    let pause: Duration
    let clock: any WallClock
    let logger: Logger
    let onPurged: @Sendable (RetentionKind, Int) -> Void
    let onFootprint: @Sendable (StoreFootprint) -> Void

    /// A service deleting through `store` what `policy` allows, never ended runs within `keepEnded`; `onPurged` is
    /// told each batch's count and `onFootprint` the store's footprint after each pass (the metrics).
    public init(store: any RetentionStore, policy: RetentionPolicy, keepEnded: Duration, pause: Duration = .milliseconds(20),
                clock: any WallClock = SystemWallClock(), logger: Logger,
                onPurged: @escaping @Sendable (RetentionKind, Int) -> Void = { _, _ in },
                onFootprint: @escaping @Sendable (StoreFootprint) -> Void = { _ in }) {
        self.store = store
        self.policy = policy
        self.keepEnded = keepEnded
        self.pause = pause
        self.clock = clock
        self.logger = logger
        self.onPurged = onPurged
        self.onFootprint = onFootprint
    }

    /// Runs a pass, then one every interval, until the service group shuts down.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pass()
                try await clock.sleep(until: clock.now.advanced(by: policy.interval), tolerance: nil)
            }
        }
    }

    /// One pass over every kind; returns how many records of each kind it deleted (what it could before an error).
    @discardableResult
    public func pass() async -> [RetentionKind: Int] {
        let now = clock.now.date
        var deleted: [RetentionKind: Int] = [:]
        do {
            for kind in RetentionKind.passOrder {
                deleted[kind] = try await purge(kind, before: policy.cutoff(kind, now: now, keepEnded: keepEnded))
            }
        } catch {
            logger.warning("retention pass stopped; the next one retries in \(policy.interval.playbookText)",
                           metadata: ["error": "\(error)"])
        }
        let total = deleted.values.reduce(0, +)
        if total > 0 {
            let counts = RetentionKind.passOrder.compactMap { kind in deleted[kind].map { "\(kind.rawValue)=\($0)" } }
            logger.info("retention deleted \(total) old record(s)", metadata: ["deleted": "\(counts.joined(separator: " "))"])
        }
        do {
            onFootprint(try await store.footprint())
        } catch {
            logger.debug("could not read the store's footprint", metadata: ["error": "\(error)"])
        }
        return deleted
    }

    /// Deletes `kind` before `cutoff` batch by batch until a batch comes back short (or the task is cancelled).
    private func purge(_ kind: RetentionKind, before cutoff: Date) async throws -> Int {
        var total = 0
        while !Task.isCancelled {
            let count = try await store.purge(kind, before: cutoff, limit: policy.batch)
            guard count > 0 else { break }
            total += count
            onPurged(kind, count)
            try await store.reclaimSpace()
            guard count == policy.batch else { break }
            // Real time, not the injected clock: the pause is there so deliveries queued on the write lock get it now.
            if pause > .zero {
                try? await Task.sleep(for: pause)
            } else {
                await Task.yield()
            }
        }
        return total
    }
}
