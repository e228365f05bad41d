import Foundation
import ResponderCore
import Testing

@Suite("undo steps: once when a run ends, for any reason, in reverse, only for what succeeded")
struct RunEngineUndoTests {
    typealias F = PlannerFixtures

    static let targets = [F.target("api", floor: 2, ceiling: 10)]

    static func call(_ path: String) -> Action {
        .http(Action.HTTPCall(method: "POST", url: "https://admin.example/\(path)"))
    }

    /// Queueing, caching, scale; queueing and caching have undos; one cleanup.
    static func playbook(onRefire: Playbook.RefirePolicy = .reEscalate) -> Playbook {
        var playbook = F.playbook(
            "spike", kind: .emergencyScale, alertname: "TrafficSpike",
            actions: [call("queue/on"), call("cache/on"), .scale(target: "api", change: .toMax)],
            ladder: .init(hold: .seconds(600), every: .seconds(600), levels: [("api", [.replicas(5), .floor])]),
            gates: .init(onRefire: onRefire)
        )
        playbook.undo = [
            Playbook.Undo(undoes: 0, action: call("queue/reset")),
            Playbook.Undo(undoes: 1, action: call("cache/reset")),
            Playbook.Undo(undoes: nil, action: call("report")),
        ]
        return playbook
    }

    static func urls(_ h: EngineHarness) -> [String] {
        h.calls.map(\.detail).map { $0.replacingOccurrences(of: "POST https://admin.example/", with: "") }
    }

