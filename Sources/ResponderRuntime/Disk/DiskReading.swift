import Foundation
import ResponderCore

/// One look at the disk under the journal, and what `/readyz` says about it.
public struct DiskReading: Sendable, Equatable {
    /// The folder whose file system was read.
    public var folder: String
    /// The space, or nil when it could not be read.
    public var space: DiskSpace?
    /// Why the space could not be read.
    public var error: String?
    /// The level under the thresholds; ``DiskLevel/ok`` when the space could not be read (the journal's own checks
    /// still run).
    public var level: DiskLevel
    /// The threshold the space is below, when low.
    public var breached: String?
    /// When it was read.
    public var at: Date

    /// A reading of `result` under `thresholds`.
    public init(folder: String, result: Result<DiskSpace, DiskProbeError>, thresholds: DiskThresholds, at: Date) {
        self.folder = folder
        self.at = at
        switch result {
        case .success(let space):
            self.space = space
            level = thresholds.level(of: space)
            breached = thresholds.breached(by: space)
        case .failure(let error):
            self.error = error.description
            level = .ok
        }
    }

    /// Whether `/readyz` answers ready: not when the disk is full.
    public var ready: Bool { level != .full }

    /// The `disk` check of `/readyz`.
    public var check: String {
        guard let space else { return "warning: \(error ?? "cannot read the free space of \(folder)")" }
        switch level {
        case .ok:
            return "ok: \(space.summary) on \(folder)"
        case .low:
            return "warning: \(space.summary) on \(folder), \(breached ?? "below the warning threshold"); the journal "
                + "stops taking deliveries when the disk is full: free space or grow the volume"
        case .full:
            return "full: \(space.summary) on \(folder): deliveries are answered 503 (senders retry) until space is "
                + "freed; delete files on that file system or grow the volume, Responder resumes by itself"
        }
    }
}
