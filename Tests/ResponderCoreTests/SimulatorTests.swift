import Foundation
import ResponderCore
import Testing

/// Playbooks and scenarios built in code for simulator tests.
enum SimulationFixtures {
    /// Virtual time of offset zero.
    static let start = PlannerFixtures.now

    /// `api` (2..20) and `worker` (2..30); `spike` adds 4 to api and ladders back after the resolve (hold 7m13s, every
    /// 5m: 8, 6, 4, floor); `quiet` removes 2 api replicas while it fires (cooldown 10m).
    static let playbooks: PlaybookSet = {
        let spike = Playbook(
            name: "spike", kind: .emergencyScale,
            match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "Spike")]),
            actions: [.notify(message: "spike on ${labels.service}"), .scale(target: "api", change: .by(4))],
            ladder: .init(hold: .seconds(433), every: .seconds(300), levels: [("api", [.replicas(8), .replicas(6), .replicas(4), .floor])]),
            location: PlannerFixtures.location
        )
        let quiet = Playbook(
            name: "quiet", kind: .scaleDown,
            match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "Quiet")]),
            actions: [.scale(target: "api", change: .by(-2))], cooldown: .seconds(600), location: PlannerFixtures.location
        )
        return PlannerFixtures.set([spike, quiet], targets: [
            PlannerFixtures.target("api", floor: 2, ceiling: 20), PlannerFixtures.target("worker", floor: 2, ceiling: 30),
        ])
    }()

    /// A firing of the inline alert `name` (label service=api).
    static func fire(_ name: String, at seconds: Int, line: Int = 1) -> Scenario.Event {
        alert(name, .firing, at: seconds, line: line)
    }

    /// A resolve of the inline alert `name`.
    static func resolve(_ name: String, at seconds: Int, line: Int = 1) -> Scenario.Event {
        alert(name, .resolved, at: seconds, line: line)
    }

    /// An alert event with `status`.
    static func alert(_ name: String, _ status: AlertStatus, at seconds: Int, line: Int) -> Scenario.Event {
        let alert = Scenario.inlineAlert(alertname: name, labels: ["service": "api"])
        return Scenario.Event(at: .seconds(seconds), action: .alerts(.init(status: status, alerts: [alert], origin: "inline")), line: line)
    }

    /// alice's `command` on the run of `playbook`.
    static func command(_ command: RunCommand, _ playbook: String, at seconds: Int, line: Int = 1) -> Scenario.Event {
        Scenario.Event(at: .seconds(seconds), action: .command(.init(command: command, playbook: playbook, actor: "alice")), line: line)
    }

    /// A scenario `s.yaml` from `start`.
    static func scenario(_ events: [Scenario.Event], until: Int = 86_400, replicas: [String: Int] = [:],
                         expect: ScenarioExpectations? = nil) -> Scenario {
        Scenario(file: "s.yaml", name: "s", start: start, until: .seconds(until),
                 replicas: replicas.map { Scenario.Count(target: $0.key, value: $0.value, line: 3) }, events: events, expect: expect)
    }

    /// An expected `+OFFSET text` line.
    static func line(_ text: String, _ line: Int) throws -> ScenarioLine {
        try ScenarioLine(parsing: text, line: line)
    }
}

@Suite("Simulator: RunEngine on a virtual clock with dry-run executors")
struct SimulatorTests {
    /// Short name for the fixtures.
    typealias F = SimulationFixtures

    @Test("a day of virtual time with 24 spikes runs in well under a second: the clock jumps, it never sleeps")
    func dayIsFast() {
        let events = (0..<24).flatMap { hour in [F.fire("Spike", at: hour * 3600), F.resolve("Spike", at: hour * 3600 + 1200)] }
        let scenario = F.scenario(events)
        var result: SimulationResult?
        let elapsed = ContinuousClock().measure { result = Simulator.run(scenario, playbooks: F.playbooks) }
        #expect(elapsed < .seconds(1), "24h of virtual time took \(elapsed)")
        let steps = result?.steps ?? []
        #expect(steps.count == 24 * 6, "two actions and four ladder steps per spike")
        #expect(result?.runs.count == 24)
        #expect(result?.runs.allSatisfy { $0.status == .completed } == true)
        // The last ladder step of the last spike: 23h + 20m + 7m13s + 15m of virtual time.
        #expect(steps.last?.entry.offsetSeconds == 23 * 3600 + 1200 + 433 + 900)
        #expect(result?.finalReplicas["api"] == 2)
    }

