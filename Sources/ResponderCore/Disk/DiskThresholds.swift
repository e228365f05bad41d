import Foundation

/// When the disk under the SQLite journal counts as low or full (`disk:` in the configuration).
///
/// Low (a warning on `/readyz` and in the log, still ready) when free space is below either threshold; full (not
/// ready, deliveries fail and are answered 503) below ``fullBelowBytes``.
public struct DiskThresholds: Sendable, Equatable {
    /// Warn below this many free bytes (`disk.warn_free_bytes`); 0 turns this threshold off.
    public var warnFreeBytes = 256 << 20
    /// Warn below this percentage of the file system free (`disk.warn_free_percent`); 0 turns this threshold off.
    public var warnFreePercent = 10.0

    /// Allowed `disk.warn_free_bytes`: up to 1 PiB.
    public static let warnFreeBytesRange: ClosedRange<Int> = 0...(1 << 50)
    /// Allowed `disk.warn_free_percent`: a warning that is always on (100) would tell nothing.
    public static let warnFreePercentRange: ClosedRange<Double> = 0...90
    /// Below 1 MiB free the disk counts as full: a delivery (up to 1 MiB of body, kept with its alerts and plans) may
    /// not fit, and SQLite fails the write with `SQLITE_FULL`.
    public static let fullBelowBytes: UInt64 = 1 << 20

    /// The defaults: 256 MiB and 10% (on the 1 GiB volume of `deploy/kubernetes`, a warning at 75% used).
    public init() {}

    /// The level of `space` under these thresholds.
    public func level(of space: DiskSpace) -> DiskLevel {
        if space.freeBytes < Self.fullBelowBytes { return .full }
        if warnFreeBytes > 0, space.freeBytes < UInt64(warnFreeBytes) { return .low }
        if warnFreePercent > 0, space.freePercent < warnFreePercent { return .low }
        return .ok
    }

    /// Which threshold `space` is below, for messages: `below disk.warn_free_bytes (256 MiB)`; nil when neither.
    public func breached(by space: DiskSpace) -> String? {
        var reasons: [String] = []
        if warnFreeBytes > 0, space.freeBytes < UInt64(warnFreeBytes) {
            reasons.append("disk.warn_free_bytes (\(DiskSpace.mebibytes(UInt64(warnFreeBytes))))")
        }
        if warnFreePercent > 0, space.freePercent < warnFreePercent {
            reasons.append("disk.warn_free_percent (\(Self.percent(warnFreePercent))%)")
        }
        return reasons.isEmpty ? nil : "below " + reasons.joined(separator: " and ")
    }

    /// `10` or `2.5`.
    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// How full the disk under the journal is.
public enum DiskLevel: String, Sendable, Equatable {
    /// Above both warning thresholds.
    case ok
    /// Below a warning threshold: still takes deliveries.
    case low
    /// Below ``DiskThresholds/fullBelowBytes``: writes fail, deliveries are answered 503.
    case full
}
