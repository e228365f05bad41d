import Foundation
import ResponderCore
import ResponderPostgres
import ResponderTestSupport
import Testing

@Suite("PostgreSQL alert journal and backlog")
struct PostgresJournalTests {
    @Test("a delivery and its alerts are stored and read back intact, with their plans")
    func roundTrip() async throws {
        try await Fixtures.withStore { store in
            let aa = Fixtures.alert("aa")
            let receipt = try await store.record(Fixtures.delivery(body: "raw body"), alerts: [aa, Fixtures.alert("bb")],
                                                 plans: [aa.idempotencyKey: "{\"steps\":[]}"])
            #expect(receipt.newAlerts == 2 && receipt.duplicateAlerts == 0 && !receipt.duplicateDelivery)
            #expect(receipt.newAlertKeys == [aa.idempotencyKey, Fixtures.alert("bb").idempotencyKey])
            let deliveryID = try #require(receipt.deliveryID)
            let alerts = try await store.recentAlerts(limit: 10)
            #expect(alerts.map(\.alert.fingerprint) == ["bb", "aa"])
            #expect(alerts.allSatisfy { $0.deliveryID == deliveryID && $0.receivedAt == Fixtures.start })
            #expect(alerts[1].alert == aa)
            #expect(alerts[1].plan == "{\"steps\":[]}" && alerts[0].plan == nil)
            #expect(try await store.recentAlerts(limit: 1).count == 1)
        }
    }

    @Test("an HA duplicate (same alerts, no delivery key) stores nothing")
    func haDuplicate() async throws {
        try await Fixtures.withStore { store in
            _ = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("aa")])
            let again = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("aa")])
            #expect(again.duplicateDelivery && again.deliveryID == nil && again.duplicateAlerts == 1 && again.newAlertKeys.isEmpty)
            #expect(try await store.recentAlerts(limit: 10).count == 1)
        }
    }

    @Test("a group re-send with one new alert stores only the new one; the same alert twice in one delivery is stored once")
    func partialOverlap() async throws {
        try await Fixtures.withStore { store in
            _ = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("aa")])
            let receipt = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("aa"), Fixtures.alert("aa", .resolved)])
            #expect(receipt.newAlerts == 1 && receipt.duplicateAlerts == 1)
            #expect(receipt.newAlertKeys == [Fixtures.alert("aa", .resolved).idempotencyKey])
            #expect(try await store.recentAlerts(limit: 10).map(\.alert.status) == [.resolved, .firing])
            let twice = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("bb"), Fixtures.alert("bb")])
            #expect(twice.newAlerts == 1 && twice.duplicateAlerts == 1)
            #expect(try await store.recentAlerts(limit: 10).count == 3)
        }
    }

    @Test("a redelivery with the same key (SNS MessageId) stores nothing")
    func keyedDuplicate() async throws {
        try await Fixtures.withStore { store in
            let first = try await store.record(Fixtures.delivery(key: "sns:m-1"), alerts: [Fixtures.alert("aa")])
            #expect(first.deliveryID != nil && first.newAlerts == 1)
            let second = try await store.record(Fixtures.delivery(key: "sns:m-1"), alerts: [Fixtures.alert("bb")])
            #expect(second.duplicateDelivery && second.deliveryID == nil && second.duplicateAlerts == 1)
            #expect(try await store.recentAlerts(limit: 10).map(\.alert.fingerprint) == ["aa"], "nothing of the redelivery is stored")
            let empty = try await store.record(Fixtures.delivery(key: "sns:m-2"), alerts: [])
            #expect(empty.deliveryID != nil && !empty.duplicateDelivery, "a keyed delivery without alerts is still recorded")
        }
    }

    @Test("the same delivery recorded at once by two replicas is stored once, and only one of them reports it new")
    func concurrentReplicas() async throws {
        try await Fixtures.withStores(2) { stores in
            let alerts = [Fixtures.alert("aa"), Fixtures.alert("bb"), Fixtures.alert("cc")]
            let receipts = try await withThrowingTaskGroup(of: JournalReceipt.self) { group in
                for index in 0..<10 {
                    let store = stores[index % 2]
                    group.addTask { try await store.record(Fixtures.delivery(), alerts: alerts) }
                }
                return try await group.reduce(into: [JournalReceipt]()) { $0.append($1) }
            }
            let fresh = receipts.filter { $0.newAlerts > 0 }
            #expect(fresh.count == 1)
            #expect(fresh.first?.newAlertKeys == alerts.map(\.idempotencyKey))
            #expect(receipts.filter(\.duplicateDelivery).count == 9)
            #expect(try await stores[0].recentAlerts(limit: 10).count == 3)
        }
    }

    @Test("accepted alerts stay in the backlog until marked processed, oldest first")
    func backlog() async throws {
        try await Fixtures.withStore { store in
            _ = try await store.record(Fixtures.delivery(), alerts: [Fixtures.alert("aa"), Fixtures.alert("bb"), Fixtures.alert("cc")])
            #expect(try await store.unprocessedAlerts(limit: 10).map(\.fingerprint) == ["aa", "bb", "cc"])
            #expect(try await store.unprocessedAlerts(limit: 2).map(\.fingerprint) == ["aa", "bb"])
            try await store.markProcessed([Fixtures.alert("bb").idempotencyKey, "unknown"])
            try await store.markProcessed([])
            #expect(try await store.unprocessedAlerts(limit: 10).map(\.fingerprint) == ["aa", "cc"])
        }
    }

    @Test("checkWritable passes on a primary and fails, saying why, on a read-only database")
    func writable() async throws {
        let server = try await PostgresServer.shared()
        let url = try await server.createDatabase()
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { store in
            try await store.checkWritable()
        }
        let database = try #require(url.split(separator: "/").last?.split(separator: "?").first)
        try await server.psql("ALTER DATABASE \(database) SET default_transaction_read_only = on")
        try await PostgresStore.withConnected(url: url, logger: Fixtures.logger, operationTimeout: .seconds(60)) { readOnly in
            await #expect {
                try await readOnly.checkWritable()
            } throws: { error in
                guard case JournalError.unavailable(let message) = error else { return false }
                return message.contains("read-only")
            }
            await #expect(throws: JournalError.self) { _ = try await readOnly.record(Fixtures.delivery(), alerts: [Fixtures.alert("aa")]) }
        }
    }
}
