import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

@Suite("Loading a valid playbook folder")
struct ValidSetTests {
    /// Absolute path of the fixture folder.
    let folder: String
    /// What it loaded to.
    let set: PlaybookSet

    /// Loads `Fixtures/valid`, failing the suite on any problem.
    init() throws {
        folder = try Fixture.path("valid")
        switch PlaybookLoader.load(directory: folder) {
        case .success(let set): self.set = set
        case .failure(let problems):
            Issue.record("unexpected problems:\n\(problems)")
            throw problems
        }
    }

    private func at(_ file: String, _ line: Int) -> FileLocation {
        FileLocation(file: (folder as NSString).appendingPathComponent(file), line: line)
    }

    @Test("reads only *.yaml / *.yml directly in the folder, sorted")
    func files() {
        #expect(set.files == ["10-targets.yaml", "20-playbooks.yml"])
        #expect(set.summary == "2 files, 4 targets, 3 playbooks")
    }

    @Test("targets of every backend, with bounds and locations")
    func targets() throws {
        let api = try #require(set.targets["api-gateway"])
        #expect(api.backend == .kubernetes(Target.Kubernetes(kind: .statefulSet, namespace: "production", name: "api-gateway",
                                                             hpa: "api-gateway-hpa", container: "gateway")))
        #expect(api.bounds == Target.Bounds(floor: 3, ceiling: 20, maxStep: 10))
        #expect(api.description == "Public API entry point")
        #expect(api.location == at("10-targets.yaml", 3))

        let worker = try #require(set.targets["worker"])
        #expect(worker.backend == .ecs(Target.ECS(cluster: "prod", service: "worker", region: "eu-west-1", scalableTarget: true)))
        #expect(worker.location == at("10-targets.yaml", 16))

        let backend = try #require(set.targets["backend"])
        #expect(backend.backend == .compose(Target.Compose(project: "labelmint", service: "backend", file: "deploy/compose.yaml")))
        #expect(backend.bounds == Target.Bounds(floor: 0, ceiling: 10, allowZero: true))

        let pool = try #require(set.targets["legacy-pool"])
        #expect(pool.backend == .command(Target.Command(get: ["/usr/local/bin/pool-size", "get"],
                                                        set: ["/usr/local/bin/pool-size", "set", "{replicas}"])))
        #expect(pool.bounds.maxStep == nil)
    }

    @Test("an emergency-scale playbook with every action kind")
    func emergency() throws {
        let playbook = try #require(set.playbooks.first)
        #expect(playbook.name == "emergency-scale-api")
        #expect(playbook.kind == .emergencyScale)
        #expect(playbook.location == at("20-playbooks.yml", 2))
        #expect(playbook.match.sources == [.alertmanager, .cloudwatch])
        #expect(playbook.match.matchers == [AlertMatcher(name: "alertname", op: .equal, value: "TrafficSpike"),
                                            AlertMatcher(name: "severity", op: .regexMatch, value: "critical|page")])
        try #require(playbook.actions.count == 9)
        #expect(playbook.actions[0] == .scale(target: "api-gateway", change: .toMax))
        #expect(playbook.actions[1] == .scale(target: "worker", change: .by(2)))
        #expect(playbook.actions[2] == .scale(target: "backend", change: .factor(1.5)))
        #expect(playbook.actions[3] == .autoscaler(target: "api-gateway", min: 10, max: 25))
        #expect(playbook.actions[4] == .env(target: "api-gateway", set: ["RATE_LIMIT_MULTIPLIER": "2"]))
        #expect(playbook.actions[5] == .annotate(target: "api-gateway", object: .hpa,
                                                 set: ["autoscaling.alpha.kubernetes.io/scale-down-disabled": "true", "old": nil]))
        #expect(playbook.actions[6] == .http(Action.HTTPCall(
            method: "POST", url: "https://api.example.com/admin/cache/warm-up?alert=${labels.alertname}&by=responder",
            headers: ["X-Playbook": "${playbook}"], timeout: .seconds(10), expectStatus: [200, 204])))
        #expect(playbook.actions[7] == .command(Action.CommandCall(
            argv: ["./scripts/warm-cache.sh", "--deployment", "{deployment}"], env: ["FINGERPRINT": "${alert.fingerprint}"],
            params: ["deployment": .init(from: "labels.deployment", pattern: "k8s-name")], timeout: .seconds(120))))
        #expect(playbook.actions[8] == .notify(message: "Emergency scale of ${labels.service} to its maximum"))

        let ladder = try #require(playbook.ladder)
        #expect(ladder == Playbook.Ladder(hold: .seconds(600), every: .seconds(1800),
                                          levels: [("api-gateway", [.replicas(5), .replicas(2)]), ("worker", [.replicas(10), .floor])],
                                          restore: true))
        #expect(playbook.gates == Playbook.Gates(onRefire: .abort, onResolve: .abort, requireAck: true, respectAutoscaler: true))
        #expect(playbook.cooldown == .seconds(900))
        #expect(playbook.event == nil)
    }

    @Test("defaults from the format reference")
    func defaults() throws {
        let emergency = try #require(set.playbooks.first { $0.name == "emergency-scale-api" })
        #expect(emergency.dedupWindow == .seconds(300))
        #expect(emergency.missedDeadline == .fire)
        #expect(emergency.page)
        #expect(!emergency.dryRun)

        let event = try #require(set.playbooks.first { $0.name == "black-friday" })
        #expect(event.kind == .preEvent)
        #expect(event.event == Playbook.EventTiming(lead: .seconds(86_400), hold: .seconds(3_600)))
        #expect(!event.page)
        #expect(event.dryRun)
        #expect(event.missedDeadline == .waitForAck)
        #expect(event.cooldown == .zero)
        #expect(event.gates == Playbook.Gates())
        #expect(event.ladder == Playbook.Ladder(every: .seconds(3_600), levels: [("legacy-pool", [.replicas(4), .floor])]))
        #expect(event.location == at("20-playbooks.yml", 40))

        let quiet = try #require(set.playbooks.first { $0.name == "quiet-night" })
        #expect(quiet.actions.isEmpty)
        #expect(quiet.match.sources.isEmpty)
        #expect(quiet.match.matchers == [AlertMatcher(name: "alertname", op: .equal, value: "LowCPU")])
        #expect(quiet.gates == Playbook.Gates(onResolve: .continue, respectAutoscaler: false))
        #expect(quiet.page)
        #expect(quiet.ladder?.hold == .zero)
        #expect(quiet.ladder?.restore == false)
    }

    @Test("a pre-event playbook without an event block gets zero lead and hold")
    func preEventDefaults() throws {
        let set = try loaded([("base.yaml", baseTargets), ("p.yaml", """
            playbooks:
              - name: launch
                kind: pre-event
                match: {matchers: [alertname=Launch]}
                actions: [{scale: {target: api, to: 10}}]
            """)])
        #expect(set.playbooks.first?.event == Playbook.EventTiming(lead: .zero, hold: .zero))
    }

    @Test("an empty file and a file with only comments are valid and empty")
    func emptyFiles() throws {
        let set = try loaded([("a.yaml", ""), ("b.yaml", "# nothing yet\n"), ("c.yaml", "targets: []\nplaybooks:\n")])
        #expect(set.summary == "3 files, 0 targets, 0 playbooks")
    }
}

