import Foundation
import ResponderCore
import Testing

@Suite("run engine on a manual clock")
struct RunEngineTests {
    typealias F = PlannerFixtures

    static let targets = [F.target("api", floor: 2, ceiling: 10), F.target("worker", floor: 2, ceiling: 20)]

    static func emergency(onRefire: Playbook.RefirePolicy = .reEscalate, requireAck: Bool = false,
                          missed: Playbook.MissedDeadlinePolicy = .fire, cooldown: Duration = .zero) -> Playbook {
        var playbook = F.playbook(
            "spike", kind: .emergencyScale, alertname: "TrafficSpike",
            actions: [.scale(target: "api", change: .toMax), .autoscaler(target: "api", min: 10, max: 10)],
            ladder: .init(hold: .seconds(600), every: .seconds(1800), levels: [("api", [.replicas(5), .replicas(3)])], restore: true),
            gates: .init(onRefire: onRefire, requireAck: requireAck)
        )
        playbook.missedDeadline = missed
        playbook.cooldown = cooldown
        return playbook
    }

    static let scaleDown = F.playbook(
        "idle", kind: .scaleDown, alertname: "Idle", actions: [],
        ladder: .init(every: .seconds(300), levels: [("api", [.replicas(8), .replicas(5), .replicas(3)])])
    )

