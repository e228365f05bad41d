import Foundation
import ResponderCore
import ResponderPostgres
import ResponderStore
import Testing

@Suite("PostgreSQL retention: old records deleted in batches, what is still needed kept")
struct PostgresRetentionTests {
    static let old = Fixtures.start
    static let now = Fixtures.start.addingTimeInterval(100 * 86_400)
    static let recent = now.addingTimeInterval(-3_600)
    static let cutoff = now.addingTimeInterval(-30 * 86_400)

    static func delivery(key: String?, at: Date) -> Delivery {
        Delivery(kind: key == nil ? .alertmanagerWebhook : .cloudwatchAlarm, idempotencyKey: key, receivedAt: at,
                 details: [:], body: "raw body")
    }

    /// Purges `kind` in batches of 2 until nothing is left; returns each batch's count.
    static func purgeAll(_ store: PostgresStore, _ kind: RetentionKind) async throws -> [Int] {
        var batches: [Int] = []
        while true {
            let count = try await store.purge(kind, before: cutoff, limit: 2)
            guard count > 0 else { return batches }
            batches.append(count)
        }
    }

    @Test("alerts, bodies, keys, ended runs and links: old ones go in batches; what is still needed stays")
    func everyKind() async throws {
        try await Fixtures.withStore { store in
            let handled = (1...5).map { Fixtures.alert("f\($0)", .resolved) }
            _ = try await store.record(Self.delivery(key: "sns-old", at: Self.old), alerts: handled)
            _ = try await store.record(Self.delivery(key: nil, at: Self.old), alerts: [Fixtures.alert("open-fp")])
            _ = try await store.record(Self.delivery(key: nil, at: Self.old), alerts: [Fixtures.alert("waiting", .resolved)])
            _ = try await store.record(Self.delivery(key: nil, at: Self.old), alerts: [Fixtures.alert("still-firing")])
            _ = try await store.record(Self.delivery(key: "sns-recent", at: Self.recent), alerts: [Fixtures.alert("new", .resolved)])
            let processed = handled + [Fixtures.alert("open-fp"), Fixtures.alert("still-firing"), Fixtures.alert("new", .resolved)]
            try await store.markProcessed(processed.map(\.idempotencyKey))
            let ended = (1...3).map { Fixtures.run("run-\($0)", status: .completed, endedAt: Self.old.addingTimeInterval(Double($0))) }
            try await store.save(ended + [Fixtures.run("run-5", fingerprint: "open-fp"),
                                          Fixtures.run("run-6", status: .completed, endedAt: Self.recent)])
            try await store.save([Fixtures.run("run-4", status: .aborted, endedAt: Self.old)],
                                 notifications: [Fixtures.note("run-4", .pagerduty, .trigger)])
            for (run, replicas) in [("run-1", 7), ("run-2", 9)] {
                let step = Fixtures.step(0, to: replicas)
                _ = await RecordingExecutor(ledger: store).execute(step, runID: run, snapshot: [:], dryRun: true)
            }
            for nonce in ["a", "b", "c"] {
                #expect(try await store.useActionToken(nonce: nonce, runID: "r", action: "ack", actor: "x", at: Self.old))
            }
            #expect(try await store.useActionToken(nonce: "d", runID: "r", action: "ack", actor: "x", at: Self.recent))
            let before = try await store.footprint()
            #expect(before.oldest[.rawBodies] == Self.old && before.oldest[.endedRuns] == Self.old && (before.bytes ?? 0) > 0)

            #expect(try await Self.purgeAll(store, .rawBodies) == [2, 2])
            #expect(try await Self.purgeAll(store, .alerts) == [2, 2, 1])
            #expect(try await store.recentAlerts(limit: 10).map(\.alert.fingerprint) == ["new", "still-firing", "waiting", "open-fp"])
            #expect(try await Self.purgeAll(store, .deliveryKeys) == [1])
            #expect(try await Self.purgeAll(store, .endedRuns) == [2, 1])
            for id in ["run-4", "run-5", "run-6"] { #expect(try await store.run(id: id) != nil, "\(id) is kept") }
            #expect(try await store.lastScaled(targets: ["worker"]) == ["worker": 9], "a target's last scale stays for the dry run")
            #expect(try await RecordingExecutor(ledger: store).calls().count == 1)
            #expect(try await Self.purgeAll(store, .actionLinks) == [2, 1])

            let again = try await store.record(Self.delivery(key: "sns-recent", at: Self.now), alerts: [Fixtures.alert("new", .resolved)])
            #expect(again.duplicateDelivery, "a delivery key inside its window is still answered as a duplicate")
            let firing = try await store.record(Self.delivery(key: nil, at: Self.now), alerts: [Fixtures.alert("still-firing")])
            #expect(firing.duplicateDelivery, "Alertmanager's re-send of a firing alert stays a duplicate")
            #expect(try await store.useActionToken(nonce: "d", runID: "r", action: "ack", actor: "x", at: Self.now) == false)
            #expect(try await store.footprint().oldest[.rawBodies] == Self.recent)
        }
    }

    @Test("the highest-numbered run stays, so run numbers are never reused")
    func highestRunStays() async throws {
        try await Fixtures.withStore { store in
            try await store.save([Fixtures.run("run-9", status: .completed, endedAt: Self.old),
                                  Fixtures.run("run-10", status: .completed, endedAt: Self.old)])
            #expect(try await Self.purgeAll(store, .endedRuns) == [1])
            #expect(try await store.highestRunNumber() == 10)
        }
    }
}
