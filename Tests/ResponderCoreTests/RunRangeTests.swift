import Foundation
import ResponderCore
import Testing

/// A stored run with absurd values is refused by ``Run/validate()``, and the engine's own arithmetic on times and
/// counts never traps even when handed one.
@Suite("Ranges: stored runs and the run engine's arithmetic")
struct RunRangeTests {
    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    static func run(id: String = "run-1", due: Date? = at, attempts: Int = 0) -> Run {
        let playbook = Playbook(name: "p", kind: .emergencyScale, match: .init(matchers: []), actions: [],
                                location: FileLocation(file: "p.yaml", line: 1))
        var step = RunStep(index: 0, phase: .actions, anchor: .now, offsetSeconds: 0, due: due,
                           work: .action(.scale(target: "api", change: .to(9))), target: "api", to: 9, detail: "scale api")
        step.attempts = attempts
        return Run(id: id, playbook: "p", kind: .emergencyScale, targets: ["api"], alertFingerprint: "f", alertName: "A",
                   startedAt: at, steps: [step], dryRun: true, policy: RunPolicy(playbook))
    }

    @Test("a run within every range validates, at the edges too")
    func validAtTheEdges() throws {
        var run = Self.run(id: "run-\(Run.maxNumber)", due: RFC3339.acceptedRange.upperBound, attempts: 1_000)
        run.steps[0].offsetSeconds = -Run.maxOffsetSeconds
        run.steps[0].to = 100_000
        run.steps[0].from = 0
        run.startedAt = RFC3339.acceptedRange.lowerBound
        try run.validate()
    }

    /// A duration as a damaged row can hold it: more seconds than `Int64` has, so `components` itself would trap.
    static let hugeDuration = (try? JSONDecoder().decode(Duration.self, from: Data("[9223372036854775807,0]".utf8))) ?? .zero

    /// One absurd value each, and the field the refusal must name.
    static let absurd: [(String, @Sendable (inout Run) -> Void)] = [
        ("the id must be run-N", { $0.id = "run-9223372036854775807" }),
        ("the id must be run-N", { $0.id = "run-\(Run.maxNumber + 1)" }),
        ("steps[0].attempts 9223372036854775807 is outside 0 to 1,000", { $0.steps[0].attempts = .max }),
        ("steps[0].attempts -9223372036854775808 is outside 0 to 1,000", { $0.steps[0].attempts = .min }),
        ("steps[0].offsetSeconds -9223372036854775808 is outside", { $0.steps[0].offsetSeconds = .min }),
        ("steps[0].to 100001 is outside 0 to 100,000 replicas", { $0.steps[0].to = 100_001 }),
        ("steps[0].from -1 is outside", { $0.steps[0].from = -1 }),
        ("steps[0].due", { $0.steps[0].due = Date(timeIntervalSince1970: 1e300) }),
        ("heldAt", { $0.heldAt = Date(timeIntervalSince1970: -1e300) }),
        ("history[0].at", { $0.history = [RunEvent(at: Date(timeIntervalSince1970: -1), message: "x")] }),
        ("policy.cooldown is outside 0s to 366d", { $0.policy.cooldown = hugeDuration }),
        ("policy.dedupWindow is outside 0s to 366d", { $0.policy.dedupWindow = .seconds(-1) }),
        ("steps[0].work: scale to 9223372036854775807", {
            $0.steps[0].work = .action(.scale(target: "api", change: .to(.max)))
        }),
        ("steps[0].work: command timeout", {
            $0.steps[0].work = .action(.command(Action.CommandCall(argv: ["x"], timeout: .seconds(3_601))))
        }),
    ]

