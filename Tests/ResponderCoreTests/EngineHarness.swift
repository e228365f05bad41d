import Foundation
import ResponderCore

/// Drives a RunEngine on a manual clock: every execute effect is completed at once (success unless told otherwise),
/// and every call is recorded with the virtual time it happened at.
struct EngineHarness {
    var engine = RunEngine(runs: [])
    var now = PlannerFixtures.now
    var calls: [(at: Date, run: String, step: Int, detail: String, snapshot: [String: String])] = []
    var notes: [String] = []
    var replicas: [String: Int] = [:]
    var results: [StepResult] = []
    /// When set, steps handed out stay running (no result yet), as with a slow executor.
    var holdResults = false
    let playbooks: PlaybookSet

    init(_ playbooks: PlaybookSet, replicas: [String: Int] = [:], settings: EngineSettings = EngineSettings()) {
        self.playbooks = playbooks
        self.replicas = replicas
        engine.settings = settings
    }

    mutating func send(_ event: EngineEvent) {
        EffectInterpreter.run(engine.handle(event, now: now), on: &self)
    }

    mutating func fire(_ alert: NormalizedAlert) {
        send(.alert(alert, playbooks: playbooks, replicas: replicas, autoscalerDesired: [:]))
    }

    /// Moves the clock forward in jumps to each due time (never past `until`), firing what is due.
    mutating func advance(by seconds: TimeInterval) {
        let until = now.addingTimeInterval(seconds)
        while let due = engine.nextDue, due <= until {
            now = max(now, due)
            send(.tick)
        }
        now = until
        send(.tick)
    }

    var onlyRun: Run? { engine.runs.values.count == 1 ? engine.runs.values.first : nil }

    func offsets(of runID: String) -> [Int] {
        calls.filter { $0.run == runID }.map { Int($0.at.timeIntervalSince(PlannerFixtures.now)) }
    }
}

extension EngineHarness: EffectHandler {
    mutating func notify(runID: String?, message: String) {
        notes.append(message)
    }

    /// Records the call, applies a scale to the harness's replica counts and answers success unless told otherwise.
    mutating func execute(runID: String, step: RunStep, snapshot: [String: String], dryRun: Bool) -> StepResult? {
        calls.append((now, runID, step.index, step.detail, snapshot))
        if case .action(.scale(let target, .to(let value))) = step.work { replicas[target] = value }
        if holdResults { return nil }
        return results.isEmpty ? StepResult.success(detail: step.detail, snapshot: [:]) : results.removeFirst()
    }

    mutating func finished(runID: String, step: Int, result: StepResult) -> [EngineEffect] {
        engine.handle(.stepFinished(runID: runID, step: step, result: result), now: now)
    }
}
