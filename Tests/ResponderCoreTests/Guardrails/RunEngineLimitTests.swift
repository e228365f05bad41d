import Foundation
import ResponderCore
import Testing

@Suite("blast-radius limits: a flapping alert cannot act more than the window allows")
struct RunEngineLimitTests {
    typealias F = PlannerFixtures

    static let targets = [F.target("api", floor: 2, ceiling: 10), F.target("web", floor: 1, ceiling: 4),
                          F.target("db", floor: 1, ceiling: 3)]

    /// Scale api up at once; one minute after the resolve, back to its floor.
    static func flapping(limits: ActionLimits?) -> PlaybookSet {
        var playbook = F.playbook("spike", kind: .emergencyScale, alertname: "TrafficSpike", actions: [.scale(target: "api", change: .toMax)],
                                  ladder: .init(hold: .seconds(60), every: .seconds(60), levels: [("api", [.floor])]))
        playbook.dedupWindow = .zero
        playbook.limits = limits
        return F.set([playbook], targets: targets)
    }

    /// Fires and resolves the alert, then lets the ladder run.
    static func cycle(_ h: inout EngineHarness) {
        h.fire(F.alert("TrafficSpike"))
        h.fire(F.alert("TrafficSpike", status: .resolved))
        h.advance(by: 60)
    }

    @Test("over the playbook's per-target limit the step waits for the window, and the run is told which limit")
    func perTargetWaits() throws {
        let limits = ActionLimits(perTarget: .init(actions: 3, window: .seconds(3_600)))
        var h = EngineHarness(Self.flapping(limits: limits), replicas: ["api": 2])
        Self.cycle(&h)
        Self.cycle(&h)
        #expect(h.calls.count == 3, "up, down, up: the second down is the fourth action within the hour")
        let second = try #require(h.engine.runs.values.first { $0.isOpen })
        let step = second.steps[1]
        #expect(step.status == .pending && step.blocked?.key.hasPrefix("limit:") == true)
        #expect(step.due == F.now.addingTimeInterval(3_600), "the first action leaves the window after an hour")
        let told = second.history.filter { $0.message.contains("playbook spike's limit per_target (3 actions per 1h on api)") }
        #expect(told.count == 1, "\(second.history.map(\.message))")
        #expect(told.first?.kind == .overLimit)
        h.advance(by: 3_600)
        #expect(h.calls.count == 4)
        #expect(h.engine.runs[second.id]?.status == .completed)
    }

    @Test("the configuration's total limit counts every playbook's actions; dry-run and live are counted apart")
    func totalCountsAll() throws {
        var settings = EngineSettings()
        settings.limits = ActionLimits(total: .init(actions: 2, window: .seconds(600)))
        var h = EngineHarness(Self.flapping(limits: nil), replicas: ["api": 2], settings: settings)
        h.engine.guardrails.actions = [ActionRecord(runID: "run-99", step: 0, playbook: "other", target: "web", at: F.now, dryRun: false),
                                      ActionRecord(runID: "run-98", step: 0, playbook: "other", target: "db", at: F.now, dryRun: true)]
        Self.cycle(&h)
        #expect(h.calls.count == 1, "one live action was taken elsewhere; the dry-run one does not count")
        #expect(h.onlyRun?.steps[1].due == F.now.addingTimeInterval(600))
        #expect(h.notes.contains { $0.contains("the configuration's limit total (2 actions per 10m in total)") })
    }

    @Test("a scale-up held back by a limit is cancelled, not run late, when the alert resolves first")
    func resolvedWhileWaiting() throws {
        let limits = ActionLimits(perTarget: .init(actions: 2, window: .seconds(3_600)))
        var h = EngineHarness(Self.flapping(limits: limits), replicas: ["api": 2])
        Self.cycle(&h)
        h.fire(F.alert("TrafficSpike"))
        let second = try #require(h.engine.runs.values.first { $0.isOpen })
        #expect(second.steps[0].blocked != nil && h.calls.count == 2)
        h.fire(F.alert("TrafficSpike", status: .resolved))
        let after = try #require(h.engine.runs[second.id])
        #expect(after.steps[0].status == .cancelled)
        #expect(after.steps[0].outcome?.hasPrefix("not run: the alert resolved while it waited (over playbook spike's limit per_target") == true)
        #expect(after.history.contains { $0.message.contains("resolved before step(s) 0 ran: they are cancelled, not run late") })
    }