    @Test("the ladder fires at resolve + hold and then every interval, never early, each step once, then restores")
    func ladderTiming() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let run = try #require(h.onlyRun)
        #expect(h.calls.map(\.detail) == ["replicas 2 -> 10", "HPA ? min 10, max 10"])
        h.advance(by: 3600)
        #expect(h.calls.count == 2, "nothing steps down while the alert fires")
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 599)
        #expect(h.calls.count == 2, "not before resolve + hold")
        h.advance(by: 1)
        #expect(h.calls.count == 3)
        h.advance(by: 1800 + 1800)
        #expect(h.offsets(of: run.id) == [0, 0, 3600 + 600, 3600 + 2400, 3600 + 2400])
        #expect(h.calls.suffix(3).map(\.detail) == ["replicas 10 -> 5", "replicas 5 -> 3", "restore snapshotted values: autoscaler min/max of api"])
        #expect(h.engine.runs[run.id]?.status == .completed)
        #expect(h.replicas["api"] == 3)
    }

    @Test("with forceDryRun (the server's executors.dry_run) every run is dry-run and its steps are handed out as such")
    func forcedDryRun() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2],
                              settings: EngineSettings(forceDryRun: true))
        var dryRunFlags: [Bool] = []
        for effect in h.engine.handle(.alert(F.alert("TrafficSpike"), playbooks: h.playbooks, replicas: h.replicas, autoscalerDesired: [:]), now: h.now) {
            if case .execute(_, _, _, let dryRun) = effect { dryRunFlags.append(dryRun) }
        }
        #expect(try #require(h.onlyRun).dryRun)
        #expect(!dryRunFlags.isEmpty && dryRunFlags.allSatisfy { $0 })
    }

    @Test("a re-fire during the ladder aborts it when the playbook says abort")
    func refireAbort() throws {
        var h = EngineHarness(F.set([Self.emergency(onRefire: .abort)], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 700)
        #expect(h.replicas["api"] == 5)
        h.fire(F.alert("TrafficSpike"))
        h.advance(by: 86_400)
        let run = try #require(h.onlyRun)
        #expect(run.status == .aborted)
        #expect(h.replicas["api"] == 5, "stays where it was when the alert came back")
        #expect(run.steps.filter { $0.status == .cancelled }.count == 2)
    }

    @Test("a re-fire during the ladder re-escalates by default and waits for the next resolve")
    func refireReEscalate() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 700)
        #expect(h.replicas["api"] == 5)
        h.fire(F.alert("TrafficSpike"))
        #expect(h.replicas["api"] == 10, "back up at once")
        h.advance(by: 86_400)
        #expect(h.replicas["api"] == 10, "no step-down until it resolves again")
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 86_400)
        #expect(h.replicas["api"] == 3)
        #expect(h.onlyRun?.status == .completed)
    }

    @Test("one run per alert and per target: a second firing joins, never starts a parallel run")
    func join() throws {
        let other = F.playbook("cpu", kind: .emergencyScale, alertname: "CPUHigh", actions: [.scale(target: "api", change: .by(2))])
        var h = EngineHarness(F.set([Self.emergency(), other], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("CPUHigh"))
        #expect(h.engine.runs.count == 1)
        #expect(h.calls.count == 2, "the joining alerts executed nothing")
        #expect(h.onlyRun?.history.contains { $0.message.contains("CPUHigh (playbook cpu) joined") } == true)
    }

    @Test("an emergency preempts a pending step-down on the same target; its timers are cancelled and recorded")
    func preemption() throws {
        var h = EngineHarness(F.set([Self.scaleDown, Self.emergency()], targets: Self.targets), replicas: ["api": 9])
        h.fire(F.alert("Idle"))
        #expect(h.replicas["api"] == 8)
        h.advance(by: 100)
        h.fire(F.alert("TrafficSpike"))
        #expect(h.replicas["api"] == 10)
        h.advance(by: 3600)
        let down = try #require(h.engine.runs.values.first { $0.playbook == "idle" })
        #expect(down.status == .preempted)
        #expect(down.steps.map(\.status) == [.done, .cancelled, .cancelled])
        #expect(down.steps[1].outcome == "preempted by an emergency (spike)")
        #expect(h.replicas["api"] == 10, "the cancelled step-down never fired")
    }

    @Test("cooldown: firings right after a run ended start nothing")
    func cooldown() throws {
        let playbook = F.playbook("cpu", kind: .emergencyScale, alertname: "CPUHigh", actions: [.scale(target: "api", change: .by(2))])
        var cooled = playbook
        cooled.cooldown = .seconds(600)
        var h = EngineHarness(F.set([cooled], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("CPUHigh"))
        #expect(h.onlyRun?.status == .completed)
        h.advance(by: 300)
        var second = F.alert("CPUHigh")
        second.fingerprint = "00bb"
        h.fire(second)
        #expect(h.engine.runs.count == 1)
        #expect(h.notes.contains { $0.contains("cooling down") })
        h.advance(by: 301)
        h.fire(second)
        #expect(h.engine.runs.count == 2)
        #expect(h.replicas["api"] == 6)
    }

    @Test("hold stops the ladder; resume continues with the remaining spacing")
    func holdResume() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        let id = try #require(h.onlyRun?.id)
        h.send(.command(runID: id, .hold, actor: "alice"))
        h.advance(by: 7200)
        #expect(h.calls.count == 2, "nothing fires while held")
        #expect(h.onlyRun?.status == .held)
        h.send(.command(runID: id, .resume, actor: "alice"))
        h.advance(by: 599)
        #expect(h.calls.count == 2, "the hold time is added: the first step is still 10 minutes away")
        h.advance(by: 1)
        #expect(h.calls.count == 3)
        #expect(h.onlyRun?.history.contains { $0.message == "held by alice: no step fires until resumed" && $0.kind == .held } == true)
        #expect(h.onlyRun?.history.contains { $0.message.hasPrefix("resumed by alice") && $0.kind == .resumed } == true)
        #expect(throws: RunCommandError.self) { _ = try h.engine.apply(.resume, to: id, actor: "bob", now: h.now) }
    }

    @Test("abort cancels every pending step; commands on an ended run are refused")
    func abort() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun?.id)
        h.send(.command(runID: id, .abort, actor: "bob"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 86_400)
        #expect(h.onlyRun?.status == .aborted)
        #expect(h.calls.count == 2)
        #expect(throws: RunCommandError.finished(id, .aborted)) { _ = try h.engine.apply(.ack, to: id, actor: "x", now: h.now) }
    }

    @Test("snapshots from the executor are kept (first value wins) and handed to the restore step")
    func snapshotRestore() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.results = [.success(detail: "scaled", snapshot: ["hpa-min:api": "3"]), .success(detail: "hpa", snapshot: ["hpa-min:api": "10", "hpa-max:api": "20"])]
        h.fire(F.alert("TrafficSpike"))
        let run = try #require(h.onlyRun)
        #expect(run.snapshot == ["hpa-min:api": "3", "hpa-max:api": "20"])
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 86_400)
        let restore = try #require(h.calls.last)
        #expect(restore.detail.hasPrefix("restore"))
        #expect(restore.snapshot == ["hpa-min:api": "3", "hpa-max:api": "20"])
    }

    @Test("missed deadlines: fire late, skip and notify, or wait for an acknowledgement", arguments: [
        (Playbook.MissedDeadlinePolicy.fire, StepStatus.done, 5),
        (.skip, .skipped, 3),
        (.waitForAck, .waitingAck, 2),
    ])
    func missedDeadline(_ policy: Playbook.MissedDeadlinePolicy, _ status: StepStatus, _ calls: Int) throws {
        var h = EngineHarness(F.set([Self.emergency(missed: policy)], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        // An outage: nothing ticks for two hours, then the process is back.
        h.now = h.now.addingTimeInterval(600 + 7200)
        h.send(.tick)
        let run = try #require(h.onlyRun)
        #expect(run.steps[2].status == status)
        #expect(h.calls.count == calls)
        if policy == .skip {
            #expect(run.steps.last?.status == .done, "a restore is never skipped: it puts safety values back")
        }
        if policy == .waitForAck {
            h.send(.command(runID: run.id, .ack, actor: "carol"))
            #expect(h.onlyRun?.steps[2].status == .done, "acknowledged: the late step runs")
            #expect(h.onlyRun?.acknowledgedBy == "carol")
        }
    }

    @Test("require_ack holds each ladder step until someone acknowledges")
    func requireAck() throws {
        var h = EngineHarness(F.set([Self.emergency(requireAck: true)], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 7200)
        #expect(h.calls.count == 2)
        #expect(h.notes.contains { $0.contains("acknowledge to let it run") })
        let id = try #require(h.onlyRun?.id)
        h.send(.command(runID: id, .ack, actor: "dave"))
        #expect(h.calls.count == 3)
        #expect(h.onlyRun?.history.contains { $0.message == "acknowledged by dave" && $0.kind == .acknowledged } == true)
        h.fire(F.alert("TrafficSpike"))
        let refired = h.onlyRun?.history.filter { $0.kind == .refired } ?? []
        #expect(refired.count == 1 && refired[0].message.contains("re-fired"), "\(h.onlyRun?.history.map(\.message) ?? [])")
    }

    @Test("a step that waited for an acknowledgement keeps its due time: started minus due (the timer-lateness metric) counts the wait")
    func ackWaitCountsAsLateness() throws {
        var h = EngineHarness(F.set([Self.emergency(requireAck: true)], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 7200)
        let id = try #require(h.onlyRun?.id)
        h.send(.command(runID: id, .ack, actor: "dave"))
        let step = try #require(h.engine.runs[id]?.steps[2])
        let started = try #require(step.startedAt)
        let due = try #require(step.due)
        #expect(started.timeIntervalSince(due) == 7200 - 600, "due \(due) (resolve + 10 min hold), started \(started) at the ack")
    }

    @Test("the requests a live attempt made are kept on its step, by attempt, the latest 64 at most")
    func requestsKept() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2],
                              settings: EngineSettings(maxAttempts: 3, retryBackoff: .seconds(5)))
        h.holdResults = true
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun?.id)
        #expect(h.engine.runs[id]?.steps[0].status == .running && h.engine.runs[id]?.steps[0].requests == nil)
        _ = h.engine.handle(.stepFinished(runID: id, step: 0, result: .retryable("HTTP 503"),
                                          requests: ["GET https://k8s:6443/apis/apps/v1/namespaces/a/deployments/b/scale → HTTP 503"]),
                            now: h.now)
        #expect(h.engine.runs[id]?.steps[0].requests == ["attempt 1: GET https://k8s:6443/apis/apps/v1/namespaces/a/deployments/b/scale → HTTP 503"])
        h.advance(by: 5)
        #expect(h.engine.runs[id]?.steps[0].status == .running && h.engine.runs[id]?.steps[0].attempts == 2)
        _ = h.engine.handle(.stepFinished(runID: id, step: 0, result: .success(detail: "ok", snapshot: [:]),
                                          requests: Array(repeating: "PATCH https://k8s:6443/x → HTTP 200", count: 80)),
                            now: h.now)
        let kept = try #require(h.engine.runs[id]?.steps[0].requests)
        #expect(kept.count == RunStep.maxRequests && kept.allSatisfy { $0.hasPrefix("attempt 2: PATCH") }, "the latest kept")
    }

    @Test("retryable failures back off and retry; the limit escalates; a late duplicate result is ignored")
    func retries() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2],
                              settings: EngineSettings(maxAttempts: 3, retryBackoff: .seconds(5)))
        h.results = [.retryable("HTTP 503"), .retryable("HTTP 503"), .retryable("HTTP 503")]
        h.fire(F.alert("TrafficSpike"))
        #expect(h.calls.count == 1)
        h.advance(by: 4)
        #expect(h.calls.count == 1, "not before the 5 s backoff")
        h.advance(by: 1)
        #expect(h.calls.count == 2)
        h.advance(by: 10)
        #expect(h.calls.count == 3)
        let run = try #require(h.onlyRun)
        #expect(run.status == .failed)
        #expect(h.notes.contains { $0.contains("FAILED at step 0") })
        let before = h.engine.runs[run.id]
        _ = h.engine.handle(.stepFinished(runID: run.id, step: 0, result: .success(detail: "late", snapshot: [:])), now: h.now)
        #expect(h.engine.runs[run.id] == before)
    }

    @Test("after a restart a started step is re-checked, not blindly repeated, and nothing already due waits")
    func restart() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        var effects = h.engine.handle(.alert(F.alert("TrafficSpike"), playbooks: h.playbooks, replicas: ["api": 2], autoscalerDesired: [:]), now: h.now)
        #expect(effects.contains { if case .execute = $0 { return true } else { return false } })
        let persisted = h.engine.drainChanged()
        var restarted = RunEngine(runs: persisted)
        effects = restarted.handle(.tick, now: h.now.addingTimeInterval(1))
        guard case .execute(_, let step, _, _)? = effects.first(where: { if case .execute = $0 { return true } else { return false } }) else {
            Issue.record("the interrupted step must be handed out again")
            return
        }
        #expect(step.index == 0)
        #expect(step.recheck, "the executor compares with the target before re-applying")
        #expect(restarted.nextNumber == 2)
    }

    @Test("new ids continue after the store's highest number; a shared-store load leaves running steps running")
    func idsAndSharedLoad() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        _ = h.engine.handle(.alert(F.alert("TrafficSpike"), playbooks: h.playbooks, replicas: ["api": 2], autoscalerDesired: [:]), now: h.now)
        let persisted = h.engine.drainChanged()
        #expect(persisted.first?.steps[0].status == .running)
        // Runs ended long ago are no longer loaded: the store's highest number still keeps their ids from being reused.
        let fresh = RunEngine(runs: [], highestRunNumber: 41)
        #expect(fresh.nextNumber == 42)
        let shared = RunEngine(runs: persisted, highestRunNumber: 0, restoring: false)
        #expect(shared.runs.values.first?.steps[0].status == .running, "another replica may be running it")
        #expect(shared.runs.values.first?.steps[0].recheck == false)
        #expect(shared.nextDue == nil, "a running step is not handed out again")
    }

    @Test("an emergency that raises a target further takes over from a lesser run on it; one that does not, joins")
    func emergencyTakesOver() throws {
        let cpu = F.playbook("cpu", kind: .emergencyScale, alertname: "CPUHigh", actions: [.scale(target: "api", change: .by(2))],
                             ladder: .init(every: .seconds(600), levels: [("api", [.floor])]))
        var h = EngineHarness(F.set([cpu, Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("CPUHigh"))
        #expect(h.replicas["api"] == 4)
        h.fire(F.alert("TrafficSpike"))
        #expect(h.replicas["api"] == 10, "the bigger emergency acts")
        let lesser = try #require(h.engine.runs.values.first { $0.playbook == "cpu" })
        #expect(lesser.status == .preempted)
        var again = F.alert("CPUHigh")
        again.fingerprint = "00cc"
        h.fire(again)
        #expect(h.engine.runs.values.filter(\.isOpen).map(\.playbook) == ["spike"], "CPU +2 at 10 raises nothing: it joins")
    }

    @Test("a flood: a second emergency planned from the same counts raises no further than the run already planned, so it joins instead of cancelling that run's scale-up")
    func floodDoesNotCancelScaleUps() throws {
        let cpu = F.playbook("cpu", kind: .emergencyScale, alertname: "CPUHigh", actions: [.scale(target: "api", change: .by(2))],
                             ladder: .init(every: .seconds(600), levels: [("api", [.floor])]))
        let set = F.set([cpu], targets: Self.targets)
        var engine = RunEngine(runs: [])
        var second = F.alert("CPUHigh")
        second.fingerprint = "00bb"
        second.idempotencyKey = "k2"
        // One batch: both alerts planned from the same counts, before the first run's step has run.
        _ = engine.handle(.alert(F.alert("CPUHigh"), playbooks: set, replicas: ["api": 2], autoscalerDesired: [:]), now: F.now)
        _ = engine.handle(.alert(second, playbooks: set, replicas: ["api": 2], autoscalerDesired: [:]), now: F.now)
        let runs = Array(engine.runs.values)
        #expect(runs.count == 1 && runs.first?.isOpen == true, "\(runs.map { "\($0.id) \($0.status)" })")
        let scale = try #require(runs.first?.steps.first { $0.target == "api" && $0.phase == .actions })
        #expect([.pending, .running].contains(scale.status) && scale.to == 4, "the scale-up is still to run (\(scale.status))")
        #expect(runs.first?.history.contains { $0.message.contains("joined") } == true)
    }

    @Test("a flood of alerts joining one run is one counted history line and one notice, until something else happens")
    func floodOfJoinsIsOneLine() throws {
        let cpu = F.playbook("cpu", kind: .emergencyScale, alertname: "CPUHigh", actions: [.scale(target: "api", change: .by(2))])
        var h = EngineHarness(F.set([Self.emergency(), cpu], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let before = try #require(h.onlyRun).history.count
        for index in 0..<500 {
            var alert = F.alert("CPUHigh")
            alert.fingerprint = String(format: "f%05d", index)
            alert.idempotencyKey = "flood-\(index)"
            h.fire(alert)
        }
        let run = try #require(h.onlyRun)
        #expect(run.history.count == before + 1, "\(run.history.suffix(3).map(\.message))")
        #expect(run.history.last?.joined == 500)
        #expect(run.history.last?.message.hasPrefix("500 alerts joined since ") == true)
        #expect(run.history.last?.message.contains("the latest alert CPUHigh (playbook cpu)") == true)
        #expect(h.notes.filter { $0.contains("so it joined that run") }.count == 1)
        // Something else happens (an acknowledgement): the next join starts a new line, and is said again.
        _ = try h.engine.apply(.ack, to: run.id, actor: "alice", now: h.now)
        var late = F.alert("CPUHigh")
        late.fingerprint = "late"
        late.idempotencyKey = "late"
        h.fire(late)
        let after = try #require(h.onlyRun)
        #expect(after.history.last?.joined == 1)
        #expect(after.history.last?.message == "alert CPUHigh (playbook cpu) joined: one run per target")
        #expect(h.notes.filter { $0.contains("so it joined that run") }.count == 2)
    }

    @Test("resume moves a step only by the part of the hold after it was scheduled")
    func holdBeforeResolve() throws {
        var h = EngineHarness(F.set([Self.emergency()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        let id = try #require(h.onlyRun?.id)
        h.advance(by: 600)
        h.send(.command(runID: id, .hold, actor: "alice"))
        h.advance(by: 2100)
        h.fire(F.alert("TrafficSpike", status: .resolved))  // at +45m, while held
        h.advance(by: 300)
        h.send(.command(runID: id, .resume, actor: "alice"))  // at +50m
        h.advance(by: 86_400)
        #expect(h.offsets(of: id) == [0, 0, 2700 + 300 + 600, 2700 + 300 + 2400, 2700 + 300 + 2400],
                "the ladder counts from the resolve, moved only by the 5 minutes held after it")
    }

    @Test("dedup_window: the same alert starting its playbook again right after a run ended starts nothing")
    func dedupWindow() throws {
        let playbook = F.playbook("cpu", kind: .emergencyScale, alertname: "CPUHigh", actions: [.scale(target: "api", change: .by(2))])
        var h = EngineHarness(F.set([playbook], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("CPUHigh"))
        #expect(h.onlyRun?.status == .completed)
        h.advance(by: 60)
        h.fire(F.alert("CPUHigh"))
        #expect(h.engine.runs.count == 1)
        #expect(h.notes.contains { $0.contains("dedup_window") })
        h.advance(by: 300)
        h.fire(F.alert("CPUHigh"))
        #expect(h.engine.runs.count == 2, "after the window it is a new incident")
    }
}
