import Foundation
import ResponderCore

/// A completed emergency run built by hand, with steps done at known times: api 4 → 12 → 8 → 4, a load-check wait,
/// an acknowledgement, a hold by someone with a hostile name, a failed step and two undo steps.
enum ScalingReportSample {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func step(_ index: Int, _ phase: Plan.Step.Phase, _ work: RunStep.Work, target: String?, from: Int? = nil, to: Int? = nil,
                     status: StepStatus, finished: Double?, detail: String, outcome: String? = nil) -> RunStep {
        var step = RunStep(index: index, phase: phase, anchor: .now, offsetSeconds: 0, due: t0, work: work, target: target,
                           to: to, detail: detail)
        step.from = from
        step.status = status
        step.finishedAt = finished.map(at)
        step.startedAt = finished.map { at($0 - 1) }
        step.outcome = outcome
        step.attempts = finished == nil ? 0 : 1
        return step
    }

    static func run() -> Run {
        let playbook = Playbook(name: "queue-burst", kind: .emergencyScale, match: .init(matchers: []), actions: [],
                                location: FileLocation(file: "p.yaml", line: 1))
        var steps = [
            step(0, .actions, .action(.scale(target: "api", change: .to(12))), target: "api", from: 4, to: 12,
                 status: .done, finished: 60, detail: "replicas 4 -> 12", outcome: "scaled api to 12"),
            step(1, .actions, .action(.notify(message: "hi")), target: nil, status: .done, finished: 61, detail: "tell #ops"),
            step(2, .ladder, .action(.scale(target: "api", change: .to(8))), target: "api", from: 12, to: 8,
                 status: .done, finished: 3660, detail: "replicas 12 -> 8"),
            step(3, .ladder, .action(.scale(target: "api", change: .to(4))), target: "api", from: 8, to: 4,
                 status: .done, finished: 7260, detail: "replicas 8 -> 4"),
            step(4, .actions, .action(.scale(target: "worker", change: .to(6))), target: "worker", from: 2, to: 6,
                 status: .failed, finished: 62, detail: "replicas 2 -> 6", outcome: "boom | `rm -rf /`\n<!channel> *bold*"),
            step(5, .undo, .action(.autoscaler(target: "api", min: 4, max: 10)), target: "api", status: .failed, finished: 8990,
                 detail: "put back the HPA of api", outcome: "HPA api not found"),
            step(6, .undo, .restore, target: nil, status: .skipped, finished: 8995, detail: "restore", outcome: "nothing to restore"),
        ]
        steps[2].acknowledged = true
        var wait = RunStep.StepWait(since: at(600), last: GateWait(check: "queue_depth < 300", reason: "412 is not below 300",
                                                                   value: 412, recheck: .seconds(60), maxWait: .seconds(7200)))
        wait.until = at(3600)
        wait.checks = 12
        steps[2].wait = wait
        steps[5].undoes = 0
        var run = Run(id: "run-7", playbook: "queue-burst", kind: .emergencyScale, targets: ["api", "worker"],
                      alertFingerprint: "fp", alertName: "QueueDepthHigh", status: .completed, startedAt: t0, steps: steps,
                      dryRun: false, policy: RunPolicy(playbook))
        run.endedAt = at(9000)
        run.acknowledgedBy = "alice"
        run.history = [
            RunEvent(at: t0, message: "started by alert QueueDepthHigh (playbook queue-burst, emergency-scale)"),
            RunEvent(at: at(3000), message: "acknowledged by alice"),
            RunEvent(at: at(3100), message: "held by bob|evil`: no step fires until resumed"),
            RunEvent(at: at(3200), message: "resumed by bob|evil`; remaining steps moved 1m40s later"),
            RunEvent(at: at(3300), message: "held: step 2 waited 2h for queue_depth < 300 (x)"),
        ]
        return run
    }
}
