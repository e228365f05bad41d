import Foundation
import Metrics
import ResponderRuntime

extension ResponderMetrics {
    /// Records a reading of the disk under the journal (`responder_disk_free_bytes`, `responder_disk_size_bytes`);
    /// a reading that failed leaves the last values.
    public func diskSpace(_ reading: DiskReading) {
        guard let space = reading.space else { return }
        Gauge(label: "responder_disk_free_bytes", factory: factory).record(Double(space.freeBytes))
        Gauge(label: "responder_disk_size_bytes", factory: factory).record(Double(space.sizeBytes))
    }
}
