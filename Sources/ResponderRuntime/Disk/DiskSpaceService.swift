import Foundation
import ResponderCore
import ServiceLifecycle

/// Reads the disk under the journal at start and every ``interval`` until the service group shuts down, so `/readyz`,
/// `/metrics` and the log follow it without a request ever waiting for it.
public struct DiskSpaceService: Service {
    /// How often the disk is read.
    public static let interval: Duration = .seconds(5)
    let monitor: DiskSpaceMonitor
    let clock: any WallClock
    let onReading: @Sendable (DiskReading) -> Void

    /// A service reading `monitor`'s disk; `onReading` is given each reading (the metrics).
    public init(monitor: DiskSpaceMonitor, clock: any WallClock = SystemWallClock(),
                onReading: @escaping @Sendable (DiskReading) -> Void = { _ in }) {
        self.monitor = monitor
        self.clock = clock
        self.onReading = onReading
    }

    /// Reads the disk, then again every interval.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                onReading(monitor.refresh())
                try await clock.sleep(until: clock.now.advanced(by: Self.interval), tolerance: nil)
            }
        }
    }
}
