import Foundation
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

/// The counts `/metrics` shows from the SQLite store: pending notifications per channel and the oldest of them
/// (`responder_outbox_pending`, `responder_outbox_oldest_pending_seconds`), runs by status (`responder_runs`).
@Suite("SQLite counts for the dashboard: the outbox backlog, runs by status")
struct DashboardCountsTests {
    /// A journal in a new temporary file, and its path.
    static func journal() throws -> (SQLiteJournal, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("counts-\(UUID().uuidString).sqlite").path
        return (try SQLiteJournal(path: path), path)
    }

    @Test("pending notifications are counted per channel; delivered and failed ones are not; the oldest is the first queued")
    func backlog() async throws {
        let (journal, path) = try Self.journal()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = RunSamples.start
        #expect(try await journal.outboxBacklog() == OutboxBacklog(), "nothing queued")
        let notes: [OutboundNotification] = [
            .init(runID: "run-1", channel: .slack, kind: .runMessage, text: "", createdAt: start),
            .init(runID: "run-1", channel: .pagerduty, kind: .trigger, text: "", createdAt: start.addingTimeInterval(1)),
            .init(runID: "run-1", channel: .slack, kind: .threadReply, text: "", createdAt: start.addingTimeInterval(2)),
            .init(runID: "run-2", channel: .slack, kind: .runMessage, text: "", createdAt: start.addingTimeInterval(3)),
        ]
        try await journal.save([RunSamples.run("run-1", steps: []), RunSamples.run("run-2", steps: [])], notifications: notes)
        var backlog = try await journal.outboxBacklog()
        #expect(backlog.pending == [.slack: 3, .pagerduty: 1])
        #expect(backlog.oldestQueuedAt == start)
        let due = try await journal.dueNotifications(now: start.addingTimeInterval(10), limit: 10)
        let first = try #require(due.first { $0.notification.channel == .slack && $0.notification.runID == "run-1" })
        let page = try #require(due.first { $0.notification.channel == .pagerduty })
        try await journal.markDelivered(first.id, attempts: 1, at: start.addingTimeInterval(10))
        try await journal.markFailed(page.id, attempts: 1, error: "400", at: start.addingTimeInterval(10))
        backlog = try await journal.outboxBacklog()
        #expect(backlog.pending == [.slack: 2])
        #expect(backlog.oldestQueuedAt == start.addingTimeInterval(2))
    }

    @Test("open runs are counted by status, ended ones only since the instant asked")
    func runs() async throws {
        let (journal, path) = try Self.journal()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = RunSamples.start
        try await journal.save([
            RunSamples.run("run-1", steps: []),
            RunSamples.run("run-2", status: .held, steps: []),
            RunSamples.run("run-3", status: .completed, endedAt: start.addingTimeInterval(-10), steps: []),
            RunSamples.run("run-4", status: .aborted, endedAt: start.addingTimeInterval(-100_000), steps: []),
            RunSamples.run("run-5", status: .completed, endedAt: start.addingTimeInterval(-60), steps: []),
        ])
        let counts = try await journal.runCounts(endedSince: start.addingTimeInterval(-86_400))
        #expect(counts == RunCounts(byStatus: [.active: 1, .held: 1, .completed: 2]))
        #expect(try await journal.runCounts(endedSince: start).byStatus == [.active: 1, .held: 1])
    }
}
