import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import ResponderServer
import ResponderStore
import ResponderTestSupport
import Testing

@Suite("metrics: the store's size, its oldest records and what retention deleted")
struct StoreMetricsTests {
    @Test("a retention pass hands the store's footprint to the metrics; a scrape shows the size and the ages then")
    func footprintAfterPass() async throws {
        let folder = try TemporaryFolder("store-metrics")
        defer { folder.remove() }
        let journal = try SQLiteJournal(path: folder.path + "/responder.sqlite")
        let received = Date(timeIntervalSince1970: 1_767_225_600)
        _ = try await journal.record(Delivery(kind: .alertmanagerWebhook, idempotencyKey: nil, receivedAt: received, details: [:],
                                              body: "{}"), alerts: [])
        let metrics = ResponderMetrics()
        metrics.recordStore(now: received)
        #expect(!metrics.render().contains("responder_store_bytes"), "nothing before the first pass")
        let service = RetentionService(store: journal, policy: RetentionPolicy(), keepEnded: .seconds(86_400),
                                       clock: ManualClock(start: received.addingTimeInterval(60)), logger: Logger(label: "test"),
                                       onFootprint: { metrics.storeFootprint($0) })
        await service.pass()
        metrics.recordStore(now: received.addingTimeInterval(90))
        let text = metrics.render()
        let bytes = text.split(separator: "\n").first { $0.hasPrefix("responder_store_bytes ") }
        #expect((bytes?.split(separator: " ").last.flatMap { Double($0) } ?? 0) > 0, "\(bytes ?? "no responder_store_bytes")")
        #expect(text.contains(#"responder_store_oldest_record_seconds{kind="raw_bodies"} 90.0"#), "\(text)")
        #expect(text.contains(#"responder_store_oldest_record_seconds{kind="action_links"} 0.0"#), "none yet: 0")
    }

    @Test("deleted records are counted by kind; a kind nothing was deleted of shows 0")
    func deletedCounter() {
        let metrics = ResponderMetrics()
        metrics.retentionDeleted(.alerts, count: 3)
        metrics.retentionDeleted(.alerts, count: 2)
        metrics.retentionDeleted(.endedRuns, count: 0)
        let text = metrics.render()
        #expect(text.contains(#"responder_retention_deleted_total{kind="alerts"} 5"#), "\(text)")
        #expect(text.contains(#"responder_retention_deleted_total{kind="ended_runs"} 0"#), "every kind has a series from the start")
    }

    @Test("oldest-record ages are measured from the scrape's now")
    func ages() {
        let metrics = ResponderMetrics()
        let now = Date(timeIntervalSince1970: 1_000_000)
        metrics.storeFootprint(StoreFootprint(bytes: 4096, oldest: [.alerts: now.addingTimeInterval(-90)]))
        metrics.recordStore(now: now)
        #expect(metrics.render().contains(#"responder_store_oldest_record_seconds{kind="alerts"} 90.0"#))
        metrics.recordStore(now: now.addingTimeInterval(10))
        let text = metrics.render()
        #expect(text.contains("responder_store_bytes 4096.0"), "\(text)")
        #expect(text.contains(#"responder_store_oldest_record_seconds{kind="alerts"} 100.0"#))
        #expect(text.contains(#"responder_store_oldest_record_seconds{kind="raw_bodies"} 0.0"#))
    }
}
