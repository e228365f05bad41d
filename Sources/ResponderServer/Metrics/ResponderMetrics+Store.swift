import Foundation
import Metrics
import ResponderCore

extension ResponderMetrics {
    /// Counts records retention deleted, by kind (`responder_retention_deleted_total{kind}`).
    public func retentionDeleted(_ kind: RetentionKind, count: Int) {
        guard count > 0 else { return }
        Counter(label: "responder_retention_deleted_total", dimensions: [("kind", kind.rawValue)], factory: factory)
            .increment(by: count)
    }

    /// Keeps the store's footprint for the next scrapes (retention reads it after each pass).
    public func storeFootprint(_ footprint: StoreFootprint) {
        self.footprint.withLockedValue { $0 = footprint }
    }

    /// Records the last footprint's size (`responder_store_bytes`) and the age at `now` of the oldest record of each
    /// kind (`responder_store_oldest_record_seconds{kind}`, 0 when there is none, so every kind has a series); nothing
    /// before the first footprint.
    public func recordStore(now: Date) {
        guard let footprint = footprint.withLockedValue({ $0 }) else { return }
        if let bytes = footprint.bytes {
            Gauge(label: "responder_store_bytes", factory: factory).record(Double(bytes))
        }
        for kind in RetentionKind.allCases {
            let age = footprint.oldest[kind].map { max(0, now.timeIntervalSince($0)) } ?? 0
            Gauge(label: "responder_store_oldest_record_seconds", dimensions: [("kind", kind.rawValue)], factory: factory)
                .record(age)
        }
    }
}
