import Foundation
import ResponderCore
import Testing

@Suite("load checks on ladder steps: wait and re-check, hold after max_wait, never through when unknown")
struct RunEngineGateTests {
    typealias F = PlannerFixtures

    static let targets = [F.target("api", floor: 2, ceiling: 10)]
    static let check = LoadCheck(name: "rate", source: .prometheus(query: "sum(rate(x[5m]))", url: nil), comparison: .below,
                                 threshold: 300, window: .seconds(600), recheck: .seconds(60), maxWait: .seconds(1800))

    static func playbook(scope: LoadCheck.Scope = .eachStep) -> Playbook {
        var check = Self.check
        check.scope = scope
        return F.playbook(
            "spike", kind: .emergencyScale, alertname: "TrafficSpike", actions: [.scale(target: "api", change: .toMax)],
            ladder: .init(hold: .seconds(600), every: .seconds(600), levels: [("api", [.replicas(5), .floor])]),
            gates: .init(checks: [check])
        )
    }

    static func waiting(_ value: Double?) -> StepResult {
        .waiting(GateWait(check: check.condition, reason: value.map { "\(Int($0)) is not below 300" } ?? "cannot be evaluated: down",
                          value: value, recheck: .seconds(60), maxWait: .seconds(1800)))
    }

    @Test("the plan puts the checks on the ladder steps (each step, or the first only) and says so")
    func planned() {
        let plan = Planner.plan(PlanInput(alert: F.alert("TrafficSpike"), playbooks: F.set([Self.playbook()], targets: Self.targets),
                                          replicas: ["api": 2], now: F.now))
        let ladder = plan.timelines[0].steps.filter { $0.phase == .ladder }
        #expect(ladder.map(\.checks.count) == [1, 1])
        #expect(ladder[0].notes.contains { $0.contains("waits until rate below 300 for 10m") })
        let first = Planner.plan(PlanInput(alert: F.alert("TrafficSpike"), playbooks: F.set([Self.playbook(scope: .firstStep)], targets: Self.targets),
                                           replicas: ["api": 2], now: F.now))
        #expect(first.timelines[0].steps.filter { $0.phase == .ladder }.map(\.checks.count) == [1, 0])
    }

    @Test("a step whose check does not hold waits and is re-checked every recheck, keeping its attempt count")
    func waitsAndReleases() throws {
        var h = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.results = [Self.waiting(420), Self.waiting(410), Self.waiting(nil)]
        h.advance(by: 600)
        let id = try #require(h.onlyRun).id
        #expect(h.calls.count == 2, "the step was handed out and answered waiting")
        #expect(h.notes.contains { $0.contains("waits: rate below 300 for 10m: 420 is not below 300") })
        h.advance(by: 60)
        h.advance(by: 60)
        #expect(h.calls.count == 4)
        let step = try #require(h.engine.runs[id]?.steps[1])
        #expect(step.status == .pending && step.attempts == 0)
        #expect(step.wait?.checks == 3 && step.wait?.last.value == nil)
        #expect(h.engine.runs[id]?.history.filter { $0.message.contains("still waits") }.count == 1,
                "history notes the switch to unknown, not each re-check")
        #expect(h.engine.runs[id]?.history.filter { $0.kind == .gateWait }.count == 2, "the wait and its switch, marked as such")
        h.advance(by: 60)
        #expect(h.engine.runs[id]?.steps[1].status == .done)
        #expect(h.engine.runs[id]?.steps[1].wait?.until == h.now)
        #expect(h.replicas["api"] == 5)
    }

    @Test("the steps after one that waited move by its wait, so the ladder keeps its spacing")
    func keepsSpacing() throws {
        var h = EngineHarness(F.set([Self.playbook(scope: .firstStep)], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.results = [Self.waiting(420), Self.waiting(410), Self.waiting(400)]
        h.advance(by: 3600)
        let id = try #require(h.onlyRun).id
        // First ladder step due at +600, waited 3 minutes; the second was due at +1200 and now at +1380.
        #expect(h.offsets(of: id).suffix(2) == [600 + 180, 1200 + 180])
        #expect(h.engine.runs[id]?.history.contains { $0.message.contains("waited 3m for its load checks") } == true)
    }

    @Test("after max_wait the run is held and a person is told the last value; resume gives the check a new max_wait")
    func holdsAfterMaxWait() throws {
        var h = EngineHarness(F.set([Self.playbook()], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.results = Array(repeating: Self.waiting(500), count: 40)
        h.advance(by: 600 + 1800)
        let id = try #require(h.onlyRun).id
        #expect(h.engine.runs[id]?.status == .held)
        #expect(h.notes.contains { $0.contains("HELD") && $0.contains("500 is not below 300") })
        let calls = h.calls.count
        h.advance(by: 3600)
        #expect(h.calls.count == calls, "a held run checks nothing")
        h.send(.command(runID: id, .resume, actor: "carol"))
        h.results = [Self.waiting(450)]
        h.advance(by: 60)
        #expect(h.engine.runs[id]?.status == .active, "one more wait after resume does not hold it again at once")
        h.advance(by: 60)
        #expect(h.engine.runs[id]?.steps[1].status == .done)
    }

    @Test("a waiting step is not a missed deadline: after an outage it is checked again, not skipped")
    func notMissed() throws {
        var playbook = Self.playbook()
        playbook.missedDeadline = .skip
        var h = EngineHarness(F.set([playbook], targets: Self.targets), replicas: ["api": 2])
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.results = [Self.waiting(900)]
        h.advance(by: 600)
        h.now = h.now.addingTimeInterval(3 * 3600)
        h.send(.tick)
        let id = try #require(h.onlyRun).id
        #expect(h.engine.runs[id]?.steps[1].status == .done)
    }
}
