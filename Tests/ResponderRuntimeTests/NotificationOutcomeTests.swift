import Foundation
import Logging
import ResponderCore
import ResponderNotify
import ResponderRuntime
import ResponderStore
import ResponderTestSupport
import Synchronization
import Testing

/// What the notification service does when the store will not take the outcome of an attempt: it keeps the outcome,
/// takes nothing new, and records it once the store answers, so a delivered notification is not sent again and a
/// failed one waits its backoff, not a shared store's claim.
@Suite("notification outcomes survive a store that refuses writes")
struct NotificationOutcomeTests {
    /// A real SQLite outbox whose outcome writes fail while `down`.
    final class SwitchedOutbox: NotificationOutbox {
        let base: SQLiteJournal
        let down = Mutex(false)
        let refusedWrites = Mutex(0)

        init(_ base: SQLiteJournal) { self.base = base }

        private func refuseWhileDown() throws(JournalError) {
            if down.withLock({ $0 }) {
                refusedWrites.withLock { $0 += 1 }
                throw JournalError.unavailable("the test switched the store off")
            }
        }

        func dueNotifications(now: Date, limit: Int) async throws(JournalError) -> [OutboxItem] {
            try await base.dueNotifications(now: now, limit: limit)
        }
        func nextNotificationAttempt() async throws(JournalError) -> Date? { try await base.nextNotificationAttempt() }
        func markDelivered(_ id: Int64, attempts: Int, at: Date) async throws(JournalError) {
            try refuseWhileDown()
            try await base.markDelivered(id, attempts: attempts, at: at)
        }
        func markRetry(_ id: Int64, attempts: Int, next: Date, error: String) async throws(JournalError) {
            try refuseWhileDown()
            try await base.markRetry(id, attempts: attempts, next: next, error: error)
        }
        func markFailed(_ id: Int64, attempts: Int, error: String, at: Date) async throws(JournalError) {
            try refuseWhileDown()
            try await base.markFailed(id, attempts: attempts, error: error, at: at)
        }
        func notifications(runID: String) async throws(JournalError) -> [OutboxItem] {
            try await base.notifications(runID: runID)
        }
        func outboxBacklog() async throws(JournalError) -> OutboxBacklog { try await base.outboxBacklog() }
    }

    /// Counts attempts; fails the first `failures` of them with a retryable error.
    final class CountingDelivery: NotificationDelivery {
        let attempts = Mutex(0)
        let failures: Int

        init(failures: Int = 0) { self.failures = failures }

        func deliver(_ item: OutboxItem) async throws(NotifyError) {
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt <= failures { throw .retryable("chat is busy", retryAfter: nil) }
        }
    }

    static func queued(in folder: TemporaryFolder) async throws -> (SQLiteJournal, SwitchedOutbox) {
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        let run = RunSamples.run("run-1", steps: [RunSamples.step(0, .action(.notify(message: "hello")))])
        try await journal.save([run], notifications: [
            OutboundNotification(runID: "run-1", channel: .slack, kind: .runMessage, createdAt: RunSamples.start),
        ])
        return (journal, SwitchedOutbox(journal))
    }

    @Test("delivered while the store refuses the record: recorded once it answers, never delivered a second time")
    func deliveredIsNotSentAgain() async throws {
        let folder = try TemporaryFolder("outcome")
        defer { folder.remove() }
        let (journal, outbox) = try await Self.queued(in: folder)
        let delivery = CountingDelivery()
        let clock = ManualClock(start: RunSamples.start)
        let service = NotificationService(outbox: outbox, delivery: delivery, logger: Logger(label: "t"), clock: clock)

        outbox.down.withLock { $0 = true }
        await service.drain()
        await service.drain()
        #expect(delivery.attempts.withLock { $0 } == 1, "a second drain waits for the record instead of delivering again")
        #expect(outbox.refusedWrites.withLock { $0 } == 2, "the record was tried again at the second drain")
        #expect(try await journal.notifications(runID: "run-1").first?.status == .pending)

        outbox.down.withLock { $0 = false }
        await service.drain()
        let item = try #require(try await journal.notifications(runID: "run-1").first)
        #expect(item.status == .delivered && item.attempts == 1)
        clock.advance(by: .seconds(120))
        await service.drain()
        #expect(delivery.attempts.withLock { $0 } == 1, "delivered once")
    }

    @Test("a failed attempt the store could not record keeps its backoff once recorded, instead of being tried at once")
    func retryKeepsItsBackoff() async throws {
        let folder = try TemporaryFolder("outcome")
        defer { folder.remove() }
        let (journal, outbox) = try await Self.queued(in: folder)
        let delivery = CountingDelivery(failures: 1)
        let clock = ManualClock(start: RunSamples.start)
        let service = NotificationService(outbox: outbox, delivery: delivery, backoff: .init(initial: .seconds(2)),
                                          logger: Logger(label: "t"), clock: clock)

        outbox.down.withLock { $0 = true }
        await service.drain()
        outbox.down.withLock { $0 = false }
        await service.drain()
        #expect(delivery.attempts.withLock { $0 } == 1, "the retry waits for its backoff")
        let pending = try #require(try await journal.notifications(runID: "run-1").first)
        #expect(pending.status == .pending && pending.attempts == 1)
        #expect(pending.nextAttemptAt == RunSamples.start.addingTimeInterval(2))

        clock.advance(by: .seconds(2))
        await service.drain()
        #expect(delivery.attempts.withLock { $0 } == 2)
        #expect(try await journal.notifications(runID: "run-1").first?.status == .delivered)
    }
}
