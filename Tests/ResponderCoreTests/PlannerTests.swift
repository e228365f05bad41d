import Foundation
import ResponderCore
import Testing

@Suite("planner")
struct PlannerTests {
    typealias F = PlannerFixtures

    static func plan(_ playbooks: [Playbook], _ targets: [Target], _ alert: NormalizedAlert,
                     replicas: [String: Int] = [:], autoscaler: [String: Int] = [:]) -> Plan {
        Planner.plan(PlanInput(alert: alert, playbooks: F.set(playbooks, targets: targets), replicas: replicas,
                               autoscalerDesired: autoscaler, now: F.now))
    }

    static let emergency = F.playbook(
        "emergency", kind: .emergencyScale, alertname: "TrafficSpike",
        actions: [.scale(target: "api", change: .toMax), .scale(target: "worker", change: .toMax),
                  .notify(message: "spike on ${labels.service}")],
        ladder: .init(hold: .seconds(600), every: .seconds(1800),
                      levels: [("api", [.replicas(5), .replicas(2)]), ("worker", [.replicas(10), .floor])])
    )
    static let targets = [F.target("api", floor: 2, ceiling: 10), F.target("worker", floor: 2, ceiling: 20)]

    @Test("extreme numbers clamp instead of trapping: Int.max bounds, deltas, factors, levels and durations", arguments: [
        Action.ScaleChange.by(Int.max), .by(Int.min), .factor(1e300), .factor(.infinity), .factor(.nan), .to(Int.max),
    ])
    func extremeNumbers(_ change: Action.ScaleChange) throws {
        let huge = Duration.seconds(Int64.max)
        let playbook = F.playbook(
            "x", kind: .preEvent, alertname: "A", actions: [.scale(target: "api", change: change)],
            ladder: .init(hold: huge, every: huge, levels: [("api", [.replicas(Int.max), .replicas(Int.min), .floor])]),
            event: .init(lead: huge, hold: huge)
        )
        let target = F.target("api", floor: 1, ceiling: Int.max, maxStep: Int.max)
        for replicas in [[:], ["api": Int.max], ["api": Int.min], ["api": 3]] {
            let alert = F.alert("A", annotations: ["event_start": "2026-01-02T00:00:00Z", "event_end": "2026-01-03T00:00:00Z"])
            let plan = Self.plan([playbook], [target], alert, replicas: replicas, autoscaler: ["api": Int.max])
            let steps = try #require(plan.timelines.first?.steps)
            #expect(steps.count == 4)
            for step in steps {
                if let to = step.to { #expect((1...Int.max).contains(to), "within the bounds: \(step)") }
                #expect(step.offsetSeconds.magnitude <= 3_155_760_000, "offsets stop at 100 years: \(step.offsetSeconds)")
            }
        }
    }

    @Test("a firing emergency scales to the ceilings now, and ladders down after the resolve")
    func emergencyFiring() throws {
        let plan = Self.plan([Self.emergency], Self.targets, F.alert("TrafficSpike", labels: ["service": "api"]),
                             replicas: ["api": 2, "worker": 4])
        #expect(plan.matchedPlaybooks == ["emergency"])
        let steps = try #require(plan.timelines.first?.steps)
        #expect(steps.map(\.action) == ["scale", "scale", "notify", "scale", "scale", "scale", "scale"])
        #expect(steps[0].target == "api" && steps[0].from == 2 && steps[0].to == 10 && steps[0].due == F.now)
        #expect(steps[1].target == "worker" && steps[1].from == 4 && steps[1].to == 20)
        #expect(steps[2].detail == "spike on api")
        let ladder = steps.filter { $0.phase == .ladder }
        #expect(ladder.map(\.anchor) == [.resolve, .resolve, .resolve, .resolve])
        #expect(ladder.map(\.offsetSeconds) == [600, 600, 2400, 2400])
        #expect(ladder.allSatisfy { $0.due == nil }, "the resolve time is not known while the alert fires")
        #expect(ladder.map(\.to) == [5, 10, 2, 2])
        #expect(ladder.map(\.from) == [10, 20, 5, 10])
    }

    @Test("once resolved the ladder has absolute due times counted from endsAt")
    func emergencyResolved() throws {
        let endsAt = F.now.addingTimeInterval(-60)
        let plan = Self.plan([Self.emergency], Self.targets, F.alert("TrafficSpike", status: .resolved, endsAt: endsAt),
                             replicas: ["api": 10, "worker": 20])
        let steps = try #require(plan.timelines.first?.steps)
        #expect(steps.allSatisfy { $0.phase == .ladder })
        #expect(steps.map(\.due) == [F.now.addingTimeInterval(600), F.now.addingTimeInterval(600),
                                     F.now.addingTimeInterval(2400), F.now.addingTimeInterval(2400)],
                "a resolve in the past counts from now, so nothing is due early")
    }

    @Test("values are clamped to bounds and max_step, and the plan says so", arguments: [
        (Action.ScaleChange.to(30), 4, nil as Int?, 10, "clamped to ceiling 10 (asked 30)"),
        (.to(1), 4, nil, 2, "clamped to floor 2 (asked 1)"),
        (.by(2), 9, nil, 10, "clamped to ceiling 10 (asked 11)"),
        (.by(2), 4, nil, 6, ""),
        (.factor(2), 3, nil, 6, ""),
        (.factor(1.5), 3, nil, 5, ""),
        (.toMax, 2, 3, 5, "limited by max_step 3 (asked 10)"),
        (.toFloor, 8, nil, 2, ""),
    ])
    func clamps(_ change: Action.ScaleChange, _ current: Int, _ maxStep: Int?, _ expected: Int, _ note: String) throws {
        let playbook = F.playbook("p", kind: .emergencyScale, alertname: "A", actions: [.scale(target: "api", change: change)])
        let plan = Self.plan([playbook], [F.target("api", floor: 2, ceiling: 10, maxStep: maxStep)], F.alert("A"),
                             replicas: ["api": current])
        let step = try #require(plan.timelines.first?.steps.first)
        #expect(step.from == current)
        #expect(step.to == expected)
        #expect(note.isEmpty ? step.notes.isEmpty : step.notes.contains(note), "\(step.notes)")
    }

    @Test("an unknown current count is assumed at the floor and the plan says so")
    func unknownCurrent() throws {
        let playbook = F.playbook("p", kind: .emergencyScale, alertname: "A", actions: [.scale(target: "api", change: .by(2))])
        let step = try #require(Self.plan([playbook], [F.target("api", floor: 3, ceiling: 10)], F.alert("A")).timelines[0].steps.first)
        #expect(step.to == 5)
        #expect(step.notes.contains("current replicas of api unknown; assumed its floor 3"))
    }

    @Test("a ladder never goes up, never below the floor, never below what the autoscaler wants")
    func ladderGates() throws {
        let playbook = F.playbook(
            "down", kind: .scaleDown, alertname: "Idle", actions: [],
            ladder: .init(every: .seconds(300), levels: [("api", [.replicas(8), .replicas(5), .replicas(3), .replicas(1)])])
        )
        let plan = Self.plan([playbook], [F.target("api", floor: 2, ceiling: 10)], F.alert("Idle"),
                             replicas: ["api": 6], autoscaler: ["api": 4])
        let steps = try #require(plan.timelines.first?.steps)
        #expect(steps.map(\.to) == [6, 5, 4, 4])
        #expect(steps[0].notes.contains("already at 6, below this level (8): no change"))
        #expect(steps[2].notes.contains("autoscaler wants 4: not going below it (asked 3)"))
        #expect(steps.map(\.due) == [0, 300, 600, 900].map { F.now.addingTimeInterval(TimeInterval($0)) })
        #expect(steps.map(\.anchor) == [.now, .now, .now, .now])
    }

    @Test("respect_autoscaler: false lets the ladder reach the floor")
    func ignoreAutoscaler() throws {
        let playbook = F.playbook(
            "down", kind: .scaleDown, alertname: "Idle", actions: [],
            ladder: .init(every: .seconds(300), levels: [("api", [.replicas(1)])]),
            gates: .init(respectAutoscaler: false)
        )
        let steps = Self.plan([playbook], [F.target("api", floor: 2, ceiling: 10)], F.alert("Idle"),
                              replicas: ["api": 6], autoscaler: ["api": 4]).timelines[0].steps
        #expect(steps.map(\.to) == [2])
        #expect(steps[0].notes == ["clamped to floor 2 (asked 1)"])
    }

    @Test("scale-down by -1 stops at the floor; resolved scale-down plans nothing")
    func scaleDownTrigger() throws {
        let playbook = F.playbook("cpu-low", kind: .scaleDown, alertname: "CPULow", actions: [.scale(target: "api", change: .by(-1))])
        let target = [F.target("api", floor: 2, ceiling: 10)]
        #expect(Self.plan([playbook], target, F.alert("CPULow"), replicas: ["api": 4]).timelines[0].steps[0].to == 3)
        let atFloor = Self.plan([playbook], target, F.alert("CPULow"), replicas: ["api": 2]).timelines[0].steps[0]
        #expect(atFloor.to == 2)
        #expect(atFloor.notes.contains("clamped to floor 2 (asked 1)"))
        let resolved = Self.plan([playbook], target, F.alert("CPULow", status: .resolved), replicas: ["api": 4]).timelines[0]
        #expect(resolved.steps.isEmpty)
        #expect(resolved.notes.contains { $0.contains("gates.on_resolve: abort") })
    }

    @Test("pre-event: actions at start minus lead, ladder from end plus hold, then everything restored")
    func preEvent() throws {
        let playbook = F.playbook(
            "launch", kind: .preEvent, alertname: "LaunchScheduled",
            actions: [
                .scale(target: "api-gateway", change: .to(10)),
                .autoscaler(target: "api-gateway", min: 10, max: 25),
                .annotate(target: "api-gateway", object: .hpa, set: ["autoscaling.alpha.kubernetes.io/scale-down-disabled": "true"]),
                .env(target: "api-gateway", set: ["RATE_LIMIT_MULTIPLIER": "2"]),
                .http(.init(method: "POST", url: "https://api.example.com/admin/cache/warm-up?for=${labels.alertname}")),
            ],
            ladder: .init(every: .seconds(1800), levels: [("api-gateway", [.replicas(10), .replicas(5), .replicas(3)])], restore: true),
            event: .init(lead: .seconds(86_400), hold: .seconds(3600))
        )
        let start = F.now.addingTimeInterval(2 * 86_400)
        let end = start.addingTimeInterval(4 * 3600)
        let alert = F.alert("LaunchScheduled", annotations: ["event_start": RFC3339.format(start), "event_end": RFC3339.format(end)])
        let plan = Self.plan([playbook], [F.target("api-gateway", floor: 3, ceiling: 20, hpa: "api-gateway-hpa")], alert,
                             replicas: ["api-gateway": 3])
        let steps = try #require(plan.timelines.first?.steps)
        let actions = steps.filter { $0.phase == .actions }
        #expect(actions.count == 5)
        #expect(actions.allSatisfy { $0.anchor == .eventStart && $0.offsetSeconds == -86_400 && $0.due == start.addingTimeInterval(-86_400) })
        #expect(actions[0].to == 10)
        #expect(actions[0].notes.contains("HPA api-gateway-hpa: minReplicas raised to 10 so the autoscaler keeps it (original restored later)"))
        #expect(actions[1].detail == "HPA api-gateway-hpa min 10, max 25")
        #expect(actions[3].detail == "env of api-gateway: RATE_LIMIT_MULTIPLIER=2")
        #expect(actions[4].detail == "POST https://api.example.com/admin/cache/warm-up?for=LaunchScheduled")
        let ladder = steps.filter { $0.phase == .ladder }
        #expect(ladder.map(\.action) == ["scale", "scale", "scale", "restore"])
        #expect(ladder.map(\.to) == [10, 5, 3, nil])
        #expect(ladder.map(\.due) == [3600, 5400, 7200, 7200].map { end.addingTimeInterval(TimeInterval($0)) })
        #expect(ladder[3].detail.contains("HPA api-gateway-hpa minReplicas of api-gateway"))
        #expect(ladder[3].detail.contains("autoscaler min/max of api-gateway"))
        #expect(ladder[1].notes.contains("HPA api-gateway-hpa: minReplicas lowered to 5 with this step so the HPA follows"))
        #expect(ladder[3].detail.contains("env RATE_LIMIT_MULTIPLIER of api-gateway"))
        #expect(ladder[3].detail.contains("annotations autoscaling.alpha.kubernetes.io/scale-down-disabled on HPA of api-gateway"))
    }

    @Test("pre-event whose lead time has passed runs now; without a window it follows the alert")
    func preEventLate() throws {
        let playbook = F.playbook("launch", kind: .preEvent, alertname: "L", actions: [.scale(target: "api", change: .to(8))],
                                  event: .init(lead: .seconds(86_400), hold: .seconds(3600)))
        let soon = F.alert("L", annotations: ["event_start": RFC3339.format(F.now.addingTimeInterval(3600)),
                                              "event_end": RFC3339.format(F.now.addingTimeInterval(7200))])
        let late = try #require(Self.plan([playbook], [F.target("api", floor: 2, ceiling: 10)], soon).timelines[0].steps.first)
        #expect(late.due == F.now)
        #expect(late.notes.contains { $0.contains("has passed: runs now") })
        let noWindow = Self.plan([playbook], [F.target("api", floor: 2, ceiling: 10)], F.alert("L")).timelines[0]
        #expect(noWindow.steps.first?.anchor == .now)
        #expect(noWindow.notes.contains { $0.contains("no event window") })
    }

    @Test("command parameters from hostile labels are refused, clean ones substituted")
    func commandParameters() throws {
        let call = Action.CommandCall(argv: ["./scripts/warm-cache.sh", "{deployment}"],
                                      params: ["deployment": .init(from: "labels.deployment", pattern: "k8s-name")])
        let playbook = F.playbook("c", kind: .emergencyScale, alertname: "A", actions: [.command(call)])
        let long = String(repeating: "x", count: 64)
        for hostile in ["worker; rm -rf /", "$(id)", "-n kube-system", "../../etc/passwd", "worker\nkubectl delete ns prod", "--all", long] {
            let step = Self.plan([playbook], [], F.alert("A", labels: ["deployment": hostile])).timelines[0].steps[0]
            #expect(step.detail == "run ./scripts/warm-cache.sh {deployment}", "the value never reaches the detail: \(hostile)")
            #expect(step.notes.contains { $0.contains("refused by pattern k8s-name") && $0.contains("the step will fail") })
        }
        let clean = Self.plan([playbook], [], F.alert("A", labels: ["deployment": "worker"])).timelines[0].steps[0]
        #expect(clean.detail == "run ./scripts/warm-cache.sh worker")
        #expect(clean.notes.isEmpty)
    }

    @Test("matching explains itself; source filters apply; INSUFFICIENT_DATA plans nothing")
    func matching() throws {
        let cloudOnly = F.playbook("cw", kind: .emergencyScale, alertname: "A", actions: [], sources: [.cloudwatch])
        let plan = Self.plan([Self.emergency, cloudOnly], Self.targets, F.alert("A"))
        #expect(plan.evaluations.map(\.matched) == [false, false])
        #expect(plan.evaluations[0].reasons == ["alertname=\"TrafficSpike\" did not match (alertname=\"A\")"])
        #expect(plan.evaluations[1].reasons == ["source alertmanager is not one of cloudwatch"])
        let matched = Self.plan([Self.emergency], Self.targets, F.alert("TrafficSpike"))
        #expect(matched.evaluations[0].reasons == ["alertname=\"TrafficSpike\" matched (alertname=\"TrafficSpike\")"])
        let insufficient = Self.plan([Self.emergency], Self.targets, F.alert("TrafficSpike", status: .insufficientData))
        #expect(insufficient.timelines[0].steps.isEmpty)
    }

    @Test("the plan encodes to JSON with stable snake_case keys")
    func json() throws {
        let plan = Self.plan([Self.emergency], Self.targets, F.alert("TrafficSpike"), replicas: ["api": 2, "worker": 2])
        let data = try PlanJSON.encode(plan)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["alert", "generated_at", "evaluations", "timelines"])
        #expect(object["generated_at"] as? String == "2026-01-01T00:00:00.000Z")
        let timeline = try #require((object["timelines"] as? [[String: Any]])?.first)
        #expect(Set(timeline.keys) == ["playbook", "kind", "dry_run", "steps", "notes"])
        let step = try #require((timeline["steps"] as? [[String: Any]])?.first)
        #expect(Set(step.keys).isSuperset(of: ["index", "phase", "anchor", "offset_seconds", "due", "action", "target", "from", "to", "detail", "notes"]))
        #expect(try PlanJSON.decode(data) == plan)
    }
}
