import Foundation
import ResponderCore

/// A run of a `queue-burst` emergency playbook on target `worker`, as the store tests (SQLite and PostgreSQL) save and
/// read back.
public enum RunSamples {
    /// 2026-01-01T00:00:00Z.
    public static let start = Date(timeIntervalSince1970: 1_767_225_600)

    /// The policy of the sample playbook: every gate and timing set, so a store that drops one is caught.
    public static let policy = RunPolicy(Playbook(
        name: "queue-burst", kind: .emergencyScale, match: Playbook.Match(matchers: []), actions: [],
        gates: Playbook.Gates(onRefire: .abort, onResolve: .continue, requireAck: true), cooldown: .seconds(600),
        dedupWindow: .seconds(120), missedDeadline: .waitForAck, location: FileLocation(file: "test.yaml", line: 1)
    ))

    /// A dry-run run `id` with `steps` (default: one step scaling worker to 9, due at `start`).
    public static func run(_ id: String, status: RunStatus = .active, startedAt: Date = start, endedAt: Date? = nil,
                           fingerprint: String = "fp-1", steps: [RunStep]) -> Run {
        var run = Run(
            id: id, playbook: "queue-burst", kind: .emergencyScale, targets: ["worker"], alertFingerprint: fingerprint,
            alertName: "QueueDepthHigh", status: status, startedAt: startedAt, steps: steps, dryRun: true, policy: policy
        )
        run.endedAt = endedAt
        return run
    }
}
