import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// Every number and duration of a playbook or scenario at the edge of its range (Playbooks/README.md, "Ranges"):
/// accepted at the limit, refused one past it with the key, the range and the line.
@Suite("Ranges: playbook and scenario numbers are bounded where they are read")
struct RangeSnippetTests {
    /// One past each limit.
    static let pastTheLimit: [Broken] = [
        .target("floor above 100,000", "    compose: {project: p, service: s}\n    bounds: {floor: 100001, ceiling: 100000}\n",
                line: 4, "bounds.floor must be 0 to 100,000 (not 100001)"),
        .target("ceiling above 100,000", "    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 100001}\n",
                line: 4, "bounds.ceiling must be 0 to 100,000 (not 100001)"),
        .target("ceiling of Int64.max", "    compose: {project: p, service: s}\n    bounds:\n      floor: 1\n      ceiling: 9223372036854775807\n",
                line: 6, "bounds.ceiling must be 0 to 100,000 (not 9223372036854775807)"),
        .target("ceiling too long for any integer", "    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 99999999999999999999}\n",
                line: 4, "bounds.ceiling must be 0 to 100,000 (not 99999999999999999999)"),
        .target("max_step above 100,000", "    compose: {project: p, service: s}\n    bounds: {floor: 1, ceiling: 2, max_step: 100001}\n",
                line: 4, "bounds.max_step must be 1 to 100,000 (not 100001)"),
        .playbook("ladder level above 100,000", "    actions: []\n    step_down:\n      every: 5m\n      levels:\n        api: [100001]\n",
                  line: 9, "step_down.levels.api items must be replica counts from 0 to 100,000 or floor (not 100001)"),
        .playbook("ladder of 1,001 levels", "    actions: []\n    step_down:\n      every: 5m\n      levels:\n        api: ["
                  + Array(repeating: "2", count: 1_001).joined(separator: ", ") + "]\n",
                  line: 9, "step_down.levels.api has 1,001 levels; a ladder has at most 1,000 per target"),
        .playbook("cooldown of 366d1s", "    actions: []\n    cooldown: 366d1s\n", line: 6, "cooldown must be 0s to 366d (not 366d1s)"),
        .playbook("dedup_window of 367d", "    actions: []\n    dedup_window: 367d\n", line: 6, "dedup_window must be 0s to 366d (not 367d)"),
        .playbook("ladder hold of 366d1s", "    actions: []\n    step_down: {hold: 366d1s, every: 5m, levels: {api: [2]}}\n", line: 6,
                  "step_down.hold must be 0s to 366d"),
        .playbook("ladder every of 366d1s", "    actions: []\n    step_down: {every: 366d1s, levels: {api: [2]}}\n", line: 6,
                  "step_down.every must be 0s to 366d"),
        .playbook("event lead of 366d1s", kind: "pre-event", "    actions: []\n    event: {lead: 366d1s}\n", line: 6,
                  "event.lead must be 0s to 366d"),
        .playbook("event hold of 366d1s", kind: "pre-event", "    actions: []\n    event: {hold: 366d1s}\n", line: 6,
                  "event.hold must be 0s to 366d"),
        .playbook("a duration too long for Int64 seconds", "    actions: []\n    cooldown: 99999999999999999999s\n", line: 6,
                  "cooldown: invalid duration \"99999999999999999999s\": it is too long"),
        .action("scale to 100,001", "scale: {target: api, to: 100001}", "scale.to must be 0 to 100,000 replicas, max or floor (not 100001)"),
        .action("scale to a 20-digit number", "scale: {target: api, to: 99999999999999999999}", "scale.to must be 0 to 100,000 replicas"),
        .action("scale by +100,001", "scale: {target: api, by: +100001}", "scale.by must be a non-zero whole number from -100,000 to 100,000"),
        .action("scale by -100,001", "scale: {target: api, by: -100001}", "scale.by must be a non-zero whole number from -100,000 to 100,000"),
        .action("scale by Int64.max", "scale: {target: api, by: +9223372036854775807}", "(not +9223372036854775807)"),
        .action("scale factor above 100", "scale: {target: api, factor: 100.5}", "scale.factor must be a number greater than 0 and at most 100"),
        .action("scale factor of Int64.max", "scale: {target: api, factor: 9223372036854775807}", "at most 100"),
        .action("autoscaler min above 100,000", "autoscaler: {target: api, min: 100001}", "autoscaler.min must be 0 to 100,000 (not 100001)"),
        .action("autoscaler max above 100,000", "autoscaler: {target: api, max: 100001}", "autoscaler.max must be 0 to 100,000 (not 100001)"),
        .action("autoscaler min negative", "autoscaler: {target: api, min: -1}", "autoscaler.min must be 0 to 100,000 (not -1)"),
        .action("http timeout of 1h1s", "http: {url: \"https://x\", timeout: 1h1s}", "http.timeout must be more than 0s and at most 1h (not 1h1s)"),
        .action("command timeout of 1h1s", "command: {argv: [run], timeout: 1h1s}", "command.timeout must be more than 0s and at most 1h (not 1h1s)"),
        .action("command timeout 0s", "command: {argv: [run], timeout: 0s}", "command.timeout must be more than 0s"),
    ]

