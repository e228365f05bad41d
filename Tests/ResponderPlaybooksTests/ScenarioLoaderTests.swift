import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// The repository's `Playbooks/` folder and its scenarios.
enum Shipped {
    /// Root of the repository (this file is `Tests/ResponderPlaybooksTests/ScenarioLoaderTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// `Playbooks/`.
    static let playbooks = root + "/Playbooks"
    /// `Playbooks/scenarios/`.
    static let scenarios = playbooks + "/scenarios"

    /// Names of the shipped scenario files.
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scenarios)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The default playbook set.
    static func set() throws -> PlaybookSet {
        switch PlaybookLoader.load(directory: playbooks) {
        case .success(let set): return set
        case .failure(let problems): throw problems
        }
    }
}

/// One mistake in a scenario, where it must be reported, and a fragment of the message.
struct BrokenScenario: CustomTestStringConvertible, Sendable {
    /// What the mistake is, as the test case is named.
    let label: String
    /// The whole file.
    let text: String
    /// Line the problem must be reported at.
    let line: Int
    /// Part of the message.
    let fragment: String
    /// The label.
    var testDescription: String { label }

    /// A whole file.
    static func file(_ label: String, _ text: String, line: Int, _ fragment: String) -> BrokenScenario {
        BrokenScenario(label: label, text: text, line: line, fragment: fragment)
    }

    /// `name`, `start`, `until` on lines 1-3; `body` starts at line 4.
    static func body(_ label: String, _ body: String, line: Int, _ fragment: String) -> BrokenScenario {
        BrokenScenario(label: label, text: "name: t\nstart: 2026-01-01T00:00:00Z\nuntil: 1h\n" + body, line: line, fragment: fragment)
    }

    /// One event, `- ` on line 5, then `more` from line 6.
    static func event(_ label: String, _ event: String, more: String = "", line: Int = 5, _ fragment: String) -> BrokenScenario {
        body(label, "events:\n  - \(event)\n" + more, line: line, fragment)
    }
}

@Suite("Scenario files: strict loading, and the shipped scenarios against the default playbooks")
struct ScenarioLoaderTests {
    /// One valid event, flow style.
    static let fire = "{at: 0s, fire: {alertname: A}}"

    @Test("every shipped scenario loads and passes against the default playbooks", arguments: Shipped.files)
    func shippedScenarioPasses(_ name: String) throws {
        let set = try Shipped.set()
        let scenario = try ScenarioLoader.load(path: Shipped.scenarios + "/" + name).get()
        #expect(scenario.expect?.actions != nil && scenario.expect?.runs != nil, "\(name) states its steps and runs")
        let result = Simulator.run(scenario, playbooks: set)
        #expect(result.passed, "\(result.failures.map(\.description).joined(separator: "\n"))")
    }

    @Test("one shipped scenario per default playbook, named after it, whose runs are that playbook's")
    func onePerPlaybook() throws {
        let set = try Shipped.set()
        #expect(set.playbooks.count == 18)
        for playbook in set.playbooks {
            let scenario = try ScenarioLoader.load(path: "\(Shipped.scenarios)/\(playbook.name).yaml").get()
            #expect(scenario.name == playbook.name)
            // One run, or one per day for a recurring schedule.
            let runs = scenario.expect?.runs?.map(\.playbook) ?? []
            #expect(!runs.isEmpty && runs.allSatisfy { $0 == playbook.name }, "\(playbook.name): \(runs)")
            #expect(runs.count == 1 || playbook.schedule != nil, "\(playbook.name): \(runs)")
            #expect(scenario.expect?.finalReplicas.isEmpty == false)
        }
    }

    @Test("each shipped scenario, the longest included, simulates in well under a second")
    func shippedScenariosAreFast() throws {
        let set = try Shipped.set()
        let scenarios = try Shipped.files.map { try ScenarioLoader.load(path: Shipped.scenarios + "/" + $0).get() }
        let clock = ContinuousClock()
        for scenario in scenarios {
            let elapsed = clock.measure { _ = Simulator.run(scenario, playbooks: set) }
            #expect(elapsed < .seconds(1), "\(scenario.name): \(elapsed) for \(scenario.until.playbookText) of virtual time")
        }
    }

