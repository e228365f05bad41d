import Foundation
import ResponderCore
import Testing

@Suite("pauses: steps they cover wait (or are skipped), the run's thread is told once, the ladder keeps its spacing")
struct RunEnginePauseTests {
    typealias F = PlannerFixtures

    static let targets = [F.target("api", floor: 2, ceiling: 10), F.target("web", floor: 1, ceiling: 4)]

    /// Scale api (and web) up at once; after the resolve, api steps down 5 then floor, 10 minutes apart.
    static func set() -> PlaybookSet {
        F.set([F.playbook("spike", kind: .emergencyScale, alertname: "TrafficSpike",
                          actions: [.scale(target: "api", change: .toMax), .scale(target: "web", change: .toMax)],
                          ladder: .init(hold: .seconds(600), every: .seconds(600), levels: [("api", [.replicas(5), .floor])]))],
              targets: targets)
    }

    static func pause(_ id: String = "pause-1", target: String? = nil, direction: PauseDirection = .both, mode: PauseMode = .wait,
                      until: Date? = nil) -> Pause {
        Pause(id: id, target: target, direction: direction, mode: mode, reason: "game day", by: "alice", since: F.now, until: until)
    }

    @Test("a global pause stops every step; the thread is told once however often the step is re-checked")
    func globalPauseWaits() throws {
        var h = EngineHarness(Self.set(), replicas: ["api": 2, "web": 1])
        h.engine.guardrails.pauses = [Self.pause()]
        h.fire(F.alert("TrafficSpike"))
        h.advance(by: 120)
        let run = try #require(h.onlyRun)
        #expect(h.calls.isEmpty, "nothing ran while paused")
        #expect(run.steps[0].status == .pending && run.steps[0].blocked?.key == "pause-1")
        #expect(run.steps[0].due == h.now.addingTimeInterval(15) || run.steps[0].due! <= h.now.addingTimeInterval(15))
        let told = run.history.filter { $0.message.contains("paused by pause-1") }
        #expect(told.count == 1, "one history line (one thread reply), not one per re-check: \(run.history.map(\.message))")
        #expect(told.first?.kind == .paused)
        #expect(h.notes.filter { $0.contains("paused by pause-1") }.count == 1)
        #expect(told[0].message.contains("game day") && told[0].message.contains("all targets"))
    }

    @Test("once the pause is lifted the waiting step runs and the steps after it move by the time it waited")
    func liftedPauseKeepsSpacing() throws {
        var h = EngineHarness(Self.set(), replicas: ["api": 2, "web": 1])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        #expect(h.calls.count == 2, "both scale-ups ran before the pause")
        h.engine.guardrails.pauses = [Self.pause(direction: .down)]
        h.advance(by: 3_600)
        #expect(h.calls.count == 2, "the scale-down ladder waited")
        h.engine.guardrails.pauses = []
        h.advance(by: 15)
        let run = try #require(h.onlyRun)
        #expect(h.calls.count == 3)
        #expect(run.steps[2].status == .done && run.steps[2].blocked == nil)
        let ladderStart = h.calls[2].at
        #expect(run.steps[3].due == ladderStart.addingTimeInterval(600), "the next step keeps its 10 minutes")
        #expect(run.history.contains { $0.message.contains("step 2 runs: paused by pause-1 no longer stops it") })
        #expect(run.history.contains { $0.message.contains("waited") && $0.message.contains("for a pause") })
    }

    @Test("a step a pause held starts at its re-check: its due time moved, so started minus due (the timer-lateness metric) is the timer's delay, not the pause")
    func pausedStepLatenessIsTheTimersOwn() throws {
        var h = EngineHarness(Self.set(), replicas: ["api": 2, "web": 1])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.engine.guardrails.pauses = [Self.pause(direction: .down)]
        h.advance(by: 3_600)
        h.engine.guardrails.pauses = []
        h.advance(by: 15)
        let step = try #require(h.onlyRun?.steps[2])
        let started = try #require(step.startedAt)
        let due = try #require(step.due)
        #expect(started.timeIntervalSince(F.now) > 3_000, "the step waited for the pause")
        #expect(started.timeIntervalSince(due) == 0, "due \(due), started \(started)")
    }

    @Test("a scale-down pause lets the scale-up through; a pause on web does not stop api")
    func directionAndTarget() throws {
        var h = EngineHarness(Self.set(), replicas: ["api": 2, "web": 1])
        h.engine.guardrails.pauses = [Self.pause(direction: .down), Self.pause("pause-2", target: "web", direction: .up)]
        h.fire(F.alert("TrafficSpike"))
        let run = try #require(h.onlyRun)
        #expect(h.calls.map(\.step) == [0], "api went up; web's scale-up is paused")
        #expect(run.steps[1].blocked?.key == "pause-2")
        #expect(RunStep.direction(of: run.steps[0], kind: .emergencyScale) == .up)
        #expect(RunStep.direction(of: run.steps[2], kind: .emergencyScale) == .down)
    }

    @Test("a skipping pause skips ladder steps (told once) but a restore waits")
    func skipMode() throws {
        var set = Self.set()
        set.playbooks[0].ladder?.restore = true
        var h = EngineHarness(set, replicas: ["api": 2, "web": 1])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.engine.guardrails.pauses = [Self.pause(direction: .down, mode: .skip)]
        h.advance(by: 7_200)
        let run = try #require(h.onlyRun)
        let ladder = run.steps.filter { $0.phase == .ladder }
        #expect(ladder.dropLast().allSatisfy { $0.status == .skipped && $0.outcome?.contains("pause-1") == true })
        #expect(ladder.last?.work == .restore && ladder.last?.status == .pending, "a restore is never skipped")
        #expect(run.history.filter { $0.message.contains("paused by pause-1") }.count == 1)
    }

    @Test("an expired pause stops nothing: the step is re-checked at the expiry")
    func expiry() throws {
        var h = EngineHarness(Self.set(), replicas: ["api": 2, "web": 1])
        h.engine.guardrails.pauses = [Self.pause(until: F.now.addingTimeInterval(5))]
        h.fire(F.alert("TrafficSpike"))
        #expect(h.onlyRun?.steps[0].due == F.now.addingTimeInterval(5))
        h.advance(by: 5)
        #expect(h.calls.count == 2)
    }

    @Test("a step that waited for a pause is not a missed deadline, even with missed_deadline: skip")
    func notMissed() throws {
        var set = Self.set()
        set.playbooks[0].missedDeadline = .skip
        var h = EngineHarness(set, replicas: ["api": 2, "web": 1])
        h.engine.guardrails.pauses = [Self.pause()]
        h.fire(F.alert("TrafficSpike"))
        h.advance(by: 3_600)
        h.engine.guardrails.pauses = []
        h.advance(by: 15)
        #expect(h.calls.map(\.step) == [0, 1])
        #expect(h.onlyRun?.steps[0].status == .done)
    }

    @Test("a lifted pause (liftedAt set) stops nothing")
    func liftedIgnored() {
        var pause = Self.pause()
        pause.liftedAt = F.now
        #expect(!pause.isActive(at: F.now))
        #expect(Self.pause().isActive(at: F.now.addingTimeInterval(86_400)))
        #expect(!Self.pause(until: F.now.addingTimeInterval(60)).isActive(at: F.now.addingTimeInterval(60)))
    }
}

extension RunStep {
    /// The direction of `step` (test shorthand).
    static func direction(of step: RunStep, kind: Playbook.Kind) -> ScaleDirection { step.direction(kind: kind) }
}
