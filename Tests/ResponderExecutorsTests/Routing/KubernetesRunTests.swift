import AsyncHTTPClient
import Foundation
import Logging
import ResponderCore
import ResponderExecutors
import ResponderTestSupport
import Testing

/// A whole run (the real engine on a manual clock, the live executor, the Kubernetes backend) against the fake API
/// server that enforces the Kubernetes contract.
@Suite("A run against the fake Kubernetes API: HPA-aware scale-up, ladder floor, env patch, snapshot and restore")
struct KubernetesRunTests {
    typealias F = KubernetesFixtures
    static let annotation = "cluster-autoscaler.kubernetes.io/scale-down-disabled"

    struct Backends: TargetBackends {
        let backend: KubernetesBackend
        func backend(for name: String) async throws(BackendError) -> any ScalingBackend {
            guard name == "api" else { throw .permanent("unknown target \(name)") }
            return backend
        }
    }

    static func alert(_ status: AlertStatus) -> NormalizedAlert {
        NormalizedAlert(source: .alertmanager, fingerprint: "k8s-run", status: status, labels: ["alertname": "TrafficSpike"],
                        annotations: [:], startsAt: nil, endsAt: nil, generatorURL: nil, groupKey: nil, receiver: nil,
                        idempotencyKey: "k8s-run-\(status)")
    }

    static let playbooks: PlaybookSet = {
        let location = FileLocation(file: "api.yaml", line: 1)
        let target = Target(name: "api", backend: .kubernetes(.init(kind: .deployment, namespace: "prod", name: "api",
                                                                    hpa: "api-hpa", container: "app")),
                            bounds: .init(floor: 2, ceiling: 12), location: location)
        return PlaybookSet(
            targets: ["api": target],
            playbooks: [Playbook(
                name: "api-traffic-spike", kind: .emergencyScale,
                match: .init(matchers: [AlertMatcher(name: "alertname", op: .equal, value: "TrafficSpike")]),
                actions: [
                    .scale(target: "api", change: .toMax),
                    .env(target: "api", set: ["RATE_LIMIT_MULTIPLIER": "3"]),
                    .annotate(target: "api", object: .hpa, set: [annotation: "true"]),
                ],
                ladder: .init(every: .seconds(1800), levels: [("api", [.replicas(8), .replicas(4), .floor])], restore: true),
                location: location
            )],
            files: ["api.yaml"]
        )
    }()

    /// Sets what the fake HPA reports it wants (the real controller computes it from metrics).
    static func setDemand(_ api: FakeKubernetesAPI, _ desired: Int) throws {
        let hpa = try #require(api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa"))
        api.put(FakeKubernetesAPI.hpas, hpa.mergePatched(with: ["status": ["desiredReplicas": .int(desired)]]))
    }

    @Test("scale-up holds through the HPA, the ladder respects demand, and the restore puts every original back")
    func run() async throws {
        try await F.withBackend(Target.Kubernetes(kind: .deployment, namespace: "prod", name: "api", hpa: "api-hpa", container: "app")) {
            backend, api async throws in
            let executor = LiveExecutor(
                backends: Backends(backend: backend), http: HTTPCallRunner(client: HTTPClient.shared),
                commands: CommandStepRunner(), dryRun: CountingDryRun(), alert: { _ in nil }, logger: Logger(label: "test"))
            var driver = RunDriver(executor: executor, playbooks: Self.playbooks, now: Date(timeIntervalSince1970: 1_790_000_000))
            let hpa = { api.object(FakeKubernetesAPI.hpas, "prod", "api-hpa") }
            let deployment = { api.object(FakeKubernetesAPI.deployments, "prod", "api") }

            // No demand above the HPA's min when the alert fires (the plan would otherwise keep the ladder above it).
            try Self.setDemand(api, 2)
            await driver.alert(Self.alert(.firing))
            #expect(deployment()?[path: "spec.replicas"] == 12)
            #expect(hpa()?[path: "spec.minReplicas"] == 12, "min raised so the HPA keeps 12")
            #expect(hpa()?[path: "spec.maxReplicas"] == 12, "max raised to the new count")
            #expect(hpa()?[path: "metadata.annotations"]?[Self.annotation] == "true")
            #expect(hpa()?[path: "metadata.annotations"]?["owner"] == "sre", "other annotations untouched")
            let env = try #require(try await backend.environment(["RATE_LIMIT_MULTIPLIER", "LOG_LEVEL"]))
            #expect(env == ["RATE_LIMIT_MULTIPLIER": "3", "LOG_LEVEL": "info"])
            #expect(try #require(driver.run()).snapshot == [
                "autoscaler:api": "min=2,max=10", "env:api:RATE_LIMIT_MULTIPLIER": "unset",
                "hpa-annotation:api:\(Self.annotation)": "unset",
            ])

            await driver.alert(Self.alert(.resolved))
            #expect(deployment()?[path: "spec.replicas"] == 8)
            #expect(hpa()?[path: "spec.minReplicas"] == 8, "the raised min comes down with the count")

            // Real demand above the HPA's min: the ladder must not go below it.
            try Self.setDemand(api, 9)
            await driver.advance(by: 1800)
            #expect(deployment()?[path: "spec.replicas"] == 8)
            #expect(driver.run()?.steps[4].outcome?.contains("the autoscaler wants 9") == true)

            try Self.setDemand(api, 8)
            await driver.advance(by: 1800)
            #expect(deployment()?[path: "spec.replicas"] == 2)
            #expect(hpa()?[path: "spec.minReplicas"] == 2)
            #expect(hpa()?[path: "spec.maxReplicas"] == 10, "restore put the original max back")
            #expect(hpa()?[path: "metadata.annotations"]?[Self.annotation] == nil)
            #expect(try await backend.environment(["RATE_LIMIT_MULTIPLIER"]).isEmpty, "the variable it added is gone")
            let sidecar = try #require(deployment()?[path: "spec.template.spec.containers"]?.array?.last)
            #expect(sidecar["name"] == "sidecar")
            #expect(sidecar["env"]?.array?.count == 1, "the other container was never touched")
            let run = try #require(driver.run())
            #expect(run.status == .completed, "history: \(run.history.map(\.message))")
        }
    }
}