    @Test("a run with one absurd value is refused, naming the run and the field", arguments: 0..<absurd.count)
    func refused(_ index: Int) {
        var run = Self.run(id: "run-7")
        Self.absurd[index].1(&run)
        let fragment = Self.absurd[index].0
        #expect {
            try run.validate()
        } throws: { error in
            guard let error = error as? RunValidationError else { return false }
            return error.description.hasPrefix("run \(run.id) is not usable: ") && error.problem.contains(fragment)
        }
    }

    @Test("an id number past Run.maxNumber or a store maximum of Int.max cannot make the next id overflow")
    func runNumbers() {
        var engine = RunEngine(runs: [Self.run(id: "run-9223372036854775807", due: nil)], highestRunNumber: .max)
        #expect(engine.nextNumber == Run.maxNumber + 1)
        engine = RunEngine(runs: [], highestRunNumber: .max)
        #expect(engine.nextNumber == Run.maxNumber + 1)
    }

    @Test("a step due at an absurd past time is late by a clamped amount, not a trap")
    func absurdLateness() {
        var engine = RunEngine(runs: [Self.run(due: Date(timeIntervalSince1970: -1e300))])
        let effects = engine.handle(.tick, now: Self.at)
        #expect(effects.contains { if case .execute = $0 { return true } else { return false } })
        #expect(engine.runs["run-1"]?.history.contains { $0.message.contains("late (missed deadline): firing now") } == true)
    }

    @Test("an attempt count of Int.max neither overflows when the step starts nor when it fails")
    func hugeAttempts() {
        var engine = RunEngine(runs: [Self.run(attempts: .max)])
        _ = engine.handle(.tick, now: Self.at)
        #expect(engine.runs["run-1"]?.steps[0].attempts == .max)
        _ = engine.handle(.stepFinished(runID: "run-1", step: 0, result: .retryable("boom")), now: Self.at)
        #expect(engine.runs["run-1"]?.status == .failed)
    }

    @Test("resuming a run held since an absurd time moves its steps without a trap")
    func absurdHold() throws {
        var run = Self.run(due: Self.at.addingTimeInterval(600))
        run.status = .held
        run.heldAt = Date(timeIntervalSince1970: -1e300)
        var engine = RunEngine(runs: [run])
        _ = try engine.apply(.resume, to: "run-1", actor: "alice", now: Self.at)
        #expect(engine.runs["run-1"]?.status == .active)
        #expect(engine.runs["run-1"]?.history.last?.message.hasPrefix("resumed by alice; remaining steps moved") == true)
    }

    @Test("an alert whose event window puts a step past year 9999 starts no run the store could not read back")
    func eventTimesOutOfRange() {
        typealias F = PlannerFixtures
        let playbook = F.playbook("launch", kind: .preEvent, alertname: "Launch", actions: [.scale(target: "api", change: .to(8))],
                                  ladder: .init(every: .seconds(60), levels: [("api", [.replicas(2)])]),
                                  event: .init(lead: .seconds(3_600), hold: .seconds(366 * 86_400)))
        let set = F.set([playbook], targets: [F.target("api", floor: 2, ceiling: 10)])
        var harness = EngineHarness(set)
        harness.fire(F.alert("Launch", annotations: ["event_start": "9999-12-30T00:00:00Z", "event_end": "9999-12-31T00:00:00Z"]))
        #expect(harness.engine.runs.isEmpty)
        #expect(harness.notes.contains { $0.hasPrefix("Launch matched launch but its plan cannot be run (step 1: due ") }, "\(harness.notes)")
        harness.fire(F.alert("Launch", annotations: ["event_start": "2026-01-02T00:00:00Z", "event_end": "2026-01-03T00:00:00Z"]))
        #expect(harness.engine.runs.count == 1, "a sane window still starts its run")
    }

    @Test("saturating conversions clamp instead of trapping")
    func saturating() {
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: -.infinity) == .min)
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: 1e300) == .max)
        #expect(Int(saturating: 9_223_372_036_854_774_784.0) == 9_223_372_036_854_774_784)
        #expect(Int(saturating: -42.9) == -42)
        #expect(Duration.clampedSeconds(1e300) == .milliseconds(Int64.max))
        #expect((Duration.seconds(Int64.max)).clampedNanoseconds == .max)
        #expect((Duration.seconds(Int64.min)).clampedNanoseconds == .min)
        #expect(Duration.seconds(2).clampedNanoseconds == 2_000_000_000)
        #expect(Self.hugeDuration > .seconds(Int64.max), "the damaged duration decodes past Int64 seconds")
    }
}