    @Test("the example of Playbooks/scenarios/README.md is a scenario that passes")
    func readmeExample() throws {
        let readme = try String(contentsOfFile: Shipped.scenarios + "/README.md", encoding: .utf8)
        let blocks = readme.matches(of: /```yaml\n((?s).*?)```/).map { String($0.1) }
        #expect(blocks.count == 1)
        let text = try #require(blocks.first)
        let scenario = try ScenarioLoader.load(text: text, file: "README.md", directory: Shipped.scenarios).get()
        let result = Simulator.run(scenario, playbooks: try Shipped.set())
        #expect(result.passed, "\(result.failures.map(\.description))")
        #expect(result.checks.count == 7)
    }

    @Test("a fixture reads its alert file relative to its own folder, resolves inline, and meets its expectations")
    func validFixture() throws {
        let set = try PlaybookLoader.load(files: [("p.yaml", """
            targets:
              - name: api
                compose: {project: p, service: api}
                bounds: {floor: 2, ceiling: 10}
            playbooks:
              - name: spike
                kind: emergency-scale
                match: {matchers: ['alertname="TrafficSpike"']}
                actions:
                  - notify: "Spike: ${annotations.summary}"
                  - scale: {target: api, to: max}
                step_down: {hold: 10m, every: 10m, levels: {api: [5, floor]}}
            """)]).get()
        let scenario = try ScenarioLoader.load(path: try Fixture.path("scenarios/valid.yaml")).get()
        #expect(scenario.events.count == 4)
        guard case .alerts(let fired) = scenario.events[0].action, case .alerts(let resolved) = scenario.events[1].action else {
            Issue.record("the first two events are alerts")
            return
        }
        #expect(fired.origin == "alerts/traffic-spike.json")
        #expect(fired.alerts.map(\.fingerprint) == resolved.alerts.map(\.fingerprint), "inline labels give Alertmanager's fingerprint")
        let result = Simulator.run(scenario, playbooks: set)
        #expect(result.passed, "\(result.failures.map(\.description))")
    }

    @Test("a broken file reports every problem as file:line: message, in line order")
    func brokenFixture() throws {
        let path = try Fixture.path("scenarios/broken.yaml")
        let problems = try #require(Self.problems(ScenarioLoader.load(path: path)))
        let lines = problems.map { "\($0.location.line): \($0.message)" }
        let expected: [(Int, String)] = [
            (1, "name \"Broken Scenario\" must be lower-case letters"),
            (2, "start must be an RFC 3339 time between the years 1970 and 9999 such as 2026-03-02T14:05:00Z (not \"2026-05-12 19:20\")"),
            (4, "replicas.api must be a whole number of replicas from 0 to 100,000"),
            (7, "events[0].fire.file: alerts/not-an-alert.json: "),
            (8, "events[1].at (5m) is earlier than the event before it (10m): list events in time order"),
            (9, "events[1].resolve.file: cannot read alerts/missing.json"),
            (11, "events[2].command.action must be one of ack, hold, resume, abort (not \"pause\")"),
            (13, "events[3].fire.labels.alertname: give the name once, as events[3].fire.alertname"),
            (16, "unknown key \"state\" in expect.runs[0]; allowed: playbook, status"),
            (16, "expect.runs[0].status is required"),
            (18, "expect.actions[0]: \"run-1 notify\" must start with an offset such as +0s or +1h15m"),
        ]
        #expect(problems.count == expected.count, "\(lines)")
        for ((line, fragment), problem) in zip(expected, problems) {
            #expect(problem.location == FileLocation(file: path, line: line), "\(problem)")
            #expect(problem.message.hasPrefix(fragment), "\(problem)")
        }
    }

    @Test("anchors and aliases are refused before YAML is parsed")
    func anchors() throws {
        let problems = try #require(Self.problems(ScenarioLoader.load(path: try Fixture.path("scenarios/anchors.yaml"))))
        #expect(problems.map(\.location.line) == [5])
        #expect(problems.first?.message.contains("anchors and aliases are not allowed in scenario files") == true)
    }

