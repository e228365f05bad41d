import Foundation
import Logging
import ResponderCore
import Synchronization

/// Watches the free space of the file system under the SQLite journal: keeps the last reading for `/readyz` and
/// `/metrics`, and logs when the level changes (a warning when space runs low, an error when the disk is full, a
/// notice on the way back, an info line once it is above the thresholds again), never once per request.
public final class DiskSpaceMonitor: Sendable {
    /// The folder holding the database file.
    public let folder: String
    /// When the disk counts as low or full.
    public let thresholds: DiskThresholds
    private let probe: @Sendable (String) throws(DiskProbeError) -> DiskSpace
    private let clock: any WallClock
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var last: DiskReading?
        /// What the log last said: the level, or nil before the first reading; an unreadable disk is its own state.
        var logged: Logged?
    }

    private enum Logged: Equatable {
        case level(DiskLevel)
        case unreadable
    }

    /// A monitor of `folder`'s file system; `probe` reads it (``DiskProbe/read(_:)`` unless a test gives another).
    public init(folder: String, thresholds: DiskThresholds, clock: any WallClock = SystemWallClock(), logger: Logger,
                probe: @escaping @Sendable (String) throws(DiskProbeError) -> DiskSpace = DiskProbe.read) {
        self.folder = folder
        self.thresholds = thresholds
        self.clock = clock
        self.logger = logger
        self.probe = probe
    }

    /// The last reading, without reading the disk; nil before the first.
    public var last: DiskReading? {
        state.withLock { $0.last }
    }

    /// The last reading if it is younger than `maxAge`, else a new one: `/readyz` reads the disk at most that often.
    public func reading(maxAge: Duration) -> DiskReading {
        let now = clock.now.date
        if let last, now.timeIntervalSince(last.at) < maxAge.timeInterval, now >= last.at { return last }
        return refresh()
    }

    /// Reads the disk now, keeps the reading and logs a change of level.
    @discardableResult
    public func refresh() -> DiskReading {
        let result: Result<DiskSpace, DiskProbeError>
        do throws(DiskProbeError) { result = .success(try probe(folder)) } catch { result = .failure(error) }
        let reading = DiskReading(folder: folder, result: result, thresholds: thresholds, at: clock.now.date)
        let now: Logged = reading.space == nil ? .unreadable : .level(reading.level)
        let before = state.withLock { state -> Logged? in
            let before = state.logged
            state.last = reading
            state.logged = now
            return before
        }
        if before != now { log(reading, from: before) }
        return reading
    }

    private func log(_ reading: DiskReading, from before: Logged?) {
        var metadata: Logger.Metadata = ["folder": "\(folder)"]
        if let space = reading.space {
            metadata["free_bytes"] = "\(space.freeBytes)"
            metadata["size_bytes"] = "\(space.sizeBytes)"
        }
        let summary = reading.space.map { "\($0.summary) on \(folder)" } ?? folder
        let threshold = reading.breached ?? "below the warning threshold"
        switch (before, reading.space == nil ? nil : reading.level) {
        case (_, nil):
            logger.warning("cannot read the free space under the journal; the disk is not watched until it can be",
                           metadata: metadata.merging(["error": "\(reading.error ?? "")"]) { $1 })
        case (_, .full?):
            let message = "the disk holding the journal is full: \(summary); deliveries are answered 503 (senders "
                + "retry) until space is freed: delete files on it or grow the volume, Responder resumes by itself"
            logger.error("\(message)", metadata: metadata)
        case (.level(.full)?, .low?):
            let message = "the disk holding the journal is no longer full: \(summary), still \(threshold); deliveries "
                + "are taken again"
            logger.warning("\(message)", metadata: metadata)
        case (_, .low?):
            let message = "disk space under the journal is low: \(summary), \(threshold); the journal stops taking "
                + "deliveries when the disk is full: free space or grow the volume"
            logger.warning("\(message)", metadata: metadata)
        case (nil, .ok?):
            logger.debug("disk space under the journal: \(summary)", metadata: metadata)
        case (_, .ok?):
            logger.info("disk space under the journal is back above the warning thresholds: \(summary)", metadata: metadata)
        }
    }
}
