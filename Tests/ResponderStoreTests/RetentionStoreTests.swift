import Foundation
import GRDB
import ResponderCore
@testable import ResponderStore
import ResponderTestSupport
import Testing

@Suite("SQLite retention: old records deleted in batches, what is still needed kept")
struct RetentionStoreTests {
    static let old = RunFixtures.start
    static let now = RunFixtures.start.addingTimeInterval(100 * 86_400)
    static let recent = now.addingTimeInterval(-3_600)
    static let cutoff = now.addingTimeInterval(-30 * 86_400)

    static func delivery(key: String?, at: Date, body: String = "raw body") -> Delivery {
        Delivery(kind: key == nil ? .alertmanagerWebhook : .cloudwatchAlarm, idempotencyKey: key, receivedAt: at,
                 details: [:], body: body)
    }

    static func alert(_ fingerprint: String, _ status: AlertStatus) -> NormalizedAlert {
        SQLiteJournalTests.alert(fingerprint, status)
    }

    /// Purges `kind` in batches of `limit` until nothing is left; returns each batch's count.
    static func purgeAll(_ journal: SQLiteJournal, _ kind: RetentionKind, limit: Int = 2) async throws -> [Int] {
        var batches: [Int] = []
        while true {
            let count = try await journal.purge(kind, before: cutoff, limit: limit)
            guard count > 0 else { return batches }
            batches.append(count)
        }
    }

