import Foundation
import ResponderCore
import ResponderPostgres
import Testing

@Suite("PostgreSQL outbox: ordered per run and channel, claimed by one replica at a time")
struct PostgresOutboxTests {
    static let start = Fixtures.start

    static func describe(_ items: [OutboxItem]) -> [String] {
        items.map { "\($0.notification.runID) \($0.notification.kind.rawValue)" }
    }

    @Test("only the head of each run-and-channel queue is due; a retry holds back what follows it, a failure does not")
    func headOfLine() async throws {
        try await Fixtures.withStore { store in
            #expect(try await store.nextNotificationAttempt() == nil)
            try await store.save([Fixtures.run("run-1"), Fixtures.run("run-2")], notifications: [
                Fixtures.note("run-1", .slack, .runMessage), Fixtures.note("run-1", .pagerduty, .trigger),
                Fixtures.note("run-1", .slack, .threadReply, "step 0 done"), Fixtures.note("run-2", .slack, .runMessage),
            ])
            #expect(try await store.run(id: "run-1") != nil, "the run and its notifications are saved together")
            #expect(try await store.nextNotificationAttempt() == Self.start)
            let due = try await store.dueNotifications(now: Self.start, limit: 10)
            #expect(Self.describe(due) == ["run-1 run_message", "run-1 trigger", "run-2 run_message"])
            let first = try #require(due.first)
            #expect(first.nextAttemptAt == Self.start && first.status == .pending && first.notification.createdAt == Self.start)
            try await store.markRetry(first.id, attempts: 1, next: Self.start.addingTimeInterval(30), error: "HTTP 429")
            try await store.markDelivered(due[2].id, attempts: 1, at: Self.start)
            #expect(try await store.nextNotificationAttempt() == Self.start.addingTimeInterval(30), "the retry; the trigger is claimed")
            #expect(try await store.dueNotifications(now: Self.start.addingTimeInterval(10), limit: 10).isEmpty,
                    "the thread reply waits behind the message being retried; the trigger is still claimed")
            #expect(Self.describe(try await store.dueNotifications(now: Self.start.addingTimeInterval(30), limit: 10)) == ["run-1 run_message"])
            try await store.markFailed(first.id, attempts: 2, error: "channel_not_found", at: Self.start)
            #expect(Self.describe(try await store.dueNotifications(now: Self.start.addingTimeInterval(30), limit: 10)) == ["run-1 thread_reply"],
                    "a message refused for good does not block the rest")
            let items = try await store.notifications(runID: "run-1")
            #expect(items.map(\.status) == [.failed, .pending, .pending])
            #expect(items[0].attempts == 2 && items[0].lastError == "channel_not_found" && items[0].finishedAt == Self.start)
            #expect(items[2].notification.text == "step 0 done")
            try await store.markDelivered(items[1].id, attempts: 1, at: Self.start)
            let delivered = try await store.notifications(runID: "run-1")[1]
            #expect(delivered.status == .delivered && delivered.lastError == nil && delivered.finishedAt == Self.start)
        }
    }

    @Test("a claimed notification is hidden from the other replica until its claim runs out")
    func claims() async throws {
        try await Fixtures.withStores(2, outboxClaim: .seconds(60)) { stores in
            try await stores[0].save([Fixtures.run("run-1")], notifications: [
                Fixtures.note("run-1", .slack, .runMessage), Fixtures.note("run-1", .slack, .threadReply, "later"),
            ])
            let claimed = try await stores[0].dueNotifications(now: Self.start, limit: 10)
            #expect(Self.describe(claimed) == ["run-1 run_message"])
            #expect(try await stores[1].dueNotifications(now: Self.start, limit: 10).isEmpty)
            #expect(try await stores[1].dueNotifications(now: Self.start.addingTimeInterval(59), limit: 10).isEmpty)
            #expect(try await stores[1].nextNotificationAttempt() == Self.start.addingTimeInterval(60),
                    "the end of the head's claim, not the reply queued behind it")
            // The first replica died without reporting: the other one takes the message over.
            let takenOver = try await stores[1].dueNotifications(now: Self.start.addingTimeInterval(60), limit: 10)
            #expect(takenOver.map(\.id) == claimed.map(\.id))
            try await stores[1].markDelivered(claimed[0].id, attempts: 1, at: Self.start.addingTimeInterval(61))
            #expect(Self.describe(try await stores[0].dueNotifications(now: Self.start.addingTimeInterval(61), limit: 10)) == ["run-1 thread_reply"])
        }
    }

    @Test("concurrent claims on two replicas hand each notification to exactly one of them")
    func concurrentClaims() async throws {
        try await Fixtures.withStores(2) { stores in
            let runs = (1...20).map { Fixtures.run("run-\($0)") }
            try await stores[0].save(runs, notifications: runs.map { Fixtures.note($0.id, .slack, .runMessage) })
            let batches = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for index in 0..<8 {
                    let store = stores[index % 2]
                    group.addTask { try await store.dueNotifications(now: Self.start, limit: 5).map(\.id) }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let ids = batches.flatMap { $0 }
            #expect(ids.count == 20 && Set(ids).count == 20)
        }
    }

    @Test("an action link acts once across replicas; a release makes it usable again; Slack threads are remembered")
    func actionTokensAndThreads() async throws {
        try await Fixtures.withStores(2) { stores in
            let uses = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask {
                        try await store.useActionToken(nonce: "n1", runID: "run-1", action: "ack", actor: "user\(index)", at: Self.start)
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(uses.filter { $0 }.count == 1)
            try await stores[1].releaseActionToken(nonce: "n1")
            #expect(try await stores[0].useActionToken(nonce: "n1", runID: "run-1", action: "ack", actor: "bob", at: Self.start))
            #expect(try await stores[1].useActionToken(nonce: "n1", runID: "run-1", action: "ack", actor: "bob", at: Self.start) == false)

            #expect(try await stores[0].slackMessage(runID: "run-1") == nil)
            try await stores[0].setSlackMessage(runID: "run-1", channel: "C1", ts: "1.000100")
            try await stores[1].setSlackMessage(runID: "run-1", channel: "C2", ts: "2.000200")
            let message = try await stores[0].slackMessage(runID: "run-1")
            #expect(message?.channel == "C2" && message?.ts == "2.000200")
        }
    }
}
