import Foundation

/// How long each kind of record is kept, and how retention deletes: a pure policy, with the cutoffs it gives at `now`.
///
/// What is never deleted, whatever the settings: an open run and its alerts and plans, alerts not yet handed to the
/// engine, notifications not yet sent (and their runs), runs ended within the engine's keep window (cooldowns and
/// dedup windows after a restart read them), the highest-numbered run (numbers are never reused), each target's last
/// recorded dry-run scale, and the newest firing alert of each fingerprint (Alertmanager re-sends a firing alert with
/// the same idempotency key every `repeat_interval` for as long as it fires).
public struct RetentionPolicy: Sendable, Equatable {
    /// How long a delivery keeps its raw body.
    public var rawBodies: Duration = .seconds(7 * day)
    /// How long alerts and their plans are kept.
    public var alerts: Duration = .seconds(30 * day)
    /// How long ended runs (with executor calls and sent notifications) are kept.
    public var endedRuns: Duration = .seconds(90 * day)
    /// How long used action-link nonces are kept; at least the links' lifetime (`links.ttl_seconds`).
    public var actionLinks: Duration = .seconds(30 * day)
    /// How long a delivery's idempotency key is kept. SNS stamps each message with its publish time and re-sends it
    /// unchanged, and a message older than `sns.max_message_age_seconds` (at most a day) is refused before any
    /// look-up, so a key only has to outlive that; 30 days also outlives SNS's longest documented retry (about 23 days).
    public var deliveryKeys: Duration = .seconds(30 * day)
    /// Records deleted per batch (one short write transaction each).
    public var batch = 500
    /// Time between two passes.
    public var interval: Duration = .seconds(60)

    /// Seconds in a day.
    public static let day: Int64 = 86_400
    /// Longest keep of any kind (the longest playbook duration).
    public static let longest: Duration = Limits.duration.upperBound
    /// Allowed batch sizes.
    public static let batchRange: ClosedRange<Int> = 1...10_000
    /// Allowed intervals between passes.
    public static let intervalRange: ClosedRange<Duration> = .seconds(1) ... .seconds(day)

    /// The default policy.
    public init() {}

    /// The shortest keep allowed for `kind`: a day for what correctness reads back (alerts, delivery keys, ended runs
    /// behind the engine's keep window), an hour for what only people read (raw bodies) or what a longer setting
    /// guards (action links, checked against the links' lifetime by the configuration).
    public static func minimum(_ kind: RetentionKind) -> Duration {
        switch kind {
        case .rawBodies, .actionLinks: return .seconds(3_600)
        case .alerts, .endedRuns, .deliveryKeys: return .seconds(day)
        }
    }

    /// The allowed keeps of `kind`.
    public static func range(_ kind: RetentionKind) -> ClosedRange<Duration> {
        minimum(kind) ... longest
    }

    /// How long `kind` is kept.
    public func keep(_ kind: RetentionKind) -> Duration {
        switch kind {
        case .rawBodies: return rawBodies
        case .alerts: return alerts
        case .endedRuns: return endedRuns
        case .actionLinks: return actionLinks
        case .deliveryKeys: return deliveryKeys
        }
    }

    /// Sets how long `kind` is kept.
    public mutating func setKeep(_ kind: RetentionKind, _ keep: Duration) {
        switch kind {
        case .rawBodies: rawBodies = keep
        case .alerts: alerts = keep
        case .endedRuns: endedRuns = keep
        case .actionLinks: actionLinks = keep
        case .deliveryKeys: deliveryKeys = keep
        }
    }

    /// Records of `kind` written before this date may go. Ended runs are never cut inside `keepEnded`, the window the
    /// engine reloads at start-up for cooldowns and dedup windows, whatever the setting says.
    public func cutoff(_ kind: RetentionKind, now: Date, keepEnded: Duration) -> Date {
        let keep = kind == .endedRuns ? max(keep(kind), keepEnded) : keep(kind)
        return now.addingTimeInterval(-keep.timeInterval)
    }
}
