import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Synchronization
import Testing

/// The notification service hands `/metrics` the outbox's backlog every 5 s, read from the store, never at a scrape.
@Suite("notification service: the outbox backlog for /metrics")
struct OutboxBacklogObservationTests {
    @Test("a notification waiting for a retry is pending; once delivered the next reading, 5 s later, shows none")
    func backlogReadings() async throws {
        let folder = try TemporaryFolder("outbox-backlog")
        defer { folder.remove() }
        let (_, outbox) = try await NotificationOutcomeTests.queued(in: folder)
        let readings = Mutex<[(OutboxBacklog, Date)]>([])
        let clock = ManualClock(start: RunSamples.start.addingTimeInterval(30))
        let service = NotificationService(
            outbox: outbox, delivery: NotificationOutcomeTests.CountingDelivery(failures: 1), backoff: .init(initial: .seconds(2)),
            logger: Logger(label: "t"), clock: clock, backlogObserved: { backlog, at in readings.withLock { $0.append((backlog, at)) } }
        )
        await service.drain()
        await service.observeBacklog()
        await service.observeBacklog()
        var seen = readings.withLock { $0 }
        #expect(seen.count == 1, "read once per 5 s")
        #expect(seen.first?.0 == OutboxBacklog(pending: [.slack: 1], oldestQueuedAt: RunSamples.start))
        #expect(seen.first?.1 == RunSamples.start.addingTimeInterval(30))

        clock.advance(by: .seconds(5))
        await service.drain()
        await service.observeBacklog()
        seen = readings.withLock { $0 }
        #expect(seen.count == 2)
        #expect(seen.last?.0 == OutboxBacklog(), "delivered: nothing pending")
    }
}