    @Test("on_limit: hold waits for an acknowledgement, which lets that one step through")
    func holdAndAck() throws {
        let limits = ActionLimits(perTarget: .init(actions: 1, window: .seconds(3_600)), onLimit: .hold)
        var h = EngineHarness(Self.flapping(limits: limits), replicas: ["api": 2])
        Self.cycle(&h)
        let run = try #require(h.onlyRun)
        #expect(run.steps[1].status == .waitingAck)
        #expect(h.notes.contains { $0.contains("is over playbook spike's limit per_target (1 action per 1h on api): acknowledge") })
        h.send(.command(runID: run.id, .ack, actor: "bob"))
        #expect(h.calls.count == 2)
        #expect(h.engine.runs[run.id]?.steps[1].limitWaived == true)
    }

    @Test("targets_per_run holds the step that would touch one target too many")
    func targetsPerRun() throws {
        var playbook = F.playbook("wide", kind: .emergencyScale, alertname: "Wide", actions: [
            .scale(target: "api", change: .toMax), .scale(target: "web", change: .toMax), .scale(target: "db", change: .toMax),
        ])
        playbook.limits = ActionLimits(targetsPerRun: 2)
        var h = EngineHarness(F.set([playbook], targets: Self.targets), replicas: ["api": 2, "web": 1, "db": 1])
        h.fire(F.alert("Wide"))
        let run = try #require(h.onlyRun)
        #expect(h.calls.map(\.step) == [0, 1])
        #expect(run.steps[2].status == .waitingAck)
        #expect(h.notes.contains { $0.contains("targets_per_run (at most 2 target(s) per run; this run already touched api, web)") })
    }

    @Test("each step is recorded once: a retry moves its time, the store gets it to keep")
    func recordedOnce() throws {
        var h = EngineHarness(Self.flapping(limits: nil), replicas: ["api": 2])
        h.results = [.retryable("503")]
        h.fire(F.alert("TrafficSpike"))
        h.advance(by: 5)
        #expect(h.calls.count == 2)
        #expect(h.engine.guardrails.actions.count == 1)
        #expect(h.engine.guardrails.actions[0].at == F.now.addingTimeInterval(5))
        let drained = h.engine.drainActions()
        #expect(drained.map(\.step) == [0, 0] && drained.allSatisfy { $0.playbook == "spike" && $0.target == "api" })
        #expect(h.engine.drainActions().isEmpty)
    }

    @Test("the window frees when the oldest counted action leaves it; damaged counts cannot trap")
    func freesAt() {
        let rate = ActionLimits.Rate(actions: 2, window: .seconds(100))
        let times = [0.0, 30, 60].map { F.now.addingTimeInterval($0) }
        #expect(StepGuard.freesAt(rate, times: times, now: F.now.addingTimeInterval(70)) == F.now.addingTimeInterval(130))
        #expect(StepGuard.freesAt(rate, times: times, now: F.now.addingTimeInterval(101)) == F.now.addingTimeInterval(130))
        #expect(StepGuard.freesAt(rate, times: times, now: F.now.addingTimeInterval(131)) == nil)
        let damaged = ActionLimits.Rate(actions: -5, window: .seconds(100))
        #expect(StepGuard.freesAt(damaged, times: times, now: F.now.addingTimeInterval(70)) == F.now.addingTimeInterval(160))
        #expect(ActionLimits(perTarget: damaged).problem() == "per_target.actions -5 is outside 1 to 10,000")
    }

    @Test("plan notes the steps the limits would stop, with the same arithmetic")
    func planNotes() {
        let limits = ActionLimits(perTarget: .init(actions: 1, window: .seconds(600)))
        let plan = Planner.plan(PlanInput(alert: F.alert("TrafficSpike"), playbooks: Self.flapping(limits: limits), replicas: ["api": 2],
                                          now: F.now))
        let notes = plan.timelines[0].steps.flatMap(\.notes)
        #expect(notes.contains("would wait 9m (the playbook's limit per_target: 1 action per 10m on api); the steps after it move as much later"))
    }
}