    /// One mistake per snippet.
    static let broken: [BrokenScenario] = [
        .body("unknown top-level key", "events:\n  - \(fire)\nexpct: {runs: []}\n", line: 6, "unknown key \"expct\" in a scenario file; allowed: name,"),
        .body("events missing", "", line: 1, "events is required"),
        .body("events not a list", "events: {at: 0s}\n", line: 4, "events must be a list, not a mapping"),
        .body("events empty", "events: []\n", line: 4, "events is empty"),
        .body("replicas not a mapping", "replicas: [api]\nevents:\n  - \(fire)\n", line: 4, "replicas must be a mapping of target names"),
        .body("replicas negative", "replicas: {api: -1}\nevents:\n  - \(fire)\n", line: 4, "replicas.api must be a whole number"),
        .body("autoscaler count quoted", "autoscaler_desired:\n  api: \"3\"\nevents:\n  - \(fire)\n", line: 5,
              "autoscaler_desired.api must be a whole number"),
        .file("until missing", "name: t\nstart: 2026-01-01T00:00:00Z\nevents:\n  - \(fire)\n", line: 1, "until is required"),
        .file("until without unit", "name: t\nstart: 2026-01-01T00:00:00Z\nuntil: 3600\nevents:\n  - \(fire)\n",
                       line: 3, "until: invalid duration \"3600\""),
        .file("until zero", "name: t\nstart: 2026-01-01T00:00:00Z\nuntil: 0s\nevents:\n  - \(fire)\n",
                       line: 3, "until must be longer than 0s"),
        .file("until of 366d1s", "name: t\nstart: 2026-01-01T00:00:00Z\nuntil: 366d1s\nevents:\n  - \(fire)\n",
              line: 3, "until must be 0s to 366d (not 366d1s)"),
        .file("start before 1970", "name: t\nstart: 1969-12-31T23:59:59Z\nuntil: 1h\nevents:\n  - \(fire)\n",
              line: 2, "start must be an RFC 3339 time between the years 1970 and 9999"),
        .body("replicas above 100,000", "replicas: {api: 100001}\nevents:\n  - \(fire)\n", line: 4,
              "replicas.api must be a whole number of replicas from 0 to 100,000 (not 100001)"),
        .body("autoscaler_desired of Int64.max", "autoscaler_desired: {api: 9223372036854775807}\nevents:\n  - \(fire)\n", line: 4,
              "autoscaler_desired.api must be a whole number of replicas from 0 to 100,000 (not 9223372036854775807)"),
        .event("final_replicas above 100,000", fire, more: "expect: {final_replicas: {api: 100001}}\n", line: 6,
               "expect.final_replicas.api must be a whole number of replicas from 0 to 100,000 (not 100001)"),
        .event("at of 366d1s", "{at: 366d1s, fire: {alertname: A}}", "events[0].at must be 0s to 366d (not 366d1s)"),
        .file("not a mapping", "- name: t\n", line: 1, "a scenario file must be a mapping, not a list"),
        .file("invalid YAML", "name: t\nevents: [\n", line: 3, "invalid YAML"),
        .file("empty file", "", line: 0, "the file is empty"),
        .event("no at", "fire: {alertname: A}", "events[0].at is required"),
        .event("after until", "{at: 2h, fire: {alertname: A}}", "events[0].at (2h) is after until (1h)"),
        .event("two kinds", "{at: 0s, fire: {alertname: A}, resolve: {alertname: A}}",
               "events[0] needs exactly one of fire, resolve, command, schedule, move_event, cancel_event, pause, unpause (found fire and resolve)"),
        .event("no kind", "{at: 0s}", "events[0] needs exactly one of fire, resolve, command, schedule, move_event, cancel_event, pause, unpause"),
        .event("pause without a reason", "{at: 0s, pause: {target: api}}", "events[0].pause.reason is required"),
        .event("pause in a direction that is none", "{at: 0s, pause: {reason: r, direction: sideways}}",
               "events[0].pause.direction must be one of up, down, both (not \"sideways\")"),
        .event("pause with a mode that is none", "{at: 0s, pause: {reason: r, mode: later}}", "events[0].pause.mode must be one of wait, skip"),
        .event("pause for no time", "{at: 0s, pause: {reason: r, for: 0s}}", "events[0].pause.for must be longer than 0s"),
        .event("pause of a bad target name", "{at: 0s, pause: {reason: r, target: API!}}", "events[0].pause.target \"API!\" is not a target name"),
        .event("unpause by id and scope", "{at: 0s, unpause: {id: pause-1, target: api}}", "events[0].unpause takes id, or target and direction, not both"),
        .body("limits with an unknown key", "limits: {per_target: {actions: 2, window: 1h}, per_run: 3}\nevents: [\(fire)]\n", line: 4,
              "unknown key \"per_run\" in limits; allowed: per_target, total, targets_per_run, on_limit"),
        .body("limits with a window of two days", "limits:\n  total: {actions: 2, window: 2d}\nevents: [\(fire)]\n", line: 5,
              "limits.total.window must be 1m to 1d (not 2d)"),
        .body("limits without actions", "limits:\n  per_target: {window: 1h}\nevents: [\(fire)]\n", line: 5,
              "limits.per_target.actions is required"),
        .body("limits of no action", "limits:\n  per_target: {actions: 0, window: 1h}\nevents: [\(fire)]\n", line: 5,
              "limits.per_target.actions must be 1 to 10,000 (not 0)"),
        .body("limits that limit nothing", "limits: {on_limit: hold}\nevents: [\(fire)]\n", line: 4,
              "limits sets no limit: give per_target, total or targets_per_run"),
        .body("limits that hold a little", "limits: {targets_per_run: 2, on_limit: sometimes}\nevents: [\(fire)]\n", line: 4,
              "limits.on_limit must be one of wait, hold"),
        .event("schedule without end", "{at: 0s, schedule: {playbook: p, name: n, start: \"2026-01-01T10:00:00Z\"}}",
               "events[0].schedule.end is required"),
        .event("schedule with an unknown key", "{at: 0s, schedule: {playbok: p, name: n, start: \"2026-01-01T10:00:00Z\"}}",
               "unknown key \"playbok\" in events[0].schedule; allowed: playbook, name, start, end, time_zone, labels, annotations, by"),
        .event("schedule with a bad time", "{at: 0s, schedule: {playbook: p, name: n, start: \"2026-13-01T10:00\", end: \"2026-01-01T11:00:00Z\", time_zone: UTC}}",
               "events[0].schedule.start: invalid time \"2026-13-01T10:00\""),
        .event("schedule with a local time and no zone", "{at: 0s, schedule: {playbook: p, name: n, start: \"2026-01-01T10:00\", end: \"2026-01-01T11:00:00Z\"}}",
               "events[0].schedule.start: the time \"2026-01-01T10:00\" has no offset: give a time zone"),
        .event("schedule in an unknown zone", "{at: 0s, schedule: {playbook: p, name: n, start: \"2026-01-01T10:00\", end: \"2026-01-01T11:00\", time_zone: Mars/Olympus}}",
               "events[0].schedule.time_zone: unknown time zone \"Mars/Olympus\"; use an IANA time zone name"),
        .event("schedule at a local time the clocks skip", "{at: 0s, schedule: {playbook: p, name: n, start: \"2027-03-28T02:30\", end: \"2027-03-28T05:00\", time_zone: Europe/Berlin}}",
               "events[0].schedule.start: 2027-03-28T02:30 does not exist in Europe/Berlin: the clocks jump from 2027-03-28T02:00 to 2027-03-28T03:00"),
        .body("two events with one name", """
            events:
              - {at: 0s, schedule: {playbook: p, name: n, start: "2026-01-01T10:00:00Z", end: "2026-01-01T11:00:00Z"}}
              - {at: 1s, schedule: {playbook: p, name: n, start: "2026-01-01T12:00:00Z", end: "2026-01-01T13:00:00Z"}}

            """, line: 6, "events[1].schedule.name \"n\" already names the event scheduled at line 5: give each event its own name"),
        .event("move of an unknown event", "{at: 0s, move_event: {event: Friday, end: \"2026-01-01T10:00:00Z\"}}",
               "events[0].move_event.event: no event named \"Friday\" is scheduled before this item (scheduled: none)"),
        .body("cancel before the schedule", """
            events:
              - {at: 0s, cancel_event: {event: n}}
              - {at: 1s, schedule: {playbook: p, name: n, start: "2026-01-01T12:00:00Z", end: "2026-01-01T13:00:00Z"}}

            """, line: 5, "events[0].cancel_event.event: no event named \"n\" is scheduled before this item"),
        .event("move without times", "{at: 0s, move_event: {event: \"p 2026-01-01T08:00\"}}", "events[0].move_event needs start, end or both"),
        .event("move with a bad time", "{at: 0s, move_event: {event: \"p 2026-01-01T08:00\", end: tomorrow}}",
               "events[0].move_event.end: invalid time \"tomorrow\""),
        .event("cancel in an unknown mode", "{at: 0s, cancel_event: {event: \"p 2026-01-01T08:00\", cancel: now}}",
               "events[0].cancel_event.cancel must be one of ladder, abort (not \"now\")"),
        .event("refused on an alert", "{at: 0s, fire: {alertname: A}, refused: overlaps}",
               "events[0].refused only applies to schedule, move_event, cancel_event"),
        .event("refused empty", "{at: 0s, cancel_event: {event: \"p 2026-01-01T08:00\"}, refused: \" \"}",
               "events[0].refused must be part of the expected refusal"),
        .event("unknown event key", "{at: 0s, fire: {alertname: A}, note: x}", "unknown key \"note\" in events[0]"),
        .event("file and inline", "{at: 0s, fire: {file: alerts/traffic-spike.json, alertname: A}}",
               "events[0].fire gives file and alertname: use either"),
        .event("empty alert", "{at: 0s, resolve: {}}", "events[0].resolve needs file (a sample alert) or an inline alert"),
        .event("missing alert file", "{at: 0s, fire: {file: alerts/nope.json}}", "events[0].fire.file: cannot read alerts/nope.json"),
        .event("not an alert file", "{at: 0s, fire: {file: alerts/not-an-alert.json}}", "events[0].fire.file: alerts/not-an-alert.json: "),
        .event("unknown alert key", "{at: 0s, fire: {alertname: A, lables: {a: b}}}", "unknown key \"lables\" in events[0].fire"),
        .event("alertname missing", "{at: 0s, fire: {labels: {a: b}}}", "events[0].fire.alertname is required"),
        .event("bad label name", "{at: 0s, fire: {alertname: A, labels: {a-b: c}}}", "events[0].fire.labels: \"a-b\" is not a label name"),
        .event("label not a string", "{at: 0s, fire: {alertname: A, labels: {a: [1]}}}", "events[0].fire.labels.a must be a string"),
        .event("bad source", "{at: 0s, fire: {alertname: A, source: prometheus}}",
               "events[0].fire.source must be one of alertmanager, cloudwatch (not \"prometheus\")"),
        .event("bad command", "{at: 0s, command: {action: pause, playbook: p}}", "events[0].command.action must be one of ack, hold, resume, abort"),
        .event("command without playbook", "{at: 0s, command: {action: hold}}", "events[0].command.playbook is required"),
        .event("expect empty", fire, more: "expect: {}\n", line: 6, "expect needs at least one of final_replicas, actions, runs, notifications"),
        .event("expect unknown key", fire, more: "expect: {final: {api: 1}}\n", line: 6, "unknown key \"final\" in expect"),
        .event("action without offset", fire, more: "expect:\n  actions:\n    - run-1 notify\n", line: 8,
               "expect.actions[0]: \"run-1 notify\" must start with an offset"),
        .event("action without text", fire, more: "expect:\n  actions: [+0s]\n", line: 7, "expect.actions[0]: \"+0s\" must be \"+OFFSET text\""),
        .event("actions not a list", fire, more: "expect:\n  actions: +0s run-1 notify\n", line: 7, "expect.actions must be a list of strings"),
        .event("run status unknown", fire, more: "expect:\n  runs: [{playbook: p, status: done}]\n", line: 7,
               "expect.runs[0].status must be one of active, held, completed, aborted, preempted, failed"),
        .event("notification not a string", fire, more: "expect:\n  notifications: [{a: b}]\n", line: 7,
               "expect.notifications[0] must be a string, not a mapping"),
    ]

    @Test("a broken snippet reports its problem at the right line", arguments: broken)
    func brokenSnippet(_ broken: BrokenScenario) throws {
        let directory = (try Fixture.path("scenarios/valid.yaml") as NSString).deletingLastPathComponent
        let problems = try #require(Self.problems(ScenarioLoader.load(text: broken.text, file: "t.yaml", directory: directory)))
        #expect(problems.contains { $0.location == FileLocation(file: "t.yaml", line: broken.line) && $0.message.contains(broken.fragment) },
                "\(problems.map(\.description))")
    }

    /// The problems of a load that must fail.
    static func problems(_ result: Result<Scenario, PlaybookProblems>) -> [PlaybookProblem]? {
        switch result {
        case .success(let scenario):
            Issue.record("expected problems, loaded \(scenario.name)")
            return nil
        case .failure(let problems):
            return problems.problems
        }
    }
}