    static func count(_ journal: SQLiteJournal, _ sql: String) async throws -> Int {
        try await journal.pool.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test("alerts, raw bodies and delivery keys: old ones go in batches; open runs', unprocessed, newest firing and recent stay")
    func alertsAndDeliveries() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        let handled = (1...5).map { Self.alert("f\($0)", .resolved) }
        _ = try await journal.record(Self.delivery(key: "sns-old", at: Self.old), alerts: handled)
        _ = try await journal.record(Self.delivery(key: nil, at: Self.old), alerts: [Self.alert("open-fp", .firing)])
        _ = try await journal.record(Self.delivery(key: nil, at: Self.old), alerts: [Self.alert("waiting", .resolved)])
        _ = try await journal.record(Self.delivery(key: nil, at: Self.old), alerts: [Self.alert("still-firing", .firing)])
        _ = try await journal.record(Self.delivery(key: "sns-recent", at: Self.recent), alerts: [Self.alert("new", .resolved)])
        try await journal.markProcessed((handled + [Self.alert("open-fp", .firing), Self.alert("still-firing", .firing),
                                                    Self.alert("new", .resolved)]).map(\.idempotencyKey))
        try await journal.save([RunFixtures.run("run-1", fingerprint: "open-fp")])

        #expect(try await Self.purgeAll(journal, .rawBodies) == [2, 2])
        #expect(try await journal.recentDeliveries(limit: 10).map(\.delivery.body) == ["raw body", "", "", "", ""])
        #expect(try await Self.purgeAll(journal, .alerts) == [2, 2, 1])
        let kept = try await journal.recentAlerts(limit: 10).map(\.alert.fingerprint)
        #expect(kept == ["new", "still-firing", "waiting", "open-fp"])
        #expect(try await Self.purgeAll(journal, .deliveryKeys) == [1], "only the delivery whose alerts are all gone")
        #expect(try await journal.record(Self.delivery(key: "sns-old", at: Self.now), alerts: []).duplicateDelivery == false,
                "a deleted key is new again")
        let again = try await journal.record(Self.delivery(key: "sns-recent", at: Self.now), alerts: [Self.alert("new", .resolved)])
        #expect(again.duplicateDelivery, "a delivery key inside its window is still answered as a duplicate")
        let firing = try await journal.record(Self.delivery(key: nil, at: Self.now), alerts: [Self.alert("still-firing", .firing)])
        #expect(firing.duplicateDelivery, "Alertmanager's re-send of a firing alert stays a duplicate")
    }

    @Test("ended runs go with their executor calls (a target's last scale stays) and sent notifications; open ones and those with unsent ones stay")
    func endedRuns() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        let ended = (1...3).map { RunFixtures.run("run-\($0)", status: .completed, endedAt: Self.old.addingTimeInterval(Double($0))) }
        try await journal.save(ended, notifications: ended.map { OutboxStoreTests.note($0.id, .slack, .runMessage) })
        for item in try await journal.dueNotifications(now: Self.now, limit: 10) {
            try await journal.markDelivered(item.id, attempts: 1, at: Self.old)
        }
        let executor = RecordingExecutor(journal: journal)
        _ = await executor.execute(RunFixtures.step(0, .action(.notify(message: "hi"))), runID: "run-1", snapshot: [:], dryRun: true)
        for (run, replicas) in [("run-2", 7), ("run-3", 9)] {
            let scale = RunFixtures.step(0, .action(.scale(target: "worker", change: .to(replicas))), target: "worker", to: replicas)
            _ = await executor.execute(scale, runID: run, snapshot: [:], dryRun: true)
        }
        try await journal.save([RunFixtures.run("run-4", status: .aborted, endedAt: Self.old)],
                               notifications: [OutboxStoreTests.note("run-4", .pagerduty, .trigger)])
        try await journal.save([RunFixtures.run("run-5"), RunFixtures.run("run-6", status: .completed, endedAt: Self.recent)])
        #expect(try await Self.count(journal, "SELECT COUNT(*) FROM executor_call") == 3)

        #expect(try await Self.purgeAll(journal, .endedRuns) == [2, 1])
        #expect(try await Self.count(journal, "SELECT COUNT(*) FROM executor_call") == 1, "only the target's last scale")
        #expect(try await journal.lastScaled(targets: ["worker"]) == ["worker": 9], "the dry run still knows the replicas")
        #expect(try await Self.count(journal, "SELECT COUNT(*) FROM outbox") == 1)
        for id in ["run-4", "run-5", "run-6"] { #expect(try await journal.run(id: id) != nil, "\(id) is kept") }
        for run in ended { #expect(try await journal.run(id: run.id) == nil) }
    }

    @Test("the highest-numbered run stays, so run numbers are never reused")
    func highestRunStays() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        try await journal.save([RunFixtures.run("run-9", status: .completed, endedAt: Self.old),
                                RunFixtures.run("run-10", status: .completed, endedAt: Self.old)])
        #expect(try await Self.purgeAll(journal, .endedRuns) == [1])
        #expect(try await journal.highestRunNumber() == 10)
    }

    @Test("used action links go after their window; a recent use still refuses the link")
    func actionLinks() async throws {
        let journal = try SQLiteJournal(path: SQLiteJournalTests.temporaryPath())
        for nonce in ["a", "b", "c"] {
            #expect(try await journal.useActionToken(nonce: nonce, runID: "r", action: "ack", actor: "x", at: Self.old))
        }
        #expect(try await journal.useActionToken(nonce: "d", runID: "r", action: "ack", actor: "x", at: Self.recent))
        #expect(try await Self.purgeAll(journal, .actionLinks) == [2, 1])
        #expect(try await journal.useActionToken(nonce: "d", runID: "r", action: "ack", actor: "x", at: Self.now) == false)
        #expect(try await journal.useActionToken(nonce: "a", runID: "r", action: "ack", actor: "x", at: Self.now))
    }

    @Test("a new database gives deleted space back; the footprint shows the size and the oldest record of each kind")
    func incrementalVacuum() async throws {
        let path = SQLiteJournalTests.temporaryPath()
        let journal = try SQLiteJournal(path: path)
        #expect(try await Self.count(journal, "PRAGMA auto_vacuum") == 2)
        let body = String(repeating: "x", count: 8_000)
        for index in 0..<300 {
            _ = try await journal.record(Self.delivery(key: "k\(index)", at: Self.old, body: body), alerts: [])
        }
        #expect(try await journal.useActionToken(nonce: "n", runID: "r", action: "ack", actor: "x", at: Self.recent))
        let before = try await journal.footprint()
        #expect(before.oldest[.rawBodies] == Self.old && before.oldest[.deliveryKeys] == Self.old)
        #expect(before.oldest[.actionLinks] == Self.recent && before.oldest[.alerts] == nil)
        let fileBefore = try Self.checkpointedSize(journal, path)
        #expect(fileBefore > 2_000_000)
        #expect(try await Self.purgeAll(journal, .rawBodies, limit: 100) == [100, 100, 100])
        for _ in 0..<10 { try await journal.reclaimSpace() }
        let fileAfter = try Self.checkpointedSize(journal, path)
        #expect(fileBefore - fileAfter > 1_000_000, "\(fileBefore) → \(fileAfter) bytes: the emptied bodies' pages")
        #expect(try await Self.count(journal, "PRAGMA freelist_count") == 0)
        #expect(try await journal.footprint().oldest[.rawBodies] == nil)
        #expect(try await journal.footprint().bytes ?? 0 > 0)
    }

    /// The database file's size once the WAL is written back and truncated.
    static func checkpointedSize(_ journal: SQLiteJournal, _ path: String) throws -> Int {
        try journal.pool.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }
}