    @Test("one past the limit is refused at its line, naming the key and the range", arguments: pastTheLimit)
    func refused(_ broken: Broken) throws {
        try expectOneProblem(broken)
    }

    @Test("every limit itself is accepted")
    func atTheLimit() throws {
        let levels = "[" + Array(repeating: "100000", count: 1_000).joined(separator: ", ") + "]"
        let text = """
            targets:
              - name: big
                compose: {project: p, service: big}
                bounds: {floor: 1, ceiling: 100000, max_step: 100000}
              - name: zero
                compose: {project: p, service: zero}
                bounds: {floor: 0, ceiling: 0, max_step: 1, allow_zero: true}
            playbooks:
              - name: p
                kind: emergency-scale
                match: {matchers: [alertname=X]}
                actions:
                  - scale: {target: big, to: 100000}
                  - scale: {target: big, to: 0}
                  - scale: {target: big, by: +100000}
                  - scale: {target: big, by: -100000}
                  - scale: {target: big, factor: 100}
                  - autoscaler: {target: api, min: 0, max: 100000}
                  - http: {url: "https://x", timeout: 1h}
                  - command: {argv: [run], timeout: 1h}
                step_down: {hold: 366d, every: 366d, levels: {big: \(levels)}}
                cooldown: 366d
                dedup_window: 0s
              - name: e
                kind: pre-event
                match: {matchers: [alertname=Y]}
                actions: []
                event: {lead: 366d, hold: 366d}
            """
        let set = try loaded([("base.yaml", baseTargets), ("t.yaml", text)])
        #expect(set.targets["big"]?.bounds == Target.Bounds(floor: 1, ceiling: 100_000, maxStep: 100_000))
        let playbook = try #require(set.playbooks.first { $0.name == "p" })
        #expect(playbook.ladder?.levels.first?.values.count == 1_000)
        #expect(playbook.cooldown == .seconds(366 * 86_400))
    }

    /// The playbook of issue 13 that `validate` used to accept and the planner then trapped on.
    static let issue13 = """
        targets:
          - name: api
            compose: {project: p, service: api}
            bounds: {floor: 1, ceiling: 9223372036854775807, max_step: 9223372036854775807}
        playbooks:
          - name: boom
            kind: emergency-scale
            match: {matchers: [alertname=Boom]}
            actions:
              - scale: {target: api, by: +9223372036854775807}
              - scale: {target: api, factor: 9223372036854775807}
            step_down: {every: 5m, levels: {api: [9223372036854775807]}}
        """

    @Test("issue 13's Int64.max ceiling, max_step, by, factor and ladder level are each refused at their line")
    func issue13Playbook() throws {
        let found = try problems([("boom.yaml", Self.issue13)])
        #expect(found.map(\.description) == [
            "boom.yaml:4: bounds.ceiling must be 0 to 100,000 (not 9223372036854775807)",
            "boom.yaml:4: bounds.max_step must be 1 to 100,000 (not 9223372036854775807)",
            "boom.yaml:10: scale.by must be a non-zero whole number from -100,000 to 100,000, such as +2 or -1 "
                + "(not +9223372036854775807)",
            "boom.yaml:11: scale.factor must be a number greater than 0 and at most 100, such as 2 or 1.5 "
                + "(not 9223372036854775807)",
            "boom.yaml:12: step_down.levels.api items must be replica counts from 0 to 100,000 or floor "
                + "(not 9223372036854775807)",
        ])
    }
}

/// Scenario values at their limits.
extension RangeSnippetTests {
    @Test("a scenario at every limit loads: start 1970, until and at 366d, counts 0 and 100,000")
    func scenarioAtTheLimit() throws {
        let text = "name: t\nstart: 1970-01-01T00:00:00Z\nuntil: 366d\nreplicas: {api: 100000}\nautoscaler_desired: {api: 0}\n"
            + "events:\n  - {at: 366d, fire: {alertname: A}}\n"
        let scenario = try ScenarioLoader.load(text: text, file: "t.yaml", directory: "/nonexistent").get()
        #expect(scenario.until == .seconds(366 * 86_400))
        #expect(scenario.events.first?.at == .seconds(366 * 86_400))
        #expect(scenario.replicas.first?.value == 100_000)
        #expect(scenario.start == Date(timeIntervalSince1970: 0))
    }
}