    @Test("a completed ladder is followed by the undo steps in reverse order, then the cleanup, each once")
    func afterCompletion() throws {
        var h = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun).id
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 1200)
        #expect(Self.urls(h) == ["queue/on", "cache/on", "replicas 2 -> 10", "replicas 10 -> 5", "replicas 5 -> 2",
                                 "undo step 1: cache/reset", "undo step 0: queue/reset", "cleanup: report"])
        let run = try #require(h.engine.runs[id])
        #expect(run.status == .completed && run.closing == .completed)
        h.advance(by: 86_400)
        #expect(h.calls.count == 8, "undo steps run once")
        #expect(h.notes.contains { $0.contains("undo finished: 3 done") })
    }

    @Test("an abort, a preemption and a failure all run the undo steps")
    func everyEnding() throws {
        // Abort.
        var h = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun).id
        _ = try h.engine.apply(.abort, to: id, actor: "alice", now: h.now)
        h.send(.tick)
        #expect(Self.urls(h).suffix(3) == ["undo step 1: cache/reset", "undo step 0: queue/reset", "cleanup: report"])
        #expect(h.engine.runs[id]?.status == .aborted)

        // Failure of the scale step: queue and cache succeeded, so both are undone.
        var failing = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2])
        failing.results = [.success(detail: "queue/on", snapshot: [:]), .success(detail: "cache/on", snapshot: [:]),
                           .permanent("403 forbidden")]
        failing.fire(F.alert("TrafficSpike"))
        let failed = try #require(failing.onlyRun)
        #expect(failed.status == .failed)
        #expect(Self.urls(failing).suffix(3) == ["undo step 1: cache/reset", "undo step 0: queue/reset", "cleanup: report"])
    }

    @Test("an action that never succeeded is not undone; a failing undo is reported and the others still run")
    func onlyWhatSucceeded() throws {
        var h = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2],
                              settings: EngineSettings(maxAttempts: 1))
        // queue/on fails for good: the run fails at once, cache/on never ran.
        h.results = [.permanent("500"), .permanent("undo refused")]
        h.fire(F.alert("TrafficSpike"))
        let run = try #require(h.onlyRun)
        #expect(Self.urls(h) == ["queue/on", "cleanup: report"])
        #expect(run.status == .failed)
        let undo = run.steps.filter { $0.phase == .undo }
        #expect(undo.map(\.status) == [.skipped, .skipped, .failed])
        #expect(h.notes.contains { $0.contains("undo step") && $0.contains("FAILED: undo refused") })

        var second = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2],
                                   settings: EngineSettings(maxAttempts: 1))
        second.results = [.success(detail: "queue/on", snapshot: [:]), .success(detail: "cache/on", snapshot: [:]),
                          .permanent("403"), .permanent("cache reset refused")]
        second.fire(F.alert("TrafficSpike"))
        #expect(Self.urls(second).suffix(3) == ["undo step 1: cache/reset", "undo step 0: queue/reset", "cleanup: report"],
                "the queue reset still runs after the cache reset failed")
        #expect(second.onlyRun?.steps.filter { $0.phase == .undo }.map(\.status) == [.failed, .done, .done])
    }

    @Test("an action still running when the run is aborted: its undo waits for it, and runs only if it succeeded")
    func runningAtClose() throws {
        var engine = RunEngine(runs: [])
        let playbooks = F.set([Self.playbook()], targets: Self.targets)
        let now = F.now
        var effects = engine.handle(.alert(F.alert("TrafficSpike"), playbooks: playbooks, replicas: ["api": 2], autoscalerDesired: [:]), now: now)
        guard case .execute(let id, let first, _, _)? = effects.first(where: { if case .execute = $0 { true } else { false } }) else {
            Issue.record("no step handed out")
            return
        }
        // queue/on is in flight; a person aborts.
        effects = try engine.apply(.abort, to: id, actor: "bob", now: now)
        effects += engine.handle(.tick, now: now)
        let handedOut = effects.compactMap { effect -> String? in
            if case .execute(_, let step, _, _) = effect { return step.detail }
            return nil
        }
        #expect(handedOut == [], "the cleanup waits behind the step in flight")
        effects = engine.handle(.stepFinished(runID: id, step: first.index, result: .success(detail: "on", snapshot: [:])), now: now)
        var details: [String] = []
        var pending = effects
        while let effect = pending.first {
            pending.removeFirst()
            if case .execute(_, let step, _, _) = effect {
                details.append(step.detail)
                pending += engine.handle(.stepFinished(runID: id, step: step.index, result: .success(detail: "ok", snapshot: [:])), now: now)
            }
        }
        #expect(details.map { $0.replacingOccurrences(of: "POST https://admin.example/", with: "") }
                == ["undo step 0: queue/reset", "cleanup: report"])
        #expect(engine.runs[id]?.status == .aborted)
        #expect(engine.runs[id]?.steps[1].status == .cancelled, "cache/on never ran")
    }

    @Test("a closing run owns nothing: a new alert starts its own run while the undo steps finish")
    func closingOwnsNothing() throws {
        var engine = RunEngine(runs: [])
        let playbooks = F.set([Self.playbook()], targets: Self.targets)
        var h = EngineHarness(playbooks, replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun).id
        // Abort, but keep the first undo step in flight.
        engine = h.engine
        _ = try engine.apply(.abort, to: id, actor: "bob", now: h.now)
        _ = engine.handle(.tick, now: h.now)
        #expect(engine.runs[id]?.isOpen == true && engine.runs[id]?.isLive == false)
        let later = h.now.addingTimeInterval(5)
        var other = F.alert("TrafficSpike", labels: ["instance": "b"])
        other.fingerprint = "00bb"
        _ = engine.handle(.alert(other, playbooks: playbooks, replicas: ["api": 10], autoscalerDesired: [:]), now: later)
        #expect(engine.runs.count == 2, "a second incident is not joined to a run that is only undoing")
    }

    @Test("undo steps survive a restart: a closing run restored from the store finishes its undo")
    func restart() throws {
        var h = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun).id
        var engine = h.engine
        let effects = try engine.apply(.abort, to: id, actor: "bob", now: h.now) + engine.handle(.tick, now: h.now)
        #expect(effects.contains { if case .execute = $0 { true } else { false } })
        // The process dies with the first undo step running; the run is read back from the store.
        let stored = try #require(engine.drainChanged().first { $0.id == id })
        let data = try JSONEncoder().encode(stored)
        let decoded = try JSONDecoder().decode(Run.self, from: data)
        var restored = RunEngine(runs: [decoded])
        let again = restored.handle(.tick, now: h.now.addingTimeInterval(60))
        let steps = again.compactMap { effect -> RunStep? in
            if case .execute(_, let step, _, _) = effect { return step }
            return nil
        }
        #expect(steps.map(\.phase) == [.undo])
        #expect(steps.first?.recheck == true, "the undo in flight is handed out again, marked as a re-check")
        #expect(steps.first?.index == stored.steps.first { $0.status == .running }?.index)
    }
}

extension RunEngineUndoTests {
    @Test("an action in flight when a closing run's process died is not sent again at restart: its undo runs")
    func actionInFlightAtRestart() throws {
        var engine = RunEngine(runs: [])
        let playbooks = F.set([Self.playbook()], targets: Self.targets)
        let effects = engine.handle(.alert(F.alert("TrafficSpike"), playbooks: playbooks, replicas: ["api": 2], autoscalerDesired: [:]), now: F.now)
        guard case .execute(let id, _, _, _)? = effects.first(where: { if case .execute = $0 { true } else { false } }) else {
            Issue.record("no step handed out")
            return
        }
        _ = try engine.apply(.abort, to: id, actor: "bob", now: F.now)
        let stored = try #require(engine.drainChanged().first { $0.id == id })
        #expect(stored.closing == .aborted && stored.steps[0].status == .running)
        var restored = RunEngine(runs: [stored])
        let handed = restored.handle(.tick, now: F.now.addingTimeInterval(30)).compactMap { effect -> RunStep? in
            if case .execute(_, let step, _, _) = effect { return step }
            return nil
        }
        #expect(handed.map(\.phase) == [.undo])
        #expect(handed.first?.undoes == 0, "queue/on's reset runs, queue/on is not repeated")
        #expect(restored.runs[id]?.steps[0].status == .cancelled)
    }
}
