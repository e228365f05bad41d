import Foundation
import ResponderCore
import ResponderStore
import ResponderTestSupport
import Testing

@Suite("durable outbox: notifications saved with their run, delivered in order per run and channel")
struct OutboxStoreTests {
    static func note(_ run: String, _ channel: OutboundNotification.Channel, _ kind: OutboundNotification.Kind, _ text: String = "",
                     at: Date = RunFixtures.start) -> OutboundNotification {
        OutboundNotification(runID: run, channel: channel, kind: kind, text: text, createdAt: at)
    }

    static func journal() throws -> (SQLiteJournal, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString).sqlite").path
        return (try SQLiteJournal(path: path), path)
    }

    @Test("only the head of each run-and-channel queue is due; a retry holds back what follows it, a failure does not")
    func headOfLine() async throws {
        let (journal, path) = try Self.journal()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = RunFixtures.start
        try await journal.save([RunFixtures.run("run-1"), RunFixtures.run("run-2")], notifications: [
            Self.note("run-1", .slack, .runMessage), Self.note("run-1", .pagerduty, .trigger),
            Self.note("run-1", .slack, .threadReply, "step 0 done"), Self.note("run-2", .slack, .runMessage),
        ])
        #expect(try await journal.run(id: "run-1") != nil, "the run and its notifications are saved together")
        var due = try await journal.dueNotifications(now: start, limit: 10)
        #expect(due.map { "\($0.notification.runID) \($0.notification.kind.rawValue)" } == [
            "run-1 run_message", "run-1 trigger", "run-2 run_message",
        ])
        let first = try #require(due.first)
        try await journal.markRetry(first.id, attempts: 1, next: start.addingTimeInterval(30), error: "HTTP 429")
        due = try await journal.dueNotifications(now: start.addingTimeInterval(10), limit: 10)
        #expect(!due.contains { $0.notification.runID == "run-1" && $0.notification.channel == .slack },
                "the thread reply waits behind the message being retried")
        #expect(try await journal.nextNotificationAttempt() == start)
        try await journal.markFailed(first.id, attempts: 2, error: "channel_not_found", at: start)
        due = try await journal.dueNotifications(now: start, limit: 10)
        #expect(due.contains { $0.notification.kind == .threadReply }, "a message refused for good does not block the rest")
        let items = try await journal.notifications(runID: "run-1")
        #expect(items.map(\.status) == [.failed, .pending, .pending])
        #expect(items[0].attempts == 2 && items[0].lastError == "channel_not_found")
        try await journal.markDelivered(items[1].id, attempts: 1, at: start)
        #expect(try await journal.notifications(runID: "run-1")[1].status == .delivered)
    }

    @Test("the next attempt is that of a queue head: what waits behind a retry does not wake the service early")
    func nextAttemptOfHeads() async throws {
        let (journal, path) = try Self.journal()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = RunFixtures.start
        try await journal.save([RunFixtures.run("run-1")], notifications: [
            Self.note("run-1", .slack, .runMessage), Self.note("run-1", .slack, .threadReply, "step 0 done"),
        ])
        let head = try #require(try await journal.dueNotifications(now: start, limit: 10).first)
        try await journal.markRetry(head.id, attempts: 1, next: start.addingTimeInterval(30), error: "HTTP 429")
        // The reply was queued at `start` but cannot go before the message: the service must sleep until the retry.
        #expect(try await journal.nextNotificationAttempt() == start.addingTimeInterval(30))
        #expect(try await journal.dueNotifications(now: start.addingTimeInterval(29), limit: 10).isEmpty)
    }

    @Test("an action link acts once: its nonce is recorded, a second use is refused, a release makes it usable again")
    func actionTokens() async throws {
        let (journal, path) = try Self.journal()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let at = RunFixtures.start
        #expect(try await journal.useActionToken(nonce: "n1", runID: "run-1", action: "ack", actor: "alice", at: at))
        #expect(try await journal.useActionToken(nonce: "n1", runID: "run-1", action: "ack", actor: "bob", at: at) == false)
        try await journal.releaseActionToken(nonce: "n1")
        #expect(try await journal.useActionToken(nonce: "n1", runID: "run-1", action: "ack", actor: "bob", at: at))
        #expect(try await journal.slackMessage(runID: "run-1") == nil)
        try await journal.setSlackMessage(runID: "run-1", channel: "C1", ts: "1.000100")
        #expect(try await journal.slackMessage(runID: "run-1")?.ts == "1.000100")
    }
}
