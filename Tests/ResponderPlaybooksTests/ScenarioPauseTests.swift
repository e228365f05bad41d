import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// `pause:`, `unpause:` and `limits:` in scenarios, simulated against the default playbooks as the server would run
/// them.
@Suite("scenarios with pauses and limits")
struct ScenarioPauseTests {
    static func simulate(_ events: String, limits: String = "") throws -> SimulationResult {
        let text = """
            name: t
            start: 2026-03-02T14:05:00Z
            until: 4h
            schedules: []
            \(limits)
            events:
              - at: 0s
                fire: {alertname: TrafficSpike, labels: {ecs_cluster: hyperverge-prod, severity: critical}}
            \(events)
            """
        let scenario = try ScenarioLoader.load(text: text, file: "t.yaml", directory: Shipped.scenarios).get()
        return Simulator.run(scenario, playbooks: try Shipped.set())
    }

    static func steps(_ result: SimulationResult) -> [String] {
        result.timeline.compactMap { entry in
            guard case .step(let step) = entry.kind, step.action == "scale" else { return nil }
            return "\(entry.offsetText) \(step.target ?? "") \(step.from.map(String.init) ?? "?") -> \(step.to.map(String.init) ?? "?")"
        }
    }

    @Test("an unpause lets the waiting step run at that instant, as the server re-checks at once; one that matches nothing is a problem")
    func unpauseAtOnce() throws {
        let result = try Self.simulate("""
              - at: 30m
                pause: {target: hyperverge-api, direction: down, reason: freeze}
              - at: 45m
                resolve: {alertname: TrafficSpike, labels: {ecs_cluster: hyperverge-prod, severity: critical}}
              - at: 1h40m
                unpause: {target: hyperverge-api, direction: down, by: bob}
              - at: 1h50m
                unpause: {id: pause-7}
            """)
        #expect(Self.steps(result).prefix(4) == ["+0s hyperverge-api 2 -> 10", "+0s hyperverge-worker 2 -> 20",
                                                 "+1h40m hyperverge-api 10 -> 5", "+1h40m hyperverge-worker 20 -> 10"])
        #expect(result.problems.map(\.message) == ["unpause at +1h50m: no pause in force matches"])
        let notices = result.timeline.compactMap { entry -> String? in
            if case .notify(nil, let message) = entry.kind { return "\(entry.offsetText) \(message)" }
            return nil
        }
        #expect(notices.first == "+30m PAUSED: pause-1 (target hyperverge-api, scale-down: freeze, by simulator); steps it covers wait until it is lifted")
        #expect(notices.last?.hasPrefix("+1h40m pause pause-1 lifted by bob after 1h10m: scale-down steps on hyperverge-api run again") == true)
    }

    @Test("a pause on a target the playbooks do not have is a problem at its line")
    func unknownTarget() throws {
        let result = try Self.simulate("""
              - at: 30m
                pause: {target: hyperverge-apii, reason: typo}
            """)
        #expect(result.problems.map(\.message).contains { $0.hasPrefix("pause: no target named hyperverge-apii in the playbooks") })
    }

    @Test("the scenario's limits stand for the configuration's: a second target past targets_per_run waits for an acknowledgement")
    // The autoscaler change on hyperverge-worker comes first, so hyperverge-api is the second target.
    func scenarioLimits() throws {
        let result = try Self.simulate("""
              - at: 5m
                command: {action: ack, playbook: hyperverge-emergency-scale, by: alice}
            """, limits: "limits: {targets_per_run: 1}")
        #expect(Self.steps(result).prefix(2) == ["+5m hyperverge-api 2 -> 10", "+5m hyperverge-worker 2 -> 20"])
    }
}
