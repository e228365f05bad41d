import Foundation
import Logging
import ResponderCore
import ResponderRuntime
import Synchronization
import Testing

/// The levels of the disk under the journal and what the monitor logs: one line per change of level, never one per
/// reading, and `/readyz`'s reading at most once a second.
@Suite("disk space: thresholds and the monitor")
struct DiskSpaceMonitorTests {
    /// One MiB.
    static let mib: UInt64 = 1 << 20

    @Test("low below either threshold, full below 1 MiB, a threshold of 0 is off")
    func levels() {
        let thresholds = DiskThresholds()
        #expect(thresholds.level(of: DiskSpace(freeBytes: 300 * Self.mib, sizeBytes: 1024 * Self.mib)) == .ok)
        #expect(thresholds.level(of: DiskSpace(freeBytes: 250 * Self.mib, sizeBytes: 1024 * Self.mib)) == .low, "below 256 MiB")
        #expect(thresholds.level(of: DiskSpace(freeBytes: 900 * Self.mib, sizeBytes: 10_240 * Self.mib)) == .low, "below 10%")
        #expect(thresholds.level(of: DiskSpace(freeBytes: Self.mib - 1, sizeBytes: 1024 * Self.mib)) == .full)
        #expect(thresholds.level(of: DiskSpace(freeBytes: 0, sizeBytes: 0)) == .full)
        var off = DiskThresholds()
        off.warnFreeBytes = 0
        off.warnFreePercent = 0
        #expect(off.level(of: DiskSpace(freeBytes: 2 * Self.mib, sizeBytes: 1024 * Self.mib)) == .ok)
        #expect(off.level(of: DiskSpace(freeBytes: 0, sizeBytes: 1024 * Self.mib)) == .full, "full is not a setting")
        let both = thresholds.breached(by: DiskSpace(freeBytes: 50 * Self.mib, sizeBytes: 1024 * Self.mib))
        #expect(both == "below disk.warn_free_bytes (256 MiB) and disk.warn_free_percent (10%)")
    }

    @Test("the check text of each level names the folder, the space and what to do")
    func checks() {
        let thresholds = DiskThresholds()
        let at = Date(timeIntervalSince1970: 0)
        func check(_ free: UInt64) -> DiskReading {
            DiskReading(folder: "/var/lib/responder", result: .success(DiskSpace(freeBytes: free, sizeBytes: 1024 * Self.mib)),
                        thresholds: thresholds, at: at)
        }
        #expect(check(800 * Self.mib).check == "ok: 800 MiB free of 1024 MiB (78%) on /var/lib/responder")
        let low = check(3 * Self.mib + Self.mib / 2)
        #expect(low.ready && low.check.hasPrefix("warning: 3.5 MiB free of 1024 MiB (0%) on /var/lib/responder, below"))
        #expect(low.check.contains("the journal stops taking deliveries when the disk is full"))
        let full = check(0)
        #expect(!full.ready && full.check.hasPrefix("full: 0 MiB free of 1024 MiB (0%) on /var/lib/responder"))
        #expect(full.check.contains("answered 503") && full.check.contains("resumes by itself"))
        let unreadable = DiskReading(folder: "/gone", result: .failure(DiskProbeError(folder: "/gone", reason: "No such file or directory")),
                                     thresholds: thresholds, at: at)
        #expect(unreadable.ready && unreadable.check == "warning: cannot read the free space of /gone: No such file or directory")
    }

    @Test("one log line per change of level; readyz reads the disk at most once a second")
    func transitions() throws {
        let free = Mutex<UInt64>(2048 * Self.mib)
        let reads = Mutex(0)
        let lines = RecordedLog()
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_000))
        let monitor = DiskSpaceMonitor(folder: "/state", thresholds: DiskThresholds(), clock: clock,
                                       logger: Logger(label: "disk") { _ in RecordingLogHandler(log: lines) }) { _ throws(DiskProbeError) in
            reads.withLock { $0 += 1 }
            return DiskSpace(freeBytes: free.withLock { $0 }, sizeBytes: 4096 * Self.mib)
        }
        monitor.refresh()
        #expect(lines.entries.isEmpty, "a healthy disk at start says nothing at info")
        free.withLock { $0 = 100 * Self.mib }
        monitor.refresh()
        monitor.refresh()
        free.withLock { $0 = 0 }
        monitor.refresh()
        monitor.refresh()
        free.withLock { $0 = 50 * Self.mib }
        monitor.refresh()
        free.withLock { $0 = 3000 * Self.mib }
        monitor.refresh()
        monitor.refresh()
        let logged = lines.entries
        #expect(logged.map(\.level) == [.warning, .error, .warning, .info], "\(logged.map(\.message))")
        #expect(logged[0].message.contains("disk space under the journal is low: 100 MiB free of 4096 MiB (2%) on /state"))
        #expect(logged[1].message.contains("the disk holding the journal is full"))
        #expect(logged[2].message.contains("no longer full"))
        #expect(logged[3].message.contains("back above the warning thresholds"))

        let before = reads.withLock { $0 }
        _ = monitor.reading(maxAge: .seconds(1))
        #expect(reads.withLock { $0 } == before, "the last reading is younger than a second")
        clock.advance(by: .milliseconds(1_500))
        _ = monitor.reading(maxAge: .seconds(1))
        #expect(reads.withLock { $0 } == before + 1)
    }
}

/// Log lines kept in memory.
final class RecordedLog: Sendable {
    /// One line.
    struct Entry: Sendable {
        /// Its level.
        var level: Logger.Level
        /// Its message.
        var message: String
    }

    private let lines = Mutex<[Entry]>([])

    /// Every line so far.
    var entries: [Entry] { lines.withLock { $0 } }

    /// Keeps a line.
    func append(_ entry: Entry) { lines.withLock { $0.append(entry) } }
}

/// A log handler writing into a ``RecordedLog`` at `info` and above.
struct RecordingLogHandler: LogHandler {
    /// Where the lines go.
    let log: RecordedLog
    /// Metadata set on the logger.
    var metadata: Logger.Metadata = [:]
    /// The lowest level kept.
    var logLevel: Logger.Level = .info

    /// One metadata value.
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Keeps the line.
    func log(event: LogEvent) {
        log.append(RecordedLog.Entry(level: event.level, message: event.message.description))
    }
}
