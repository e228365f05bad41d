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

    /// Step `index` doing `work`; ladder steps are anchored on the resolve.
    public static func step(_ index: Int, _ work: RunStep.Work, target: String? = nil, to: Int? = nil,
                            phase: Plan.Step.Phase = .actions, due: Date? = start) -> RunStep {
        RunStep(index: index, phase: phase, anchor: phase == .ladder ? .resolve : .now, offsetSeconds: index * 60, due: due,
                work: work, target: target, to: to, detail: "step \(index)")
    }

    /// A held run with every field set and a step of every kind of work (scale, autoscaler, env, annotate, HTTP,
    /// command, notify, ladder scale, restore), some of them done, waiting for an ack or running.
    public static func fullRun() -> Run {
        let at = start.addingTimeInterval(0.125)
        let http = Action.HTTPCall(method: "POST", url: "https://cache.internal/warm?d=${labels.deployment}",
                                   headers: ["Authorization": "Bearer secret"],
                                   json: .object([JSONMember(key: "alert", value: .string("${alert.fingerprint}"))]),
                                   timeout: .milliseconds(2500), expectStatus: [200, 204])
        let command = Action.CommandCall(argv: ["kubectl", "rollout", "restart", "deployment/{name}"], env: ["MODE": "fast"],
                                         params: ["name": .init(from: "labels.deployment", pattern: "k8s-name")], timeout: .seconds(30))
        var steps = [
            step(0, .action(.scale(target: "worker", change: .to(9))), target: "worker", to: 9),
            step(1, .action(.autoscaler(target: "worker", min: 9, max: 20)), target: "worker"),
            step(2, .action(.env(target: "worker", set: ["BATCH": "50"])), target: "worker"),
            step(3, .action(.annotate(target: "worker", object: .hpa, set: ["paused": "true", "old": nil])), target: "worker"),
            step(4, .action(.http(http))),
            step(5, .action(.command(command))),
            step(6, .action(.notify(message: "scaled ${labels.deployment}"))),
            step(7, .action(.scale(target: "worker", change: .to(3))), target: "worker", to: 3, phase: .ladder, due: nil),
            step(8, .restore, phase: .ladder, due: nil),
        ]
        steps[0].status = .done
        steps[0].attempts = 2
        steps[0].startedAt = at
        steps[0].finishedAt = at.addingTimeInterval(1)
        steps[0].outcome = "dry-run: scale worker to 9"
        steps[1].status = .waitingAck
        steps[1].acknowledged = true
        steps[2].status = .running
        steps[2].recheck = true
        var run = run("run-7", status: .held, startedAt: at, steps: steps)
        run.resolvedAt = at.addingTimeInterval(60)
        run.heldAt = at.addingTimeInterval(90)
        run.endedAt = at.addingTimeInterval(120)
        run.acknowledgedBy = "alice"
        run.snapshot = ["autoscaler:worker": "min 2, max 10", "env:worker:BATCH": "10"]
        run.history = [RunEvent(at: at, message: "started by alert QueueDepthHigh"), RunEvent(at: at.addingTimeInterval(90), message: "held by alice")]
        return run
    }
}
