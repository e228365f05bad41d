import Foundation
import ResponderCore

/// `pauses`: the body of `POST /api/pause` checked into a pause, then ``StepGuard`` deciding a due step under that
/// pause and under limits and an action ledger built from the input's bytes (stored runs and rows are outside input:
/// counts and windows are not range-checked here, so the decision must not trap on any of them).
///
/// Invariants: an accepted pause has a reason, a known target (or none) and an expiry after now; a step a pause in
/// force covers is never let through; a step let through breaks no rate limit; a step told to wait for a window is told
/// a time after now (or the engine would loop).
public enum PausesTarget {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let targets: Set<String> = ["api", "web"]

    /// Bytes 0–7 shape the limits and the ledger (actions, window, targets per run, each ledger time); after a NUL,
    /// the JSON body.
    public static func run(_ bytes: [UInt8]) throws {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let shape = Array(bytes[..<split])
        let body = split < bytes.count ? Array(bytes[(split + 1)...]) : []
        var pauses: [Pause] = []
        switch PauseOrderRequest.decode(body).flatMap({ $0.request(now: now, targets: targets).mapError { $0 } }) {
        case .success(let request):
            guard !request.reason.isEmpty, request.reason.count <= PauseOrderRequest.maxReason else {
                throw FuzzInvariantViolation(target: "pauses", "a pause accepted without a usable reason")
            }
            if let target = request.target, !targets.contains(target) {
                throw FuzzInvariantViolation(target: "pauses", "a pause accepted on an unknown target")
            }
            if let until = request.until, until <= now {
                throw FuzzInvariantViolation(target: "pauses", "a pause accepted that has already expired")
            }
            pauses.append(Pause(id: "pause-1", request: request))
        case .failure(let problem):
            guard !problem.description.isEmpty else { throw FuzzInvariantViolation(target: "pauses", "a refusal that says nothing") }
        }
        try decide(shape, pauses: pauses)
    }

    /// Decides a ladder step of a run on api under `pauses` and limits shaped by `shape`.
    static func decide(_ shape: [UInt8], pauses: [Pause]) throws {
        func byte(_ index: Int) -> Int { shape.indices.contains(index) ? Int(shape[index]) : 0 }
        // Signed, zero and huge values on purpose: stored rows are not checked before this decision.
        let actions = byte(0) > 250 ? Int.max - byte(0) : byte(0) - 3
        let window = Duration.seconds(byte(1) > 250 ? Int64.max / 2 : Int64(byte(1)) * 97)
        let rate = ActionLimits.Rate(actions: actions, window: window)
        let limits = ActionLimits(perTarget: byte(2) & 1 == 0 ? rate : nil, total: byte(2) & 2 == 0 ? rate : nil,
                                  targetsPerRun: byte(2) & 4 == 0 ? byte(3) - 1 : nil, onLimit: byte(2) & 8 == 0 ? .wait : .hold)
        let ledger = shape.dropFirst(4).enumerated().map { offset, value in
            ActionRecord(runID: "run-\(offset % 3)", step: offset, playbook: "p", target: value & 1 == 0 ? "api" : "web",
                         at: now.addingTimeInterval(-Double(value) * 37), dryRun: value & 2 == 0)
        }
        let playbook = Playbook(name: "p", kind: .emergencyScale, match: .init(sources: [], matchers: []), actions: [],
                                location: FileLocation(file: "fuzz", line: 1))
        var run = Run(id: "run-7", playbook: "p", kind: .emergencyScale, targets: ["api"], alertFingerprint: "f", alertName: nil,
                      startedAt: now, steps: [], dryRun: false, policy: RunPolicy(playbook))
        var step = RunStep(index: 0, phase: .ladder, anchor: .resolve, offsetSeconds: 0, due: now,
                           work: .action(.scale(target: "api", change: .to(2))), target: "api", to: 2, detail: "replicas 5 -> 2")
        step.from = 5
        run.steps = [step]
        let verdict = StepGuard.decide(step, of: run, guardrails: Guardrails(pauses: pauses, actions: ledger), limits: limits, now: now)
        let covered = pauses.contains { $0.isActive(at: now) && $0.covers(step, of: run) }
        switch verdict {
        case .go:
            if covered { throw FuzzInvariantViolation(target: "pauses", "a step a pause covers was let through") }
            let counted = ledger.filter { !$0.dryRun && $0.at > now.addingTimeInterval(-window.timeInterval) }
            for (rate, times) in [(limits.perTarget, counted.filter { $0.target == "api" }), (limits.total, counted)] {
                if let rate, rate.actions >= 1, rate.actions <= ActionLimits.actions.upperBound, times.count >= rate.actions {
                    throw FuzzInvariantViolation(target: "pauses", "a step let through with \(times.count) actions in a window of \(rate.actions)")
                }
            }
        case .paused:
            if !covered { throw FuzzInvariantViolation(target: "pauses", "a step stopped by a pause that does not cover it") }
        case .overLimit(let hit):
            if let frees = hit.freesAt, frees <= now {
                throw FuzzInvariantViolation(target: "pauses", "a step told to wait until \(frees), which is not after now")
            }
        }
    }
}