@Suite("What is not a mistake")
struct LenientTests {
    @Test("levels and counts outside the bounds load: the planner clamps them and says so")
    func outsideBounds() throws {
        let set = try loaded([("base.yaml", baseTargets), ("p.yaml", """
            playbooks:
              - name: clamp-me
                kind: emergency-scale
                match: {matchers: [alertname=X]}
                actions:
                  - scale: {target: web, to: 100}
                  - scale: {target: api, to: floor}
                  - scale: {target: api, by: -1}
                  - scale: {target: worker, factor: 3}
                  - http: {url: "http://internal/warm"}
                  - command: {argv: [./warm.sh]}
                step_down:
                  every: 5m
                  levels: {web: [200, 0, floor], api: [1]}
            """)])
        let playbook = try #require(set.playbooks.first)
        #expect(playbook.actions[0] == .scale(target: "web", change: .to(100)))
        #expect(playbook.actions[1] == .scale(target: "api", change: .toFloor))
        #expect(playbook.actions[2] == .scale(target: "api", change: .by(-1)))
        #expect(playbook.actions[3] == .scale(target: "worker", change: .factor(3)))
        #expect(playbook.actions[4] == .http(Action.HTTPCall(method: "POST", url: "http://internal/warm")))
        #expect(playbook.actions[5] == .command(Action.CommandCall(argv: ["./warm.sh"], timeout: .seconds(60))))
        #expect(playbook.ladder?.levels.first?.values == [.replicas(200), .replicas(0), .floor])
    }

    @Test("a required key written empty is reported at its own line")
    func emptyRequiredKey() throws {
        let found = try problems([("t.yaml", "targets:\n  - name: t\n    kubernetes:\n      namespace:\n      name: a\n    bounds: {floor: 1, ceiling: 2}\n")])
        #expect(found.map(\.description) == ["t.yaml:4: kubernetes.namespace is required but empty"])
    }

    @Test("a problem without a line prints as file: message")
    func wholeFileProblem() {
        let problem = PlaybookProblem(location: FileLocation(file: "a.yaml", line: 0), message: "cannot read the file")
        #expect(problem.description == "a.yaml: cannot read the file")
        #expect(PlaybookProblem(location: FileLocation(file: "a.yaml", line: 3), message: "x").description == "a.yaml:3: x")
    }
}
