import Foundation
import ResponderCore
import ResponderPlaybooks
import Testing

/// `cluster:` on Kubernetes targets: read by the loader, checked against the configuration's clusters when they are
/// known, and shown by plan; simulate runs a playbook spanning two clusters like any other.
@Suite("Kubernetes targets on several clusters")
struct ClusterTargetTests {
    static let targets = """
        targets:
          - name: api-eu
            kubernetes: {namespace: prod, name: api, hpa: api-hpa, cluster: eu-west}
            bounds: {floor: 2, ceiling: 10}
          - name: api-us
            kubernetes:
              namespace: prod
              name: api
              cluster: default
            bounds: {floor: 2, ceiling: 8}
        playbooks:
          - name: api-spike
            kind: emergency-scale
            match:
              matchers: [alertname="TrafficSpike"]
            actions:
              - scale: {target: api-eu, to: max}
              - scale: {target: api-us, to: max}
            step_down:
              every: 30m
              levels:
                api-eu: [5, floor]
                api-us: [5, floor]
        """

    static func alert() -> NormalizedAlert {
        NormalizedAlert(source: .alertmanager, fingerprint: "spike", status: .firing, labels: ["alertname": "TrafficSpike"],
                        annotations: [:], startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil,
                        idempotencyKey: "spike")
    }

    @Test("cluster: names the target's cluster; cluster: default is the default cluster")
    func decoded() throws {
        let set = try loaded([("clusters.yaml", Self.targets)])
        #expect(set.targets["api-eu"]?.backend == .kubernetes(Target.Kubernetes(
            kind: .deployment, namespace: "prod", name: "api", hpa: "api-hpa", cluster: "eu-west")))
        guard case .kubernetes(let us)? = set.targets["api-us"]?.backend else {
            Issue.record("api-us is not a Kubernetes target")
            return
        }
        #expect(us.cluster == nil && us.clusterName == "default")
    }

    @Test("with the configuration's clusters known, an unknown cluster is refused at its cluster: line")
    func unknownCluster() throws {
        let accepted = PlaybookLoader.load(files: [("clusters.yaml", Self.targets)], clusters: ["default", "eu-west"])
        #expect((try? accepted.get()) != nil)
        let text = Self.targets.replacingOccurrences(of: "cluster: eu-west", with: "cluster: eu-wset")
        #expect((try? PlaybookLoader.load(files: [("clusters.yaml", text)]).get()) != nil, "without a configuration any name goes")
        guard case .failure(let problems) = PlaybookLoader.load(files: [("clusters.yaml", text)], clusters: ["default", "eu-west"]) else {
            Issue.record("an unknown cluster was accepted")
            return
        }
        #expect(problems.problems.map(\.description) == [
            #"clusters.yaml:3: target api-eu: kubernetes.cluster "eu-wset" is not a cluster of the configuration (it has default, eu-west): "#
                + "add it to kubernetes.clusters or fix the name",
        ])
        let onlyDefault = PlaybookLoader.load(files: [("clusters.yaml", Self.targets)], clusters: ["default"])
        #expect(onlyDefault.failure?.problems.map(\.location.line) == [3], "cluster: default is always known")
    }

    @Test("a cluster name that cannot be a configuration key is refused")
    func malformed() throws {
        let text = Self.targets.replacingOccurrences(of: "cluster: eu-west", with: "cluster: EU_West")
        let found = try problems([("clusters.yaml", text)])
        #expect(found.map(\.description) == [
            #"clusters.yaml:3: kubernetes.cluster "EU_West" must name a cluster of kubernetes.clusters in the configuration: "#
                + "lower-case letters, digits and '-' (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$)",
        ])
    }

    @Test("plan shows the cluster of a target on a non-default cluster; simulate runs both clusters' steps")
    func planAndSimulate() throws {
        let set = try loaded([("clusters.yaml", Self.targets)])
        let plan = Planner.plan(PlanInput(alert: Self.alert(), playbooks: set, replicas: ["api-eu": 2, "api-us": 2],
                                          now: Date(timeIntervalSince1970: 1_800_000_000)))
        let text = PlanTextRenderer.render(plan)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let eu = try #require(lines.firstIndex { $0.hasSuffix("scale api-eu: replicas 2 -> 10") })
        #expect(lines[(eu + 1)...].prefix(2).contains("note: in cluster eu-west"), "\(text)")
        let us = try #require(lines.firstIndex { $0.hasSuffix("scale api-us: replicas 2 -> 8") })
        #expect(!lines[us + 1].contains("cluster"), "the default cluster goes without saying: \(text)")
        #expect(text.components(separatedBy: "in cluster eu-west").count == 2, "once, on the action step")
        let scenario = try ScenarioLoader.load(text: """
            name: two-clusters
            start: 2026-12-04T10:00:00Z
            until: 3h
            events:
              - {at: 0s, fire: {alertname: TrafficSpike}}
              - {at: 10m, resolve: {alertname: TrafficSpike}}
            expect:
              final_replicas: {api-eu: 2, api-us: 2}
              actions:
                - +0s run-1 scale api-eu 2 -> 10
                - +0s run-1 scale api-us 2 -> 8
                - +10m run-1 scale api-eu 10 -> 5
                - +10m run-1 scale api-us 8 -> 5
                - +40m run-1 scale api-eu 5 -> 2
                - +40m run-1 scale api-us 5 -> 2
            """, file: "two-clusters.yaml", directory: "/nonexistent").get()
        let result = Simulator.run(scenario, playbooks: set)
        #expect(result.passed, "\(result.failures)")
    }
}

extension Result {
    /// The error of a failure.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// The shipped two-cluster example (`Playbooks/examples/two-clusters/`): valid against its configuration's clusters,
/// refused without them, and its scenario passes.
@Suite("the two-cluster example")
struct TwoClusterExampleTests {
    static let folder = Shipped.playbooks + "/examples/two-clusters"

    @Test("its playbooks load with the clusters of its configuration, not without eu-west; its scenario passes")
    func example() throws {
        let set = try PlaybookLoader.load(directory: Self.folder, clusters: ["default", "eu-west"]).get()
        #expect(set.playbooks.map(\.name) == ["api-spike-two-clusters"])
        let refused = try #require(PlaybookLoader.load(directory: Self.folder, clusters: ["default"]).failure)
        #expect(refused.problems.map(\.message).contains { $0.contains("kubernetes.cluster \"eu-west\" is not a cluster of the configuration") })
        let scenario = try ScenarioLoader.load(path: Self.folder + "/scenarios/api-spike.yaml").get()
        let result = Simulator.run(scenario, playbooks: set)
        #expect(result.passed, "\(result.failures.map(\.description))")
    }

    @Test("the default playbooks do not include the example")
    func notDefault() throws {
        #expect(!(try Shipped.set()).playbooks.contains { $0.name == "api-spike-two-clusters" })
    }
}