    @Test("every step runs at exactly its due time, never earlier; the ladder counts from the resolve")
    func exactDueTimes() throws {
        let result = Simulator.run(F.scenario([F.fire("Spike", at: 0), F.resolve("Spike", at: 1801)], until: 7200), playbooks: F.playbooks)
        let steps = result.steps
        #expect(steps.count == 6)
        for (entry, step) in steps {
            let due = try #require(step.due)
            #expect(entry.at == due, "step \(step.index) ran at \(entry.at), due \(due)")
        }
        #expect(steps.map(\.entry.offsetSeconds) == [0, 0, 1801 + 433, 1801 + 733, 1801 + 1033, 1801 + 1333])
        #expect(steps.map(\.step.summary) == [
            "notify", "scale api 2 -> 6", "scale api 6 -> 6", "scale api 6 -> 6", "scale api 6 -> 4", "scale api 4 -> 2",
        ])
        #expect(result.passed)
    }

    @Test("nothing is due before the resolve, and a scenario that ends first leaves the run active")
    func untilStopsTheClock() {
        let result = Simulator.run(F.scenario([F.fire("Spike", at: 0), F.resolve("Spike", at: 600)], until: 600 + 433 + 299),
                                   playbooks: F.playbooks)
        #expect(result.steps.map(\.entry.offsetSeconds) == [0, 0, 600 + 433])
        #expect(result.runs.map(\.status) == [.active])
    }

    @Test("hold stops the ladder; resume moves the remaining steps by the time held")
    func holdAndResume() {
        let events = [F.fire("Spike", at: 0), F.resolve("Spike", at: 600), F.command(.hold, "spike", at: 1100),
                      F.command(.resume, "spike", at: 4100)]
        let result = Simulator.run(F.scenario(events, until: 10_000), playbooks: F.playbooks)
        // Ladder steps were due at 1033, 1333, 1633, 1933; held at 1100 for 3000 s.
        #expect(result.steps.map(\.entry.offsetSeconds) == [0, 0, 1033, 4333, 4633, 4933])
        #expect(result.notifications.contains { $0.entry.offsetSeconds == 1100 && $0.message.contains("held by alice") })
    }

    @Test("a cooldown suppresses a firing right after a run ends; the scale-down removes once per run")
    func cooldown() {
        let events = [F.fire("Quiet", at: 0), F.resolve("Quiet", at: 60), F.fire("Quiet", at: 300), F.resolve("Quiet", at: 360),
                      F.fire("Quiet", at: 700)]
        let result = Simulator.run(F.scenario(events, until: 3600, replicas: ["api": 9]), playbooks: F.playbooks)
        #expect(result.steps.map { "\($0.entry.offsetText) \($0.step.expectationText)" } == [
            "+0s run-1 scale api 9 -> 7", "+11m40s run-2 scale api 7 -> 5",
        ])
        #expect(result.notifications.contains { $0.entry.offsetSeconds == 300 && $0.message.contains("cooling down") })
    }

    @Test("expectations that hold pass, each reported at its line")
    func expectationsPass() throws {
        let expect = ScenarioExpectations(
            line: 10, finalReplicas: [Scenario.Count(target: "api", value: 2, line: 11)],
            actions: [try F.line("+0s run-1 notify", 13), try F.line("+0s   run-1 scale api 2 -> 6", 14),
                      try F.line("+17m13s run-1 scale api 6 -> 6", 15), try F.line("+1333s run-1 scale api 6 -> 6", 16),
                      try F.line("+27m13s run-1 scale api 6 -> 4", 17), try F.line("+32m13s run-1 scale api 4 -> 2", 18)],
            actionsLine: 12, runs: [.init(playbook: "spike", status: .completed, line: 20)], runsLine: 19,
            notifications: [try F.line("+0s run run-1 started", 22), try F.line("+32m13s completed", 23)], notificationsLine: 21
        )
        let result = Simulator.run(F.scenario([F.fire("Spike", at: 0), F.resolve("Spike", at: 600)], until: 7200, expect: expect),
                                   playbooks: F.playbooks)
        #expect(result.passed, "\(result.failures)")
        #expect(result.checks.map(\.location.line) == [11, 12, 20, 22, 23])
    }

    @Test("expectations that are wrong are reported as file:line: message")
    func expectationsFail() throws {
        let expect = ScenarioExpectations(
            line: 10, finalReplicas: [Scenario.Count(target: "api", value: 4, line: 11)],
            actions: [try F.line("+0s run-1 notify", 13), try F.line("+0s run-1 scale api 2 -> 7", 14),
                      try F.line("+17m13s run-1 scale api 6 -> 6", 15), try F.line("+27m13s run-1 scale api 6 -> 4", 16),
                      try F.line("+32m13s run-1 scale api 4 -> 2", 17), try F.line("+40m run-1 restore", 18)],
            actionsLine: 12, runs: [.init(playbook: "spike", status: .aborted, line: 20)], runsLine: 19,
            notifications: [try F.line("+5m run run-1 started", 22)], notificationsLine: 21
        )
        let result = Simulator.run(F.scenario([F.fire("Spike", at: 0), F.resolve("Spike", at: 600)], until: 7200, expect: expect),
                                   playbooks: F.playbooks)
        #expect(!result.passed)
        let failures = result.failures.map(\.description)
        #expect(failures == [
            "s.yaml:11: final replicas of api: 4: got 2",
            "s.yaml:14: step \"+0s run-1 scale api 2 -> 7\": got \"+0s run-1 scale api 2 -> 6\" instead",
            "s.yaml:15: actions: unexpected step \"+22m13s run-1 scale api 6 -> 6\" ran here",
            "s.yaml:18: step \"+40m run-1 restore\": no such step ran",
            "s.yaml:20: run 1: spike aborted: got run-1: spike completed",
            "s.yaml:22: notification \"+5m run run-1 started\": nothing was sent at +5m",
        ])
    }

    @Test("an unexpected extra run and a missing one are reported")
    func runCounts() {
        let expect = ScenarioExpectations(line: 10, runs: [], runsLine: 19)
        let result = Simulator.run(F.scenario([F.fire("Spike", at: 0)], until: 60, expect: expect), playbooks: F.playbooks)
        #expect(result.failures.map(\.description) == ["s.yaml:19: runs: 0 run(s): run-1 (spike, active) also started"])
    }

    @Test("unknown targets and playbooks, late events and refused commands are problems at their lines")
    func problems() {
        var scenario = F.scenario([F.command(.hold, "spike", at: 0, line: 7), F.command(.resume, "nope", at: 10, line: 8),
                                   F.fire("Spike", at: 99_999, line: 9)], until: 3600)
        scenario.replicas = [Scenario.Count(target: "apii", value: 3, line: 4)]
        let unknown = Simulator.run(scenario, playbooks: F.playbooks)
        #expect(unknown.failures.map(\.description) == [
            "s.yaml:4: replicas: no target named apii in the playbooks (targets: api, worker)",
            "s.yaml:8: command: no playbook named nope in the playbooks",
            "s.yaml:9: at 1d3h46m39s is after until (1h): it would never happen",
        ])
        #expect(unknown.timeline.isEmpty, "a scenario with unknown names is not simulated")
        let refused = Simulator.run(F.scenario([F.command(.hold, "spike", at: 0, line: 7), F.fire("Spike", at: 10),
                                                F.command(.resume, "spike", at: 20, line: 9)], until: 3600), playbooks: F.playbooks)
        #expect(refused.failures.map(\.description) == [
            "s.yaml:7: hold of spike at +0s refused: no run of playbook spike has started",
            "s.yaml:9: resume of spike at +20s refused: run run-1 is not held",
        ])
    }

    @Test("expected lines: offsets compare as durations, blanks are normalized, malformed lines are refused")
    func lines() throws {
        let line = try F.line("  +60m   run-1  scale api 2 ->  6 ", 3)
        #expect(line.offset == .seconds(3600))
        #expect(line.text == "run-1 scale api 2 -> 6")
        #expect(line.description == "+1h run-1 scale api 2 -> 6")
        #expect(try F.line("90s notify", 1).offset == .seconds(90))
        #expect(throws: ScenarioLine.ParseError.self) { try F.line("+1h", 1) }
        #expect(throws: ScenarioLine.ParseError.self) { try F.line("soon run-1 notify", 1) }
        #expect(throws: ScenarioLine.ParseError.self) { try F.line("+5 run-1 notify", 1) }
    }

    @Test("the text form shows the timeline, runs and results; the JSON form carries the same")
    func renderings() throws {
        let expect = ScenarioExpectations(line: 10, finalReplicas: [Scenario.Count(target: "api", value: 3, line: 11)])
        let result = Simulator.run(F.scenario([F.fire("Spike", at: 0), F.resolve("Spike", at: 600)], until: 7200, expect: expect),
                                   playbooks: F.playbooks)
        let text = SimulationTextRenderer.render(result)
        #expect(text.contains("+0s        run-1    step 1 scale api 2 -> 6"))
        #expect(text.contains("step 0 notify: spike on api"))
        #expect(text.contains("FAIL  s.yaml:11: final replicas of api: 3: got 2"))
        #expect(text.hasSuffix("FAILED: 1 of 1 expectation(s) failed\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: SimulationJSON.encode(result)) as? [String: Any])
        #expect(json["passed"] as? Bool == false)
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        #expect(timeline.compactMap { $0["type"] as? String }.first == "alert")
        #expect(timeline.filter { $0["type"] as? String == "step" }.count == 6)
    }
}
