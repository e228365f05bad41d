import Foundation
import ResponderCore
import ResponderPostgres
import Testing

/// The counts `/metrics` shows from PostgreSQL: pending notifications per channel and the oldest, runs by status.
@Suite("PostgreSQL counts for the dashboard: the outbox backlog, runs by status")
struct PostgresDashboardCountsTests {
    static let start = Fixtures.start

    @Test("pending notifications per channel (a claimed one still pending), the first queued is the oldest")
    func backlog() async throws {
        try await Fixtures.withStore { store in
            #expect(try await store.outboxBacklog() == OutboxBacklog())
            try await store.save([Fixtures.run("run-1"), Fixtures.run("run-2")], notifications: [
                Fixtures.note("run-1", .slack, .runMessage), Fixtures.note("run-1", .pagerduty, .trigger),
                Fixtures.note("run-2", .slack, .runMessage),
            ])
            var backlog = try await store.outboxBacklog()
            #expect(backlog.pending == [.slack: 2, .pagerduty: 1])
            #expect(backlog.oldestQueuedAt == Self.start)
            let due = try await store.dueNotifications(now: Self.start, limit: 10)
            #expect(try await store.outboxBacklog().pending == [.slack: 2, .pagerduty: 1], "claimed, not delivered")
            for item in due { try await store.markDelivered(item.id, attempts: 1, at: Self.start) }
            backlog = try await store.outboxBacklog()
            #expect(backlog == OutboxBacklog())
        }
    }

    @Test("open runs by status, ended ones since the instant asked")
    func runs() async throws {
        try await Fixtures.withStore { store in
            try await store.save([
                Fixtures.run("run-1"), Fixtures.run("run-2", status: .held),
                Fixtures.run("run-3", status: .completed, endedAt: Self.start.addingTimeInterval(-10)),
                Fixtures.run("run-4", status: .aborted, endedAt: Self.start.addingTimeInterval(-100_000)),
            ], notifications: [])
            let counts = try await store.runCounts(endedSince: Self.start.addingTimeInterval(-86_400))
            #expect(counts == RunCounts(byStatus: [.active: 1, .held: 1, .completed: 1]))
        }
    }
}
