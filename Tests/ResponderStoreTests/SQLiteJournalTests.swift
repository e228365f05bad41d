import Foundation
import ResponderTestSupport
import ResponderCore
import ResponderStore
import Testing

@Suite("SQLite journal")
struct SQLiteJournalTests {
    static func temporaryPath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("responder.sqlite").path
    }

    static func alert(_ fingerprint: String, _ status: AlertStatus = .firing, startsAt: String = "2026-01-01T00:00:00Z")
        -> NormalizedAlert
    {
        NormalizedAlert(
            source: .alertmanager, fingerprint: fingerprint, status: status,
            labels: ["alertname": "HighQueueDepth", "deployment": "worker; rm -rf /"],
            annotations: ["summary": "queue depth high"],
            startsAt: RFC3339.parse(startsAt), endsAt: nil, generatorURL: "http://prometheus/graph",
            groupKey: "{}:{}", receiver: "scaler",
            idempotencyKey: "alertmanager:\(fingerprint)|\(startsAt)|\(status.rawValue)"
        )
    }

    static func delivery(key: String? = nil, body: String = "{}") -> Delivery {
        Delivery(
            kind: key == nil ? .alertmanagerWebhook : .cloudwatchAlarm, idempotencyKey: key,
            receivedAt: Date(timeIntervalSince1970: 1_767_225_600), details: ["receiver": "scaler"], body: body
        )
    }

    @Test("a delivery and its alerts are stored and read back intact")
    func roundTrip() async throws {
        let journal = try SQLiteJournal(path: Self.temporaryPath())
        let receipt = try await journal.record(Self.delivery(body: "raw body"), alerts: [Self.alert("aa"), Self.alert("bb")])
        #expect(receipt.newAlerts == 2)
        #expect(receipt.duplicateAlerts == 0)
        #expect(!receipt.duplicateDelivery)
        let deliveryID = try #require(receipt.deliveryID)
        let alerts = try await journal.recentAlerts(limit: 10)
        #expect(alerts.map(\.alert.fingerprint) == ["bb", "aa"])
        #expect(alerts.allSatisfy { $0.deliveryID == deliveryID })
        #expect(alerts[1].alert == Self.alert("aa"))
        let deliveries = try await journal.recentDeliveries(limit: 10)
        #expect(deliveries.count == 1)
        #expect(deliveries[0].delivery.body == "raw body")
        #expect(deliveries[0].delivery.details == ["receiver": "scaler"])
    }

    @Test("an HA duplicate (same alerts, no delivery key) stores nothing")
    func haDuplicate() async throws {
        let journal = try SQLiteJournal(path: Self.temporaryPath())
        _ = try await journal.record(Self.delivery(), alerts: [Self.alert("aa")])
        let again = try await journal.record(Self.delivery(), alerts: [Self.alert("aa")])
        #expect(again.duplicateDelivery)
        #expect(again.deliveryID == nil)
        #expect(again.duplicateAlerts == 1)
        #expect(try await journal.recentAlerts(limit: 10).count == 1)
        #expect(try await journal.recentDeliveries(limit: 10).count == 1)
    }

    @Test("a group re-send with one new alert stores only the new one")
    func partialOverlap() async throws {
        let journal = try SQLiteJournal(path: Self.temporaryPath())
        _ = try await journal.record(Self.delivery(), alerts: [Self.alert("aa")])
        let receipt = try await journal.record(Self.delivery(), alerts: [Self.alert("aa"), Self.alert("aa", .resolved)])
        #expect(receipt.newAlerts == 1)
        #expect(receipt.duplicateAlerts == 1)
        let statuses = try await journal.recentAlerts(limit: 10).map(\.alert.status)
        #expect(statuses == [.resolved, .firing])
    }

    @Test("a redelivery with the same key (SNS MessageId) stores nothing")
    func keyedDuplicate() async throws {
        let journal = try SQLiteJournal(path: Self.temporaryPath())
        let first = try await journal.record(Self.delivery(key: "sns:m-1"), alerts: [])
        #expect(first.deliveryID != nil)
        let second = try await journal.record(Self.delivery(key: "sns:m-1"), alerts: [])
        #expect(second.duplicateDelivery)
        #expect(try await journal.recentDeliveries(limit: 10).count == 1)
    }

    @Test("the same alert twice in one delivery is stored once")
    func duplicateWithinDelivery() async throws {
        let journal = try SQLiteJournal(path: Self.temporaryPath())
        let receipt = try await journal.record(Self.delivery(), alerts: [Self.alert("aa"), Self.alert("aa")])
        #expect(receipt.newAlerts == 1)
        #expect(try await journal.recentAlerts(limit: 10).count == 1)
    }

    @Test("committed data survives closing and reopening the file")
    func durable() async throws {
        let path = Self.temporaryPath()
        do {
            let journal = try SQLiteJournal(path: path)
            _ = try await journal.record(Self.delivery(), alerts: [Self.alert("aa")])
        }
        let reopened = try SQLiteJournal(path: path)
        #expect(try await reopened.recentAlerts(limit: 10).map(\.alert.fingerprint) == ["aa"])
        let again = try await reopened.record(Self.delivery(), alerts: [Self.alert("aa")])
        #expect(again.duplicateDelivery, "idempotency survives a restart")
    }

    @Test("a write blocked by another process's lock fails as unavailable, and works once the lock is gone")
    func lockedIsUnavailable() async throws {
        let path = Self.temporaryPath()
        let journal = try SQLiteJournal(path: path, busyTimeout: 0.05)
        let lock = try SQLiteLockHolder(path: path)
        await #expect(throws: JournalError.self) {
            _ = try await journal.record(Self.delivery(), alerts: [Self.alert("aa")])
        }
        await #expect(throws: JournalError.self) { try await journal.checkWritable() }
        lock.unlock()
        try await journal.checkWritable()
        #expect(try await journal.record(Self.delivery(), alerts: [Self.alert("aa")]).newAlerts == 1)
    }

    @Test("a file that is not SQLite is reported as incompatible")
    func notSQLite() throws {
        let path = Self.temporaryPath()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteJournal(path: path)
        } throws: { error in
            guard case JournalError.incompatible = error else { return false }
            return true
        }
    }
}
